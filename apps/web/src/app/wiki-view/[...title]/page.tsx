import type { Metadata } from "next";
import { unstable_cache } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { getDb } from "~/server/db";
import { DomainError } from "~/server/errors";
import { fileInfo } from "~/server/media/store";
import { wikiViewTag } from "~/server/page-cache";
import { viewPage } from "~/server/wiki/read";
import { isSpecialKey, parseTitle, TitleError, titleFromSegments, wikiPath } from "~/server/wiki/titles";
import { WikiArticle } from "../../wiki/wiki-article";

type Params = Promise<{ title: string[] }>;

// A wiki page as anonymous readers see it, the same for all of them: rendered once, then served from the page cache
// (cache-handler.mjs) until a write drops it (server/page-cache.ts: the writes name the views they change). Readers
// reach it at `/wiki/<Title>` (next.config.ts rewrites a plain view by someone not signed in to here); everything else
// (signed in, `?action=`, `?oldid=`, special pages) is rendered per request by `/wiki/[...title]`. `revalidate` only
// bounds how long a view could outlive a drop that never arrived.
export const revalidate = 600;
export async function generateStaticParams(): Promise<{ title: string[] }[]> {
  return [];
}

function titleOf(segments: string[]) {
  try {
    return parseTitle(titleFromSegments(segments));
  } catch (error) {
    if (error instanceof TitleError) return null;
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const t = titleOf((await params).title);
  return t ? { title: `${t.title} · Wiki`, alternates: { canonical: wikiPath(t.key) } } : { title: "Wiki" };
}

/** Tags this render with the pages it shows, so that a write that changes one of them drops it from the cache. */
async function showing(...keys: string[]) {
  const tags = keys.map(wikiViewTag);
  await unstable_cache(async () => true, ["wiki-view", ...tags], { tags })();
}

export default async function CachedWikiPage({ params }: { params: Params }) {
  const t = titleOf((await params).title);
  if (!t) notFound();
  // a spelling of a special page the rewrite let through: the page that renders it
  if (isSpecialKey(t.key)) redirect(wikiPath(t.key));
  await showing(t.key);
  const prisma = (await getDb()).prisma;
  const page = await viewPage(prisma, t.title, { id: null, role: null }).catch((error: unknown) => {
    if (error instanceof DomainError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  if (page.exists && page.redirectKey) redirect(`${wikiPath(page.redirectKey)}?rdfrom=${encodeURIComponent(page.key)}`);
  const file = t.key.startsWith("File:") ? await fileInfo(prisma, t.key.slice("File:".length)) : undefined;
  return <WikiArticle page={page} user={null} file={file} />;
}
