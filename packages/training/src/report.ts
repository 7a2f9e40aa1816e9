import type { EpochRecord } from "./classifier";
import { thumbnailDataUri } from "./images";
import type { ImageVerdict, Interpretation } from "./interpret";
import type { Evaluation } from "./metrics";
import { confusionMatrixSvg, escapeXml, trainingCurvesSvg } from "./plots";

/** A self-contained HTML page (inline SVG, thumbnails as data: URIs) summarising a model. */

export interface ReportInput {
  title?: string;
  modelId: string;
  backend: string;
  classes: string[];
  evaluation: Evaluation;
  interpretation: Interpretation;
  epochs?: readonly EpochRecord[];
  notes?: string[];
}

async function gallery(title: string, items: ImageVerdict[]): Promise<string> {
  if (items.length === 0) return `<h3>${escapeXml(title)}</h3><p>(none)</p>`;
  const figs = await Promise.all(
    items.map(async (v) => {
      const src = await thumbnailDataUri(v.file).catch(() => "");
      const img = src ? `<img src="${src}" alt="${escapeXml(v.id)}">` : `<div class="missing">unreadable</div>`;
      return `<figure>${img}<figcaption>${escapeXml(v.id)}<br>actual <b>${escapeXml(v.actual)}</b><br>predicted ${escapeXml(v.predicted)} (${(v.confidence * 100).toFixed(1)}%)</figcaption></figure>`;
    }),
  );
  return `<h3>${escapeXml(title)}</h3><div class="gallery">${figs.join("")}</div>`;
}

export async function renderReport(r: ReportInput): Promise<string> {
  const title = r.title ?? `${r.modelId} fine-tuned on ${r.classes.join(" / ")}`;
  const e = r.evaluation;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}
table{border-collapse:collapse}td,th{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}
.gallery{display:flex;flex-wrap:wrap;gap:.8rem}figure{margin:0;width:140px;font-size:12px}
figure img{max-width:128px;max-height:128px;display:block}.missing{width:128px;height:96px;background:#eee}
</style></head><body>
<h1>${escapeXml(title)}</h1>
<table>
<tr><th>backbone</th><td>${escapeXml(r.modelId)}</td></tr>
<tr><th>ran</th><td>${escapeXml(r.backend)}</td></tr>
<tr><th>images evaluated</th><td>${e.n}</td></tr>
<tr><th>accuracy</th><td>${(e.accuracy * 100).toFixed(2)}%</td></tr>
<tr><th>log loss</th><td>${e.logLoss.toFixed(4)}</td></tr>
</table>
${(r.notes ?? []).map((n) => `<p>${escapeXml(n)}</p>`).join("\n")}
${r.epochs && r.epochs.length ? `<h2>Training</h2>${trainingCurvesSvg(r.epochs)}` : ""}
<h2>Confusion matrix</h2>
${confusionMatrixSvg(e.confusion)}
<h2>Look at the results</h2>
${await gallery("Most confident and right", r.interpretation.mostConfidentCorrect)}
${await gallery("Most confident and wrong", r.interpretation.mostConfidentWrong)}
${await gallery("Most uncertain", r.interpretation.mostUncertain)}
</body></html>
`;
}
