// Builds a cell's Jupyter outputs from kernel messages: merges consecutive chunks of the same
// stream, and enforces one output byte budget for the whole notebook, leaving a note where cut.
import { splitLines } from "../multiline";
import type { Output } from "../schema";
import type { RenderedError } from "./traceback";

export class OutputBudget {
  private used = 0;
  truncated = false;

  constructor(readonly limit: number) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  take(bytes: number): void {
    this.used += bytes;
  }

  note(): string {
    return `\n[output truncated: the notebook's outputs reached the limit of ${this.limit} bytes; later output was dropped]\n`;
  }
}

/** Cuts UTF-8 text to at most `bytes` bytes without splitting a character. */
function cutUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= bytes) return text;
  return buf.subarray(0, bytes).toString("utf8").replace(/\uFFFD+$/, "");
}

const MAX_TRACEBACK_LINE = 4000;

export class CellOutputs {
  readonly outputs: Output[] = [];

  constructor(
    private readonly budget: OutputBudget,
    private readonly executionCount: number,
  ) {}

  private admit(bytes: number): "all" | "none" {
    if (this.budget.truncated) return "none";
    if (bytes <= this.budget.remaining) {
      this.budget.take(bytes);
      return "all";
    }
    return "none";
  }

  private appendStream(name: "stdout" | "stderr", text: string): void {
    const last = this.outputs.at(-1);
    if (last && last.output_type === "stream" && last.name === name) last.text = `${last.text as string}${text}`;
    else this.outputs.push({ output_type: "stream", name, text });
  }

  private cut(name: "stdout" | "stderr", partial: string): void {
    this.budget.truncated = true;
    if (partial) this.appendStream(name, partial);
    this.appendStream(name, this.budget.note());
  }

  /** Marks the budget as exhausted (the kernel stopped sending) and leaves the note here. */
  truncatedByKernel(name: "stdout" | "stderr"): void {
    if (!this.budget.truncated) this.cut(name, "");
  }

  stream(name: "stdout" | "stderr", text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.admit(bytes) === "all") return this.appendStream(name, text);
    if (!this.budget.truncated) {
      const partial = cutUtf8(text, this.budget.remaining);
      this.budget.take(Buffer.byteLength(partial));
      this.cut(name, partial);
    }
  }

  private bundleBytes(data: Record<string, unknown>): number {
    return Buffer.byteLength(JSON.stringify(data));
  }

  display(data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    if (this.admit(this.bundleBytes(data)) === "all") this.outputs.push({ output_type: "display_data", data, metadata });
    else if (!this.budget.truncated) this.cut("stderr", "");
  }

  result(data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    if (this.admit(this.bundleBytes(data)) === "all") this.outputs.push({ output_type: "execute_result", execution_count: this.executionCount, data, metadata });
    else if (!this.budget.truncated) this.cut("stderr", "");
  }

  /** Errors are always recorded (capped per line) so a failure is never hidden by the output cap. */
  error(rendered: RenderedError): void {
    const clip = (s: string) => (s.length > MAX_TRACEBACK_LINE ? `${s.slice(0, MAX_TRACEBACK_LINE)}...` : s);
    this.outputs.push({ output_type: "error", ename: clip(rendered.ename), evalue: clip(rendered.evalue), traceback: rendered.traceback.slice(0, 200).map(clip) });
  }

  /** Outputs in nbformat's usual on-disk form: multiline strings as lists of lines. */
  finish(): Output[] {
    return this.outputs.map((o) => {
      if (o.output_type === "stream") return { ...o, text: splitLines(o.text as string) };
      if (o.output_type === "display_data" || o.output_type === "execute_result") {
        const data: Record<string, unknown> = {};
        for (const [mime, v] of Object.entries(o.data)) {
          data[mime] = typeof v === "string" && (mime.startsWith("text/") || mime === "image/svg+xml") ? splitLines(v) : v;
        }
        return { ...o, data };
      }
      return o;
    });
  }
}
