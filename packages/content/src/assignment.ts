import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { yamlLineOf } from "./yaml-position";
import { z } from "zod";
import { ContentError, type ContentProblem } from "./errors";
import { SLUG } from "./frontmatter";

/** Where assignment files live under the content root: `content/homework/<slug>.yaml`. */
export const HOMEWORK_DIR = "homework";
export const ASSIGNMENT_EXTENSION = ".yaml";
/** Kaggle's Dogs vs. Cats allowed 2 submissions a day. */
export const DEFAULT_DAILY_LIMIT = 2;
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface RubricCriterion {
  id: string;
  title: string;
  description: string;
  maxPoints: number;
}

/** A validated homework assignment. */
export interface Assignment {
  /** From the file name; must equal the `slug` field. */
  slug: string;
  /** Slug of the lesson it belongs to (`lesson-1`). */
  lesson: string;
  title: string;
  /** One-paragraph description shown on the homework page ("" when absent). */
  summary: string;
  /** Benchmark the runner scores against (`dogscats`). */
  benchmark: string;
  /** Template notebook path relative to the homework folder (`lesson-1.ipynb`). */
  template: string;
  /** Absolute path of the template notebook. */
  templateFile: string;
  /** Whether the template file exists (it may be written later than the assignment). */
  templateExists: boolean;
  deadline: Date;
  /** Submissions allowed per student per UTC day. */
  dailyLimit: number;
  /** Largest accepted upload in bytes. */
  maxFileBytes: number;
  rubric: RubricCriterion[];
  /** Absolute path of the YAML file. */
  file: string;
}

const BENCHMARK_ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|KiB|MiB)$/;
const UNITS: Record<string, number> = { B: 1, KB: 1000, MB: 1000 * 1000, KiB: 1024, MiB: 1024 * 1024 };

/** `5 MB`, `512 KiB` or a number of bytes. */
export function parseByteSize(value: string | number): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? value : null;
  const match = SIZE.exec(value.trim());
  if (!match) return null;
  const bytes = Math.round(Number(match[1]) * (UNITS[match[2]!] ?? 0));
  return bytes > 0 ? bytes : null;
}

const rubricSchema = z
  .array(
    z.strictObject({
      id: z.string().regex(SLUG, "expected a kebab-case id like `data-loading`"),
      title: z.string().trim().min(1, "expected a non-empty title"),
      description: z.string().trim().min(1, "expected a non-empty description"),
      max_points: z.number().int("expected a whole number of points").positive("expected more than 0 points"),
    }),
  )
  .min(1, "expected at least one rubric criterion")
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate rubric id "${item.id}"` });
      seen.add(item.id);
    });
  });

const assignmentSchema = z.strictObject({
  slug: z.string().regex(SLUG, "expected a kebab-case slug like `lesson-1`"),
  lesson: z.string().regex(SLUG, "expected the slug of a lesson, like `lesson-1`"),
  title: z.string().trim().min(1, "expected a non-empty title").max(200),
  summary: z.string().trim().optional(),
  benchmark: z.string().regex(BENCHMARK_ID, "expected a benchmark id: lowercase letters, digits, '.', '_', '-' (like `dogscats`)"),
  template: z
    .string()
    .refine((p) => p.endsWith(".ipynb"), "expected the path of a .ipynb notebook")
    .refine((p) => !path.isAbsolute(p) && !p.split(/[\\/]/).includes(".."), "expected a path inside content/homework (relative, no `..`)"),
  deadline: z.iso.datetime({ offset: true, error: "expected an ISO 8601 date-time with a zone, like 2026-12-01T23:59:00Z or 2026-12-01T18:00:00-05:00" }),
  daily_limit: z.number().int("expected a whole number").min(1, "expected at least 1 submission a day").max(100).default(DEFAULT_DAILY_LIMIT),
  max_file_size: z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === null) {
        ctx.addIssue({ code: "custom", message: `expected a size like "5 MB", "512 KiB" or a positive number of bytes, got ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return bytes;
    })
    .default(DEFAULT_MAX_FILE_BYTES),
  rubric: rubricSchema,
});


export type AssignmentResult = { ok: true; assignment: Assignment } | { ok: false; problems: ContentProblem[] };

/**
 * Parses one assignment file. `file` is its absolute path (the slug comes from its name), `displayPath` how
 * problems name it. Every problem says file, field, line and what was expected.
 */
export async function parseAssignment(source: string, file: string, displayPath: string = file): Promise<AssignmentResult> {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ file: displayPath, line: counter.linePos(e.pos[0]).line, message: `not valid YAML: ${e.message.split("\n")[0] ?? e.code}` })),
    };
  }
  const data: unknown = doc.toJS();
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, problems: [{ file: displayPath, line: 1, message: "an assignment file must be a YAML mapping of fields" }] };
  }
  const parsed = assignmentSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys : [];
        const keys = unknownKeys.length > 0 ? [...issue.path, unknownKeys[0]!] : issue.path;
        return {
          file: displayPath,
          field: keys.map(String).join(".") || "(file)",
          line: yamlLineOf(doc, counter, keys),
          message: unknownKeys.length > 0 ? `unknown field${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.join(", ")} (known: ${Object.keys(assignmentSchema.shape).join(", ")})` : issue.message,
        };
      }),
    };
  }
  const a = parsed.data;
  const fileSlug = path.basename(file, ASSIGNMENT_EXTENSION);
  if (a.slug !== fileSlug) {
    return { ok: false, problems: [{ file: displayPath, field: "slug", line: yamlLineOf(doc, counter, ["slug"]), message: `expected "${fileSlug}" (the file name), got "${a.slug}"` }] };
  }
  const templateFile = path.resolve(path.dirname(file), a.template);
  const templateExists = await stat(templateFile).then((s) => s.isFile(), () => false);
  return {
    ok: true,
    assignment: {
      slug: a.slug,
      lesson: a.lesson,
      title: a.title,
      summary: (a.summary ?? "").replace(/\s+/g, " "),
      benchmark: a.benchmark,
      template: a.template,
      templateFile,
      templateExists,
      deadline: new Date(a.deadline),
      dailyLimit: a.daily_limit,
      maxFileBytes: a.max_file_size,
      rubric: a.rubric.map((r) => ({ id: r.id, title: r.title, description: r.description.replace(/\s+/g, " "), maxPoints: r.max_points })),
      file,
    },
  };
}

export interface LoadAssignmentsOptions {
  /** When given, each assignment's `lesson` must be one of these slugs. */
  lessonSlugs?: readonly string[];
}

function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/**
 * Every assignment in `<contentDir>/homework/*.yaml`, sorted by deadline then slug. Throws a ContentError listing
 * every problem in every file. A missing homework folder means no assignments.
 */
export async function loadAssignments(contentDir: string, options: LoadAssignmentsOptions = {}): Promise<Assignment[]> {
  const dir = path.join(path.resolve(contentDir), HOMEWORK_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(ASSIGNMENT_EXTENSION)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const problems: ContentProblem[] = [];
  const assignments: Assignment[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const result = await parseAssignment(await readFile(file, "utf8"), file, display(file));
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    if (options.lessonSlugs && !options.lessonSlugs.includes(result.assignment.lesson)) {
      problems.push({ file: display(file), field: "lesson", message: `no lesson "${result.assignment.lesson}" (lessons: ${options.lessonSlugs.join(", ")})` });
      continue;
    }
    assignments.push(result.assignment);
  }
  if (problems.length > 0) throw new ContentError(problems);
  return assignments.sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || a.slug.localeCompare(b.slug));
}
