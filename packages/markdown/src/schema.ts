// The sanitize schema: GitHub's (hast-util-sanitize's default) with a few changes, each for a reason:
// - no <picture>/<source> (a srcset would make viewers' browsers fetch foreign images) and no longdesc;
// - no form attributes (action, method, ...) anywhere, though forms are not allowed either;
// - <img src> may also be data: or attachment: here, because the image pass after sanitizing decides (raster data
//   URLs only when the caller opts in; attachments through the caller's resolver; foreign images become links);
// - a few harmless elements notebooks' HTML uses (figure, caption, col, mark, small, abbr, time, u, ...).
import { defaultSchema, type Schema } from "hast-util-sanitize";

const DROPPED_TAGS = new Set(["picture", "source"]);
const DROPPED_ATTRIBUTES = new Set(["action", "method", "encType", "accept", "acceptCharset", "longDesc"]);
const EXTRA_TAGS = ["figure", "figcaption", "caption", "colgroup", "col", "mark", "small", "abbr", "cite", "dfn", "time", "u", "wbr", "center"];

type AttributeList = NonNullable<Schema["attributes"]>[string];
const keep = (list: AttributeList | undefined): AttributeList =>
  (list ?? []).filter((entry) => !DROPPED_ATTRIBUTES.has(typeof entry === "string" ? entry : String(entry[0])));

const attributes: Record<string, AttributeList> = {};
for (const [tag, list] of Object.entries(defaultSchema.attributes ?? {})) attributes[tag] = keep(list);
attributes.ol = [...keep(attributes.ol), "reversed"];
attributes.col = ["span"];
attributes.colgroup = ["span"];

export const schema: Schema = {
  ...defaultSchema,
  tagNames: [...(defaultSchema.tagNames ?? []).filter((t) => !DROPPED_TAGS.has(t)), ...EXTRA_TAGS],
  attributes,
  protocols: { ...defaultSchema.protocols, src: ["http", "https", "data", "attachment"] },
  // Content of these is dropped with the element, not shown as text.
  strip: ["script", "style", "template", "noscript", "title", "textarea", "select", "option", "iframe", "object", "embed", "svg", "math", "noembed", "noframes", "xmp", "plaintext"],
};
