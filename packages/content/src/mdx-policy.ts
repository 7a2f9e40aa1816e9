import { createProcessor } from "@mdx-js/mdx";
import remarkGfm from "remark-gfm";
import { VFile } from "vfile";
import type { ContentProblem } from "./errors";
import { formatTime, parseTimeParam } from "./time";

/**
 * What a lesson body may contain. Lesson MDX is compiled at build time and its output runs inside
 * the web server when a page renders, so arbitrary JavaScript in a lesson would be arbitrary code
 * on the server. The policy therefore allows markup, not code:
 *
 * - Markdown (CommonMark + GitHub tables, strikethrough, task lists, autolinked URLs; MDX syntax). Link and image URLs must be relative, `#...`, `http(s):`
 *   or `mailto:`.
 * - The course components, used by name without importing them: `<Callout type="note|tip|warning"
 *   [title="..."]>`, `<NotebookLink path="notebooks/x.ipynb">label</NotebookLink>`,
 *   `<VideoTime t="1:23">label</VideoTime>`. Their props are checked.
 * - A fixed set of harmless HTML elements ({@link ALLOWED_HTML}) with a fixed set of attributes
 *   ({@link ALLOWED_ATTRIBUTES}); no `<script>`, `<style>`, `<iframe>`, event handlers or `style`.
 * - Attribute values are string literals, or numeric/boolean literals in braces (`width={320}`).
 *
 * Rejected: `import`/`export` statements, `{expressions}` (only `{/* comments *\/}` are allowed),
 * spread attributes, member/namespace element names, and anything not listed above.
 */
export const COURSE_COMPONENTS = ["Callout", "NotebookLink", "VideoTime"] as const;
export type CourseComponentName = (typeof COURSE_COMPONENTS)[number];
export const CALLOUT_TYPES = ["note", "tip", "warning"] as const;

export const ALLOWED_HTML = new Set([
  "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl", "dt", "em",
  "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
  "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
  "th", "thead", "tr", "u", "ul", "var",
]);

export const ALLOWED_ATTRIBUTES = new Set([
  "alt", "align", "cite", "className", "colSpan", "height", "href", "id", "lang", "loading", "open", "rel",
  "rowSpan", "src", "start", "target", "title", "width",
]);

const COMPONENT_PROPS: Record<CourseComponentName, { required: string[]; optional: string[] }> = {
  Callout: { required: ["type"], optional: ["title"] },
  NotebookLink: { required: ["path"], optional: [] },
  VideoTime: { required: ["t"], optional: [] },
};

const SAFE_URL_SCHEMES = new Set(["http", "https", "mailto"]);

/** Relative URLs, fragments, and http(s)/mailto URLs. */
export function isSafeUrl(url: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const squeezed = [...url].filter((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) !== 0x7f).join("");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(squeezed);
  return scheme === null || SAFE_URL_SCHEMES.has((scheme[1] ?? "").toLowerCase());
}

/** Notebook paths are relative paths inside the course repository ending in `.ipynb`. */
export function isNotebookPath(path: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*\.ipynb$/.test(path) && !path.split("/").some((seg) => seg === ".." || seg === "." || seg === "");
}

/** Lesson notebooks live in the content folder's `notebooks/`; the site serves them at `/notebooks/...`. */
export const NOTEBOOKS_DIR = "notebooks";

/** A `<NotebookLink path>`: a notebook path inside `notebooks/` of the content folder. */
export function isLessonNotebookPath(path: string): boolean {
  return isNotebookPath(path) && path.startsWith(`${NOTEBOOKS_DIR}/`);
}

interface Point {
  line?: number;
}
interface MdNode {
  type: string;
  name?: string | null;
  url?: string;
  value?: unknown;
  attributes?: MdAttribute[];
  children?: MdNode[];
  position?: { start: Point };
  data?: { estree?: EstreeProgram | null };
}
interface MdAttribute {
  type: string;
  name?: string;
  value?: string | null | { type: string; value: string; data?: { estree?: EstreeProgram | null } };
  position?: { start: Point };
}
interface EstreeProgram {
  body: { type: string; expression?: { type: string; value?: unknown } }[];
}

export interface PolicyOptions {
  /** Video duration in seconds: `<VideoTime t>` must fall inside it. */
  duration?: number | undefined;
  /** false for a lesson without a video of its own (no youtube_id): a `<VideoTime>` there would seek nothing. */
  hasVideo?: boolean | undefined;
  /** Whether a `<NotebookLink path>` (relative to the content folder) exists; unchecked when absent. */
  notebookExists?: ((path: string) => boolean) | undefined;
}

function literalOf(attr: MdAttribute): { ok: true; value: string | number | boolean | null } | { ok: false } {
  const value = attr.value;
  if (value === null || value === undefined) return { ok: true, value: true };
  if (typeof value === "string") return { ok: true, value };
  const statement = value.data?.estree?.body[0];
  const expression = statement?.expression;
  if (value.data?.estree?.body.length === 1 && expression?.type === "Literal" && (typeof expression.value === "number" || typeof expression.value === "boolean")) {
    return { ok: true, value: expression.value };
  }
  return { ok: false };
}

/**
 * Checks a lesson body (the whole file, front matter blanked so lines match) against the policy
 * above, without running or bundling anything. Returns every violation, or the MDX syntax error.
 */
