// Zod schemas for Jupyter nbformat 4.0-4.5, following nbformat's v4 JSON schemas
// (nbformat.v4.5.schema.json): cells and outputs reject unknown keys, metadata objects keep them.
import { z } from "zod";

export const MIN_MINOR = 0;
export const MAX_MINOR = 5;
/** nbformat_minor from which cell ids are required. */
export const CELL_ID_MINOR = 5;

export const multilineStringSchema = z.union([z.string(), z.array(z.string())]);
export type MultilineString = z.infer<typeof multilineStringSchema>;

const JSON_MIME = /^application\/(.*\+)?json$/;

/** Mime type -> data. JSON mime types hold any JSON value, every other key a (multiline) string. */
export const mimeBundleSchema = z.record(z.string(), z.unknown()).superRefine((bundle, ctx) => {
  for (const [mime, value] of Object.entries(bundle)) {
    if (JSON_MIME.test(mime)) continue;
    if (!multilineStringSchema.safeParse(value).success) {
      ctx.addIssue({ code: "custom", path: [mime], message: `expected a string or a list of strings for "${mime}"` });
    }
  }
});
export type MimeBundle = Record<string, unknown>;

export const cellIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9-_]+$/, "cell id must match ^[a-zA-Z0-9-_]+$");

const tagsSchema = z.array(z.string().regex(/^[^,]+$/, "tags cannot contain commas"));

const cellMetadataSchema = z.looseObject({
  name: z.string().optional(),
  tags: tagsSchema.optional(),
  jupyter: z.looseObject({ source_hidden: z.boolean().optional(), outputs_hidden: z.boolean().optional() }).optional(),
});

const codeCellMetadataSchema = cellMetadataSchema.extend({
  collapsed: z.boolean().optional(),
  scrolled: z.union([z.boolean(), z.literal("auto")]).optional(),
  execution: z.looseObject({}).optional(),
});

const rawCellMetadataSchema = cellMetadataSchema.extend({ format: z.string().optional() });

const executionCountSchema = z.number().int().min(0).nullable();

export const streamOutputSchema = z.strictObject({
  output_type: z.literal("stream"),
  name: z.enum(["stdout", "stderr"]),
  text: multilineStringSchema,
});

export const displayDataOutputSchema = z.strictObject({
  output_type: z.literal("display_data"),
  data: mimeBundleSchema,
  metadata: z.record(z.string(), z.unknown()),
  transient: z.record(z.string(), z.unknown()).optional(),
});

export const executeResultOutputSchema = z.strictObject({
  output_type: z.literal("execute_result"),
  execution_count: executionCountSchema,
  data: mimeBundleSchema,
  metadata: z.record(z.string(), z.unknown()),
});

export const errorOutputSchema = z.strictObject({
  output_type: z.literal("error"),
  ename: z.string(),
  evalue: z.string(),
  traceback: z.array(z.string()),
});

export const outputSchema = z.discriminatedUnion("output_type", [
  streamOutputSchema,
  displayDataOutputSchema,
  executeResultOutputSchema,
  errorOutputSchema,
]);

export const codeCellSchema = z.strictObject({
  id: cellIdSchema.optional(),
  cell_type: z.literal("code"),
  metadata: codeCellMetadataSchema,
  source: multilineStringSchema,
  outputs: z.array(outputSchema),
  execution_count: executionCountSchema,
});

export const markdownCellSchema = z.strictObject({
  id: cellIdSchema.optional(),
  cell_type: z.literal("markdown"),
  metadata: cellMetadataSchema,
  attachments: z.record(z.string(), mimeBundleSchema).optional(),
  source: multilineStringSchema,
});

export const rawCellSchema = z.strictObject({
  id: cellIdSchema.optional(),
  cell_type: z.literal("raw"),
  metadata: rawCellMetadataSchema,
  attachments: z.record(z.string(), mimeBundleSchema).optional(),
  source: multilineStringSchema,
});

export const cellSchema = z.discriminatedUnion("cell_type", [codeCellSchema, markdownCellSchema, rawCellSchema]);

export const notebookMetadataSchema = z.looseObject({
  kernelspec: z.looseObject({ name: z.string(), display_name: z.string() }).optional(),
  language_info: z
    .looseObject({
      name: z.string(),
      codemirror_mode: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
      file_extension: z.string().optional(),
      mimetype: z.string().optional(),
      pygments_lexer: z.string().optional(),
    })
    .optional(),
  orig_nbformat: z.number().int().min(1).optional(),
  title: z.string().optional(),
  authors: z.array(z.unknown()).optional(),
});

export const notebookSchema = z.strictObject({
  metadata: notebookMetadataSchema,
  nbformat_minor: z.number().int().min(MIN_MINOR),
  nbformat: z.literal(4),
  cells: z.array(cellSchema),
});

export type StreamOutput = z.infer<typeof streamOutputSchema>;
export type DisplayDataOutput = z.infer<typeof displayDataOutputSchema>;
export type ExecuteResultOutput = z.infer<typeof executeResultOutputSchema>;
export type ErrorOutput = z.infer<typeof errorOutputSchema>;
export type Output = z.infer<typeof outputSchema>;
export type CodeCell = z.infer<typeof codeCellSchema>;
export type MarkdownCell = z.infer<typeof markdownCellSchema>;
export type RawCell = z.infer<typeof rawCellSchema>;
export type Cell = z.infer<typeof cellSchema>;
export type NotebookMetadata = z.infer<typeof notebookMetadataSchema>;
export type Notebook = z.infer<typeof notebookSchema>;
