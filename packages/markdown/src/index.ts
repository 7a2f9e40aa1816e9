export { renderMarkdown, renderHtml } from "./render";
export { highlightCode, highlightLanguage } from "./highlight";
export { normaliseTitle, defaultWikiUrl } from "./plugins/wiki-links";
export { parseClock, lessonTimeHref } from "./time";
export { isSameSiteUrl, isRasterDataUrl } from "./urls";
export type * from "./types";
