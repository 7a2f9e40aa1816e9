import { existsSync } from "node:fs";
import path from "node:path";
import { BACKBONES, type BackboneSpec } from "@course/training/registry";

/** Where a backbone sits in a models folder: its id's folder or another name it is known by, with its entry file. */
function folderOf(modelsDir: string, spec: BackboneSpec): string | null {
  for (const name of [spec.id, ...(spec.folderNames ?? [])]) {
    const folder = path.join(modelsDir, name);
    if (existsSync(path.join(folder, "model.json")) || existsSync(path.join(folder, "manifest.json"))) return name;
  }
  return null;
}

/**
 * One line on the pretrained backbones notebooks will find (the sandbox has no network, so a backbone not in the
 * models folder cannot be downloaded during a job): which are there, and for each missing one what to copy where.
 * The homework template falls back to a weaker backbone with a printed reason, so a missing one lowers scores
 * rather than failing jobs; operators should know before students do.
 */
export function describeModels(modelsDir: string | undefined, backbones: readonly BackboneSpec[] = Object.values(BACKBONES)): string {
  if (!modelsDir) {
    return `models: none mounted (--models-dir / COURSE_MODELS_DIR): notebooks that load a pretrained backbone fail, since jobs have no network. Mount a folder holding ${backbones.map((b) => b.id).join(", ")}.`;
  }
  const found: string[] = [];
  const missing: string[] = [];
  for (const spec of backbones) {
    const name = folderOf(modelsDir, spec);
    if (name) found.push(name === spec.id ? spec.id : `${spec.id} (${name})`);
    else {
      const names = [spec.id, ...(spec.folderNames ?? [])].map((n) => path.join(modelsDir, n)).join(" or ");
      missing.push(`${spec.id} (put it at ${names}${spec.defaultUrl ? `; public copy: ${spec.defaultUrl}` : ""})`);
    }
  }
  return `models in ${modelsDir}: ${found.length ? found.join(", ") : "none"}${missing.length ? `; missing: ${missing.join("; ")}` : ""}`;
}
