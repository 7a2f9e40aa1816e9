import type { EpochRecord } from "./classifier";
import type { ConfusionMatrix } from "./metrics";

/** Plots as self-contained SVG strings (notebooks display image/svg+xml). */

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(3));

/** Loss (train, valid) and accuracy (train, valid) per epoch, as two side-by-side panels. */
export function trainingCurvesSvg(epochs: readonly EpochRecord[], opts: { width?: number; height?: number } = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 260;
  const panelW = width / 2;
  const panels: { title: string; series: { name: string; color: string; values: (number | undefined)[] }[] }[] = [
    {
      title: "loss",
      series: [
        { name: "train", color: "#1f77b4", values: epochs.map((e) => e.loss) },
        { name: "valid", color: "#ff7f0e", values: epochs.map((e) => e.validLoss) },
      ],
    },
    {
      title: "accuracy",
      series: [
        { name: "train", color: "#1f77b4", values: epochs.map((e) => e.accuracy) },
        { name: "valid", color: "#ff7f0e", values: epochs.map((e) => e.validAccuracy) },
      ],
    },
  ];
  const parts: string[] = [];
  panels.forEach((panel, pi) => {
    const x0 = pi * panelW + 50;
    const y0 = 30;
    const w = panelW - 70;
    const h = height - 70;
    const all = panel.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
    let lo = all.length ? Math.min(...all) : 0;
    let hi = all.length ? Math.max(...all) : 1;
    if (hi - lo < 1e-9) {
      lo -= 0.5;
      hi += 0.5;
    }
    const n = Math.max(epochs.length, 1);
    const px = (i: number) => x0 + (n === 1 ? w / 2 : (i / (n - 1)) * w);
    const py = (v: number) => y0 + h - ((v - lo) / (hi - lo)) * h;
    parts.push(`<text x="${x0 + w / 2}" y="18" text-anchor="middle" font-weight="bold">${panel.title}</text>`);
    parts.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
    parts.push(`<text x="${x0 - 4}" y="${y0 + 4}" text-anchor="end">${fmt(hi)}</text>`);
    parts.push(`<text x="${x0 - 4}" y="${y0 + h}" text-anchor="end">${fmt(lo)}</text>`);
    parts.push(`<text x="${x0 + w / 2}" y="${y0 + h + 28}" text-anchor="middle">epoch</text>`);
    epochs.forEach((e, i) => parts.push(`<text x="${px(i)}" y="${y0 + h + 14}" text-anchor="middle">${e.epoch}</text>`));
    panel.series.forEach((s, si) => {
      const pts = s.values.map((v, i) => (v === undefined || !Number.isFinite(v) ? undefined : `${px(i).toFixed(1)},${py(v).toFixed(1)}`)).filter(Boolean);
      if (pts.length === 0) return;
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(" ")}"/>`);
      for (const p of pts) parts.push(`<circle cx="${p!.split(",")[0]}" cy="${p!.split(",")[1]}" r="3" fill="${s.color}"/>`);
      parts.push(`<text x="${x0 + w - 4}" y="${y0 + 14 + si * 14}" text-anchor="end" fill="${s.color}">${s.name}</text>`);
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">${parts.join("")}</svg>`;
}

/** Confusion matrix: rows are actual classes, columns predicted; darker = more images. */
export function confusionMatrixSvg(c: ConfusionMatrix, opts: { cell?: number } = {}): string {
  const cell = opts.cell ?? Math.max(28, Math.min(64, Math.floor(480 / Math.max(c.classes.length, 1))));
  const label = Math.min(140, 8 + Math.max(...c.classes.map((s) => s.length)) * 7);
  const k = c.classes.length;
  const max = Math.max(1, ...c.matrix.flat());
  const width = label + k * cell + 20;
  const height = label + k * cell + 40;
  const parts: string[] = [];
  parts.push(`<text x="${label + (k * cell) / 2}" y="14" text-anchor="middle" font-weight="bold">predicted</text>`);
  parts.push(`<text x="12" y="${label + (k * cell) / 2}" text-anchor="middle" font-weight="bold" transform="rotate(-90 12 ${label + (k * cell) / 2})">actual</text>`);
  c.classes.forEach((name, j) => {
    const x = label + j * cell + cell / 2;
    parts.push(`<text x="${x}" y="${label - 6}" text-anchor="start" transform="rotate(-45 ${x} ${label - 6})">${escapeXml(name)}</text>`);
    parts.push(`<text x="${label - 6}" y="${label + j * cell + cell / 2 + 4}" text-anchor="end">${escapeXml(name)}</text>`);
  });
  c.matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      const t = v / max;
      const shade = Math.round(255 - t * 200);
      const fill = `rgb(${shade},${Math.round(255 - t * 120)},255)`;
      const x = label + j * cell;
      const y = label + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"/>`);
      parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" fill="${t > 0.6 ? "#fff" : "#000"}">${v}</text>`);
    }),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">${parts.join("")}</svg>`;
}
