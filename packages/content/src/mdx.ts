import type { Plugin } from "esbuild";
import remarkGfm from "remark-gfm";
import { ContentError } from "./errors";
import { splitFrontMatter } from "./frontmatter";
import { checkMdxPolicy, type PolicyOptions } from "./mdx-policy";

/** The only module the compiled MDX may reference; mdx-bundler maps it to the `_jsx_runtime` global. */
const ALLOWED_IMPORTS = new Set(["react/jsx-runtime"]);

/** Defense in depth: even if an import slipped past the policy, esbuild must not read any file. */
const noFilesystemAccess: Plugin = {
  name: "course-no-filesystem-access",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point" || ALLOWED_IMPORTS.has(args.path)) return undefined;
      return { errors: [{ text: `lesson content may not import "${args.path}"` }] };
    });
  },
};

const refuse = () => {
  throw new Error("only YAML front matter is supported");
};

export interface CompiledMdx {
  /** Code for `getMDXComponent(code)` from `mdx-bundler/client` (an IIFE; components passed at render). */
  code: string;
}

/**
 * Compiles a lesson file's body. The front matter is parsed by this package (not by mdx-bundler),
 * so it is blanked out before bundling; line numbers in errors are file lines. The body is first
 * checked against the MDX policy (see `mdx-policy.ts`); a violation throws a {@link ContentError}
 * before anything is bundled.
 */
export async function compileLessonMdx(source: string, displayPath: string, options: PolicyOptions = {}): Promise<CompiledMdx> {
  const split = splitFrontMatter(source);
  const body = split ? split.bodyWithBlankFrontMatter : source;
  const problems = checkMdxPolicy(body, displayPath, options);
  if (problems.length > 0) throw new ContentError(problems);
  // Loaded on first use: listing lessons and the CLI's import commands never need esbuild.
  const { bundleMDX } = await import("mdx-bundler");
  try {
    const result = await bundleMDX({
      source: body,
      // gray-matter can evaluate `---js` front matter; never let it.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- mdx-bundler's types import @mdx-js/esbuild/lib, which that package's exports hide, so `o` has no type
      mdxOptions: (o) => ({ ...o, remarkPlugins: [...(o.remarkPlugins ?? []), remarkGfm] }),
      grayMatterOptions: (o) => ({ ...o, engines: { js: refuse, javascript: refuse, coffee: refuse } }),
      esbuildOptions: (o) => ({
        ...o,
        plugins: [noFilesystemAccess, ...(o.plugins ?? [])],
        minify: true,
        target: "es2022",
        logLevel: "silent",
      }),
    });
    return { code: result.code };
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { line: number } | null }[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      throw new ContentError(errors.map((e) => (e.location ? { file: displayPath, line: e.location.line, message: `MDX compile error: ${e.text}` } : { file: displayPath, message: `MDX compile error: ${e.text}` })));
    }
    throw new ContentError([{ file: displayPath, message: `MDX compile error: ${(error as Error).message}` }]);
  }
}
