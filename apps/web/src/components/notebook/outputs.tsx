import type { Output } from "@course/notebook";
import type { ReactNode } from "react";
import { stripAnsi } from "./ansi";
import { AnsiText } from "./ansi-text";
import styles from "./notebook.module.css";
import { isBase64, renderMarkdown, sanitizeNotebookHtml, showsSomething } from "./sanitize";

type MimeBundle = Record<string, unknown>;

export interface OutputContext {
  cellIndex: number;
  outputIndex: number;
  collapseAfter: number;
}

/** UTF-8 text -> base64, in Node and in browsers alike. */
function base64(textValue: string): string {
  const bytes = new TextEncoder().encode(textValue);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : Array.isArray(value) && value.every((v) => typeof v === "string") ? value.join("") : undefined;

/** Richest first. Every renderer may decline (bad data, HTML that sanitizes to nothing) and the next one is tried. */
export const MIME_PREFERENCE = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/svg+xml",
  "text/html",
  "text/markdown",
  "text/latex",
  "application/json",
  "text/plain",
] as const;

function imageSize(metadata: Record<string, unknown> | undefined, mime: string): { width?: number; height?: number } {
  const m = metadata?.[mime];
  if (!m || typeof m !== "object") return {};
  const { width, height } = m as { width?: unknown; height?: unknown };
  const ok = (n: unknown) => (typeof n === "number" && Number.isFinite(n) && n > 0 && n < 100_000 ? n : undefined);
  return { width: ok(width), height: ok(height) };
}

function altText(bundle: MimeBundle, ctx: OutputContext): string {
  const base = `Image output ${ctx.outputIndex + 1} of cell ${ctx.cellIndex + 1}`;
  const plain = text(bundle["text/plain"]);
  const described = plain ? stripAnsi(plain).replace(/\s+/g, " ").trim().slice(0, 200) : "";
  return described ? `${base}: ${described}` : base;
}

function Figure({ src, alt, size }: { src: string; alt: string; size: { width?: number; height?: number } }) {
  return (
    <figure className={styles.figure}>
      <img src={src} alt={alt} width={size.width} height={size.height} />
    </figure>
  );
}

function renderMime(mime: (typeof MIME_PREFERENCE)[number], bundle: MimeBundle, metadata: Record<string, unknown> | undefined, ctx: OutputContext): ReactNode {
  const value = bundle[mime];
  switch (mime) {
    case "image/png":
    case "image/jpeg":
    case "image/gif": {
      const data = text(value);
      if (!data || !isBase64(data)) return null;
      return <Figure src={`data:${mime};base64,${data.replace(/\s+/g, "")}`} alt={altText(bundle, ctx)} size={imageSize(metadata, mime)} />;
    }
    case "image/svg+xml": {
      // Inline SVG could carry scripts and event handlers; as an <img> a browser renders it with scripts off.
      const svg = text(value);
      if (!svg || !/<svg[\s>]/i.test(svg)) return null;
      const src = `data:image/svg+xml;base64,${base64(svg)}`;
      return <Figure src={src} alt={altText(bundle, ctx)} size={imageSize(metadata, mime)} />;
    }
    case "text/html": {
      const html = text(value);
      if (!html) return null;
      const safe = sanitizeNotebookHtml(html);
      if (!showsSomething(safe)) return null;
      return <div className={styles.html} dangerouslySetInnerHTML={{ __html: safe }} />;
    }
    case "text/markdown": {
      const md = text(value);
      if (md === undefined) return null;
      return <div className={styles.markdown} dangerouslySetInnerHTML={{ __html: renderMarkdown(md) }} />;
    }
    case "text/latex":
    case "text/plain": {
      const t = text(value);
      if (t === undefined) return null;
      return <AnsiText text={t} collapseAfter={ctx.collapseAfter} className={styles.text} />;
    }
    case "application/json": {
      if (value === undefined) return null;
      return <AnsiText text={JSON.stringify(value, null, 2)} collapseAfter={ctx.collapseAfter} className={styles.text} />;
    }
  }
}

function MimeOutput({ bundle, metadata, ctx }: { bundle: MimeBundle; metadata: Record<string, unknown> | undefined; ctx: OutputContext }) {
  for (const mime of MIME_PREFERENCE) {
    if (!(mime in bundle)) continue;
    const rendered = renderMime(mime, bundle, metadata, ctx);
    if (rendered) return <div data-mime={mime}>{rendered}</div>;
  }
  const types = Object.keys(bundle);
  return <p className={styles.note}>{types.length ? `Output of type ${types.join(", ")} is not shown here.` : "Empty output."}</p>;
}

export function OutputView({ output, ctx }: { output: Output; ctx: OutputContext }) {
  switch (output.output_type) {
    case "stream":
      return (
        <div className={styles.output} data-output-type="stream" data-stream={output.name}>
          <div className={styles.prompt} />
          <div className={styles.outputBody}>
            {output.name === "stderr" && <span className={styles.visuallyHidden}>Standard error:</span>}
            <AnsiText text={text(output.text) ?? ""} collapseAfter={ctx.collapseAfter} className={output.name === "stderr" ? styles.stderr : styles.text} />
          </div>
        </div>
      );
    case "execute_result":
      return (
        <div className={styles.output} data-output-type="execute_result">
          <div className={styles.prompt} data-prompt="out">{`Out [${output.execution_count ?? " "}]:`}</div>
          <div className={styles.outputBody}>
            <MimeOutput bundle={output.data} metadata={output.metadata} ctx={ctx} />
          </div>
        </div>
      );
    case "display_data":
      return (
        <div className={styles.output} data-output-type="display_data">
          <div className={styles.prompt} />
          <div className={styles.outputBody}>
            <MimeOutput bundle={output.data} metadata={output.metadata} ctx={ctx} />
          </div>
        </div>
      );
    case "error": {
      const name = stripAnsi(output.ename);
      const value = stripAnsi(output.evalue);
      return (
        <div className={styles.output} data-output-type="error" role="group" aria-label={`Error in cell ${ctx.cellIndex + 1}: ${name}`}>
          <div className={styles.prompt} />
          <div className={`${styles.outputBody} ${styles.error}`}>
            <p className={styles.errorTitle}>
              <strong>{name}</strong>
              {value ? `: ${value}` : ""}
            </p>
            {output.traceback.length > 0 && (
              <AnsiText text={output.traceback.join("\n")} collapseAfter={ctx.collapseAfter} className={styles.traceback} />
            )}
          </div>
        </div>
      );
    }
  }
}
