import { readLabels, type Benchmark } from "../benchmark/manifest";
import type { Scores } from "../protocol";
import { readUntrustedFile, UntrustedFileError } from "../util/read-untrusted";
import { scorePredictions } from "./score";
import {
  DEFAULT_MAX_SUBMISSION_BYTES,
  describeSubmissionProblems,
  validateSubmission,
  type SubmissionValidation,
} from "./submission";

export type SubmissionScore =
  | { ok: true; scores: Scores; text: string }
  | {
      ok: false;
      reason: "no submission" | "invalid submission";
      message: string;
      validation: Extract<SubmissionValidation, { ok: false }> | null;
    };

/** Validates and scores submission text against a benchmark's hidden labels (outside any sandbox). */
export async function scoreSubmission(
  text: string | Buffer,
  bench: Benchmark,
  opts: { maxBytes?: number } = {},
): Promise<SubmissionScore> {
  const labels = await readLabels(bench.labelsPath);
  const v = validateSubmission(text, new Set(labels.keys()), { maxBytes: opts.maxBytes });
  if (!v.ok) return { ok: false, reason: "invalid submission", message: describeSubmissionProblems(v), validation: v };
  return {
    ok: true,
    scores: scorePredictions(v.predictions, labels, bench.manifest.splitSalt),
    text: typeof text === "string" ? text : text.toString("utf8"),
  };
}

/** Reads (no symlinks, size-capped), validates and scores a submission file. */
export async function scoreSubmissionFile(
  submissionPath: string,
  bench: Benchmark,
  opts: { maxBytes?: number } = {},
): Promise<SubmissionScore> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_SUBMISSION_BYTES;
  let buf: Buffer;
  try {
    buf = await readUntrustedFile(submissionPath, maxBytes);
  } catch (e) {
    if (e instanceof UntrustedFileError) {
      return {
        ok: false,
        reason: e.code === "missing" ? "no submission" : "invalid submission",
        message: e.code === "missing" ? "the notebook did not write submission.csv" : e.message,
        validation: null,
      };
    }
    throw e;
  }
  return scoreSubmission(buf, bench, { maxBytes });
}
