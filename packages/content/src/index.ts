/**
 * @course/content: the course's content pipeline (server-side only: it reads files and runs esbuild).
 *
 * - Course/lesson loading for the web app: {@link loadCourse}, {@link loadLesson}, {@link loadTranscript},
 *   {@link validateContent}.
 * - Front matter schema and writer, MDX compile and safety policy.
 * - Chapter and transcript parsers (Whisper, WebVTT, SRT), exporters and time helpers.
 * - Homework assignments (`content/homework/*.yaml`): {@link loadAssignments}.
 * - Forum categories (`content/forum/categories.yaml` plus one per lesson): {@link loadForumCategories}.
 * - Importers (Jekyll lesson pages, transcripts) used by the `content-import` CLI.
 */
export {
  clearContentCache,
  type Course,
  type Lesson,
  type LessonMeta,
  type LessonTranscript,
  LESSON_EXTENSION,
  loadCourse,
  loadLesson,
  loadTranscript,
  type LoadOptions,
  resolveLessonsDir,
  validateContent,
  type ValidateOptions,
} from "./course";
export {
  ASSIGNMENT_EXTENSION,
  type Assignment,
  type AssignmentResult,
  DEFAULT_DAILY_LIMIT,
  DEFAULT_MAX_FILE_BYTES,
  HOMEWORK_DIR,
  loadAssignments,
  type LoadAssignmentsOptions,
  parseAssignment,
  parseByteSize,
  type RubricCriterion,
} from "./assignment";
export { FORUM_CATEGORIES_FILE, type ForumCategoryDef, loadForumCategories, parseForumCategories } from "./forum";
export { type Chapter, type ChapterIssue, parseChapterLine, parseChapterList, validateChapters } from "./chapters";
export { ContentError, type ContentProblem, formatProblem, ParseError, type ParseIssue } from "./errors";
export {
  type FrontMatterResult,
  type LessonFrontMatter,
  parseLessonFrontMatter,
  replaceChapters,
  SLUG,
  splitFrontMatter,
  stringifyFrontMatter,
  WIKI_PAGE_NAME,
} from "./frontmatter";
export { importTranscript, type ImportTranscriptOptions, type ImportTranscriptResult } from "./import-transcript";
export { convertJekyllLesson, extractSynopsis, type JekyllImportOptions, type JekyllImportResult, markdownToMdx, splitLessonHeading } from "./jekyll";
export { compileLessonMdx, type CompiledMdx } from "./mdx";
export {
  ALLOWED_ATTRIBUTES,
  ALLOWED_HTML,
  CALLOUT_TYPES,
  checkMdxPolicy,
  COURSE_COMPONENTS,
  type CourseComponentName,
  isLessonNotebookPath,
  isNotebookPath,
  NOTEBOOKS_DIR,
  isSafeUrl,
} from "./mdx-policy";
export { formatTime, formatTimestamp, parseClock, parseCueTimestamp, parseTimeParam, roundMs } from "./time";
export {
  chaptersToWebVTT,
  type Cue,
  type CueIssue,
  DEFAULT_LAST_CUE_SECONDS,
  detectTranscriptFormat,
  DURATION_TOLERANCE_SECONDS,
  type ParseOptions,
  parseSRT,
  parseTranscript,
  parseWebVTT,
  parseWhisper,
  parseWhisperDocument,
  toPlainText,
  toSRT,
  type TranscriptDocument,
  type TranscriptFormat,
  toWebVTT,
  validateCues,
} from "./transcript";
export {
  parseTranscriptFile,
  readTranscriptFile,
  serializeTranscriptFile,
  TRANSCRIPT_SUFFIX,
  type TranscriptFile,
  transcriptFileSchema,
  writeTranscriptFile,
} from "./transcript-file";
