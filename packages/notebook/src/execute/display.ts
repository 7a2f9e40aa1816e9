// Rich display for notebook values (runs inside the kernel): `display(value)` and the final value
// of a cell become Jupyter mime bundles. Objects can opt in like IPython objects do, with
// `_repr_mimebundle_()`, `_repr_html_()`, `_repr_svg_()`, `_repr_png_()`, `_repr_jpeg_()`,
// `_repr_markdown_()`, `_repr_latex_()`, `_repr_json_()`, or `toSVG()`.
import { inspect } from "node:util";

export interface DisplayBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface ImageOptions {
  width?: number;
  height?: number;
}

const REPR_METHODS: [string, string][] = [
  ["_repr_html_", "text/html"],
  ["_repr_svg_", "image/svg+xml"],
  ["toSVG", "image/svg+xml"],
  ["_repr_png_", "image/png"],
  ["_repr_jpeg_", "image/jpeg"],
  ["_repr_markdown_", "text/markdown"],
  ["_repr_latex_", "text/latex"],
  ["_repr_json_", "application/json"],
];

export function textPlain(value: unknown): string {
  return typeof value === "string" ? inspect(value) : inspect(value, { depth: 4, colors: false, maxArrayLength: 100, breakLength: 100 });
}

/** Base64 of binary image data given as Buffer/Uint8Array/ArrayBuffer, base64 text or a data: URL. */
export function toBase64(data: unknown, what: string): string {
  if (typeof data === "string") return data.replace(/^data:[^,]*;base64,/, "").replace(/\s+/g, "");
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("base64");
  throw new TypeError(`${what} expects a Buffer, Uint8Array, ArrayBuffer or base64 string, got ${typeof data}`);
}

function binaryMime(mime: string, value: unknown): unknown {
  return mime === "image/png" || mime === "image/jpeg" ? toBase64(value, mime) : value;
}

function call(value: object, method: string): unknown {
  const fn = (value as Record<string, unknown>)[method];
  return typeof fn === "function" ? (fn as () => unknown).call(value) : undefined;
}

/** Mime bundle for any value: repr protocol results plus a text/plain fallback. */
export function bundleFor(value: unknown): DisplayBundle {
  const data: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {};
  if (typeof value === "object" && value !== null) {
    const custom = call(value, "_repr_mimebundle_");
    if (typeof custom === "object" && custom !== null) {
      const c = custom as Partial<DisplayBundle> & Record<string, unknown>;
      const bundle = "data" in c && typeof c.data === "object" && c.data !== null ? (c.data) : c;
      for (const [mime, v] of Object.entries(bundle)) data[mime] = binaryMime(mime, v);
      if ("metadata" in c && typeof c.metadata === "object" && c.metadata !== null) Object.assign(metadata, c.metadata);
    }
    for (const [method, mime] of REPR_METHODS) {
      if (mime in data) continue;
      const result = call(value, method);
      if (result !== undefined && result !== null) data[mime] = binaryMime(mime, result);
    }
  }
  if (!("text/plain" in data)) data["text/plain"] = textPlain(value);
  return { data, metadata };
}

function imageMetadata(mime: string, options: ImageOptions | undefined): Record<string, unknown> {
  if (!options || (options.width === undefined && options.height === undefined)) return {};
  return { [mime]: { ...(options.width !== undefined ? { width: options.width } : {}), ...(options.height !== undefined ? { height: options.height } : {}) } };
}

export interface DisplayFunction {
  (value: unknown, ...more: unknown[]): void;
  /** Shows a raw mime bundle, e.g. `display.mime({ "text/html": "<b>x</b>" })`. */
  mime(data: Record<string, unknown>, metadata?: Record<string, unknown>): void;
  html(html: string): void;
  markdown(markdown: string): void;
  svg(svg: string): void;
  png(data: Uint8Array | ArrayBuffer | string, options?: ImageOptions): void;
  jpeg(data: Uint8Array | ArrayBuffer | string, options?: ImageOptions): void;
  latex(latex: string): void;
  json(value: unknown): void;
  text(text: string): void;
}

export function createDisplay(emit: (bundle: DisplayBundle) => void): DisplayFunction {
  const text = (s: unknown, what: string): string => {
    if (typeof s !== "string") throw new TypeError(`${what} expects a string, got ${typeof s}`);
    return s;
  };
  const withPlain = (data: Record<string, unknown>, plain: string) => ({ ...data, "text/plain": plain });
  const display = ((...values: unknown[]) => {
    for (const value of values) emit(bundleFor(value));
  }) as DisplayFunction;
  display.mime = (data, metadata = {}) => {
    const out: Record<string, unknown> = {};
    for (const [mime, v] of Object.entries(data)) out[mime] = binaryMime(mime, v);
    emit({ data: out, metadata });
  };
  display.html = (s) => emit({ data: withPlain({ "text/html": text(s, "display.html") }, "<HTML>"), metadata: {} });
  display.markdown = (s) => emit({ data: withPlain({ "text/markdown": text(s, "display.markdown") }, text(s, "display.markdown")), metadata: {} });
  display.svg = (s) => emit({ data: withPlain({ "image/svg+xml": text(s, "display.svg") }, "<SVG image>"), metadata: {} });
  display.png = (d, o) => emit({ data: withPlain({ "image/png": toBase64(d, "display.png") }, "<PNG image>"), metadata: imageMetadata("image/png", o) });
  display.jpeg = (d, o) => emit({ data: withPlain({ "image/jpeg": toBase64(d, "display.jpeg") }, "<JPEG image>"), metadata: imageMetadata("image/jpeg", o) });
  display.latex = (s) => emit({ data: withPlain({ "text/latex": text(s, "display.latex") }, text(s, "display.latex")), metadata: {} });
  display.json = (v) => emit({ data: { "application/json": v, "text/plain": textPlain(v) }, metadata: {} });
  display.text = (s) => emit({ data: { "text/plain": String(s) }, metadata: {} });
  return display;
}
