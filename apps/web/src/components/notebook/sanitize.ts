// Markdown and HTML from notebooks are untrusted (students write them, and their code prints HTML): both go through
// @course/markdown, the one pipeline for user text (GitHub's sanitize schema; no scripts, styles, frames, forms,
// event handlers or script URLs; images from other sites become links). Notebooks opt in to raster data: images
// (outputs embed their plots that way) and resolve `attachment:` images to the cell's attachments.
import { renderHtml, renderMarkdown as renderUserMarkdown } from "@course/markdown";

const ATTACHMENT_IMAGE = /^image\/(?:png|jpeg|gif|webp)$/;

export type Attachments = Record<string, Record<string, unknown>>;

/** A markdown cell's `attachment:<name>` image as a data: URL, when the attachment is a bitmap image. */
function attachmentUrl(attachments: Attachments | undefined, name: string): string | undefined {
  const bundle = attachments?.[name];
  if (!bundle) return undefined;
  for (const [mime, value] of Object.entries(bundle)) {
    const data = Array.isArray(value) ? value.join("") : value;
    if (ATTACHMENT_IMAGE.test(mime) && typeof data === "string" && isBase64(data)) return `data:${mime};base64,${data.replace(/\s+/g, "")}`;
  }
  return undefined;
}

export function isBase64(data: string): boolean {
  return data.length > 0 && /^[A-Za-z0-9+/=\s]+$/.test(data);
}

/** Untrusted HTML (a notebook's text/html output) -> HTML safe to insert into a page. */
export function sanitizeNotebookHtml(html: string, opts: { attachments?: Attachments; demoteHeadings?: boolean } = {}): string {
  return renderHtml(html, {
    dataImages: true,
    headingOffset: opts.demoteHeadings ? 1 : 0,
    attachment: (name) => attachmentUrl(opts.attachments, name),
  }).html;
}

/**
 * Markdown (GitHub flavoured, raw HTML allowed as in Jupyter) -> sanitized HTML. Headings move down one level so
 * the page keeps its own <h1>; `attachment:` images resolve to the cell's attachments.
 */
export function renderMarkdown(markdown: string, attachments?: Attachments): string {
  return renderUserMarkdown(markdown, {
    dataImages: true,
    headingOffset: 1,
    attachment: (name) => attachmentUrl(attachments, name),
  }).html;
}

/** Whether sanitized HTML still shows anything (an HTML output made only of scripts sanitizes to nothing). */
export function showsSomething(html: string): boolean {
  // The input is the sanitizer's output, so tags are well formed and a regex sees them all.
  return /<img\b/i.test(html) || html.replace(/<[^>]*>/g, "").trim().length > 0;
}
