/**
 * Site search (issue 10). Writers: `indexDocuments` / `removeDocuments` / `replaceDocuments` with their own kind.
 * Readers: `search`. The course (lessons and transcript lines) is indexed by `ensureCourseIndexed`.
 */
export { indexDocuments, removeDocuments, replaceDocuments, SEARCH_KINDS, type SearchDocumentInput, type SearchKind } from "./documents";
export { search, searchInput, type SearchHit, type SearchInput, type SearchResult } from "./search";
export { ensureCourseIndexed, indexCourse, type CourseIndexResult } from "./course-index";