export function checkMdxPolicy(source: string, displayPath: string, options: PolicyOptions = {}): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const add = (node: { position?: { start: Point } } | undefined, message: string) => {
    const line = node?.position?.start.line;
    problems.push(line !== undefined ? { file: displayPath, line, message } : { file: displayPath, message });
  };
  let tree: MdNode;
  try {
    tree = createProcessor({ format: "mdx", remarkPlugins: [remarkGfm] }).parse(new VFile({ value: source, path: displayPath })) as unknown as MdNode;
  } catch (error) {
    const place = (error as { line?: number | null }).line ?? undefined;
    const reason = (error as { reason?: string }).reason ?? String(error);
    return [place ? { file: displayPath, line: place, message: `MDX syntax error: ${reason}` } : { file: displayPath, message: `MDX syntax error: ${reason}` }];
  }

  const visit = (node: MdNode) => {
    switch (node.type) {
      case "mdxjsEsm":
        add(node, "import/export statements are not allowed in lesson bodies (Callout, NotebookLink and VideoTime are available without importing)");
        return;
      case "mdxFlowExpression":
      case "mdxTextExpression": {
        const body = node.data?.estree?.body;
        if (body === undefined || body.length > 0) {
          add(node, `JavaScript expressions are not allowed in lesson bodies ("{${String(node.value).trim().slice(0, 40)}}"); write \\{ for a literal brace`);
        }
        return;
      }
      case "link":
      case "image":
      case "definition":
        if (typeof node.url === "string" && !isSafeUrl(node.url)) add(node, `unsafe URL ${JSON.stringify(node.url)} (allowed: relative, #anchor, http:, https:, mailto:)`);
        break;
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement":
        checkElement(node, add, options);
        break;
      default:
        break;
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree);
  return problems;
}

function checkElement(node: MdNode, add: (node: MdNode | MdAttribute, message: string) => void, options: PolicyOptions): void {
  const name = node.name;
  const attributes = node.attributes ?? [];
  if (name === null || name === undefined) {
    if (attributes.length > 0) add(node, "fragments cannot have attributes");
    return;
  }
  const isComponent = (COURSE_COMPONENTS as readonly string[]).includes(name);
  if (!isComponent && !ALLOWED_HTML.has(name)) {
    const hint = /^[A-Z]/.test(name) ? `the available components are ${COURSE_COMPONENTS.join(", ")}` : "allowed HTML elements are listed in the content README";
    add(node, `<${name}> is not allowed in lesson bodies (${hint})`);
    return;
  }
  const values = new Map<string, string | number | boolean | null>();
  for (const attr of attributes) {
    if (attr.type === "mdxJsxExpressionAttribute") {
      add(attr.position ? attr : node, `spread attributes are not allowed on <${name}>`);
      continue;
    }
    const attrName = attr.name ?? "";
    const literal = literalOf(attr);
    if (!literal.ok) {
      add(attr.position ? attr : node, `attribute ${attrName} on <${name}> must be a string, number or boolean literal, not an expression`);
      continue;
    }
    if (isComponent) {
      const spec = COMPONENT_PROPS[name as CourseComponentName];
      if (!spec.required.includes(attrName) && !spec.optional.includes(attrName)) {
        add(attr.position ? attr : node, `<${name}> has no prop "${attrName}" (props: ${[...spec.required, ...spec.optional].join(", ")})`);
        continue;
      }
    } else if (!ALLOWED_ATTRIBUTES.has(attrName)) {
      add(attr.position ? attr : node, `attribute "${attrName}" is not allowed on <${name}>`);
      continue;
    }
    if ((attrName === "href" || attrName === "src") && typeof literal.value === "string" && !isSafeUrl(literal.value)) {
      add(attr.position ? attr : node, `unsafe URL ${JSON.stringify(literal.value)} in ${attrName} (allowed: relative, #anchor, http:, https:, mailto:)`);
    }
    values.set(attrName, literal.value);
  }
  if (!isComponent) return;
  const component = name as CourseComponentName;
  for (const required of COMPONENT_PROPS[component].required) {
    if (!values.has(required)) add(node, `<${component}> needs a ${required} prop`);
  }
  const str = (key: string) => {
    const v = values.get(key);
    return typeof v === "string" ? v : undefined;
  };
  if (component === "Callout" && values.has("type")) {
    const type = str("type");
    if (type === undefined || !(CALLOUT_TYPES as readonly string[]).includes(type)) {
      add(node, `<Callout type> must be one of ${CALLOUT_TYPES.join(", ")}, got ${JSON.stringify(values.get("type"))}`);
    }
  }
  if (component === "NotebookLink" && values.has("path")) {
    const path = str("path");
    if (path === undefined || !isNotebookPath(path)) add(node, `<NotebookLink path> must be a relative path to an .ipynb file without "..", got ${JSON.stringify(values.get("path"))}`);
    else if (!isLessonNotebookPath(path)) add(node, `<NotebookLink path> must point into ${NOTEBOOKS_DIR}/ of the content folder (like "${NOTEBOOKS_DIR}/lesson-1.ipynb"), got ${JSON.stringify(path)}`);
    else if (options.notebookExists && !options.notebookExists(path)) add(node, `<NotebookLink path="${path}">: there is no such notebook in the content folder (add ${path} or fix the path)`);
  }
  if (component === "VideoTime" && values.has("t")) {
    const t = str("t");
    const seconds = t === undefined ? null : parseTimeParam(t);
    if (seconds === null) add(node, `<VideoTime t> must be a time like "1:23" or "1m23s", got ${JSON.stringify(values.get("t"))}`);
    else if (options.hasVideo === false) add(node, `<VideoTime t="${t}">: this lesson has no video (no youtube_id in its front matter); remove the link or add the lesson's own video`);
    else if (options.duration !== undefined && seconds >= options.duration) {
      add(node, `<VideoTime t="${t}"> is past the end of the video (${formatTime(options.duration)})`);
    }
  }
}
