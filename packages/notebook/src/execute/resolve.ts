// Bare-specifier resolution for notebook imports from a given directory (the notebook's cwd),
// following package.json "exports" with Node's import conditions, then "main".
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { exports as resolveExports } from "resolve.exports";

function splitSpecifier(spec: string): { name: string; subpath: string } | undefined {
  const parts = spec.split("/");
  const scoped = spec.startsWith("@");
  const nameParts = parts.slice(0, scoped ? 2 : 1);
  if (nameParts.some((p) => !p) || (scoped && nameParts.length < 2)) return undefined;
  const rest = parts.slice(nameParts.length).join("/");
  return { name: nameParts.join("/"), subpath: rest ? `./${rest}` : "." };
}

function fileCandidates(base: string): string[] {
  return [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, `${base}.json`, path.join(base, "index.js"), path.join(base, "index.mjs")];
}

function firstFile(candidates: string[]): string | undefined {
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** File URL for `spec` as a package installed in `dir` or one of its parents; undefined if none. */
export function resolvePackageFrom(dir: string, spec: string): string | undefined {
  const parsed = splitSpecifier(spec);
  if (!parsed) return undefined;
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const pkgDir = path.join(current, "node_modules", parsed.name);
    const pkgJson = path.join(pkgDir, "package.json");
    if (existsSync(pkgJson)) {
      const pkg = JSON.parse(readFileSync(pkgJson, "utf8")) as { exports?: unknown; main?: string; name?: string };
      let file: string | undefined;
      if (pkg.exports !== undefined) {
        // Throws a clear "Missing ... specifier" error when the subpath is not exported.
        const targets = resolveExports({ ...pkg, name: parsed.name }, parsed.subpath, { conditions: ["node", "import"] }) ?? [];
        file = firstFile(targets.map((t) => path.join(pkgDir, t)));
      } else if (parsed.subpath === ".") {
        file = firstFile([...(pkg.main ? fileCandidates(path.join(pkgDir, pkg.main)) : []), ...fileCandidates(path.join(pkgDir, "index"))]);
      } else {
        file = firstFile(fileCandidates(path.join(pkgDir, parsed.subpath)));
      }
      if (file) return pathToFileURL(file).href;
    }
    if (path.dirname(current) === current) return undefined;
  }
}
