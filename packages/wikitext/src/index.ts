export {
  readMediaWikiDump,
  MediaWikiDumpError,
  type DumpAuthor,
  type DumpPage,
  type DumpRevision,
  type DumpSiteInfo,
  type ReadDumpOptions,
} from "./dump";
export { wikitextToMarkdown, type Conversion, type ConvertOptions, type Unconverted } from "./convert/convert";
export { canonicalTitle } from "./convert/inline";
export { serializePage, parsePageFile, PageFileError, type PageFile, type PageMeta } from "./page-file";
export { fileNameForTitle, fileNamesForTitles, titleForFileName } from "./file-name";
export { ImportReportBuilder, formatImportReport, type ImportReport } from "./report";
