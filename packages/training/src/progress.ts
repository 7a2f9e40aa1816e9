import type { FitProgress } from "./classifier";

/**
 * Progress on stderr: a redrawn bar on a terminal, plain lines otherwise
 * (logs, CI, notebooks), so output stays readable everywhere.
 */
export class ProgressReporter {
  private lastLine = "";
  private lastPlain = new Map<string, number>();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly tty = Boolean(process.stderr.isTTY),
  ) {}

  private bar(fraction: number, width = 28): string {
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  }

  update(p: FitProgress): void {
    if (p.phase === "features") {
      const pct = p.total ? p.done / p.total : 1;
      const text = `${p.split.padEnd(16)} ${String(p.done).padStart(5)}/${p.total} ${(pct * 100).toFixed(0).padStart(3)}%  ${p.imagesPerSecond.toFixed(0)} img/s  ${p.cached ? `${p.cached} cached  ` : ""}ETA ${formatSeconds(p.etaSeconds)}`;
      if (this.tty) this.redraw(`${this.bar(pct)} ${text}`, p.done === p.total);
      else {
        const step = Math.floor(pct * 4); // 25% steps
        if (this.lastPlain.get(p.split) !== step || p.done === p.total) {
          this.lastPlain.set(p.split, step);
          if (step > 0 || p.done === p.total) this.stream.write(`features ${text}\n`);
        }
      }
      return;
    }
    const valid = p.validAccuracy !== undefined ? `  valid loss ${p.validLoss!.toFixed(4)}  valid accuracy ${(p.validAccuracy * 100).toFixed(2)}%` : "";
    const text = `epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}  accuracy ${(p.accuracy * 100).toFixed(2)}%${valid}  ETA ${formatSeconds(p.etaSeconds)}`;
    if (this.tty) this.redraw(text, true);
    else this.stream.write(`${text}\n`);
  }

  private redraw(line: string, final: boolean): void {
    const pad = this.lastLine.length > line.length ? " ".repeat(this.lastLine.length - line.length) : "";
    this.stream.write(`\r${line}${pad}${final ? "\n" : ""}`);
    this.lastLine = final ? "" : line;
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}
