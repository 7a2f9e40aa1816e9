// Images in user text are never fetched from other sites by viewers' browsers (a tracking pixel would tell a third
// party who read what, and when). After sanitizing:
// - same-site images (root-relative URLs, /media/<sha256>/a.png) stay images, returned in found.images; page-relative
//   ones are dropped (they would point somewhere different on every page the text is shown);
// - `attachment:` images resolve through options.attachment (notebook cells) to raster data URLs;
// - raster data: URLs stay only when the caller opts in (options.dataImages);
// - http(s) images from anywhere else become links: "image: alt" to the URL, rel="noopener noreferrer nofollow ugc";
// - anything else is dropped, leaving its alt text.
import type { Element, ElementContent, Root } from "hast";
import type { VFile } from "vfile";
import { h, replaceElements, text } from "../hast";
import { isRasterDataUrl, isSiteImageUrl, isWebUrl } from "../urls";
import { contextOf } from "./context";
import { EXTERNAL_REL } from "./links";

function image(el: Element, src: string): ElementContent[] {
  const { src: _src, alt, ...rest } = el.properties;
  // alt first, then src: stable output the callers' tests can compare.
  return [{ ...el, properties: { alt: typeof alt === "string" ? alt : "", src, ...rest } }];
}

export function images() {
  return (tree: Root, file: VFile) => {
    const ctx = contextOf(file);
    const { options } = ctx;
    replaceElements(tree, (el) => {
      if (el.tagName !== "img") return undefined;
      const src = typeof el.properties.src === "string" ? el.properties.src.trim() : "";
      const alt = typeof el.properties.alt === "string" ? el.properties.alt : "";
      if (/^attachment:/i.test(src)) {
        let name = src.slice("attachment:".length);
        try {
          name = decodeURIComponent(name);
        } catch {
          // A malformed escape is kept as written.
        }
        const data = options.attachment?.(name);
        if (data && isRasterDataUrl(data)) return image(el, data);
      } else if (isRasterDataUrl(src)) {
        if (options.dataImages) return image(el, src);
      } else if (isSiteImageUrl(src)) {
        ctx.found.images.push({ src, alt });
        return image(el, src);
      } else if (isWebUrl(src)) {
        return [h("a", { href: src, rel: [...EXTERNAL_REL], className: ["external-image"] }, [text(`image: ${alt || src}`)])];
      }
      return alt ? [text(`image: ${alt}`)] : [];
    });
  };
}
