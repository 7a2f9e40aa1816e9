import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { NotebookView } from "~/components/notebook";
import { getLessonNotebook, notebookPathFromSegments } from "~/server/notebooks";

// Read at request time, as before the root layout stopped making every page dynamic (content is read at run time).
export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ path: string[] }>;
}

/** Per request (keyed by a string, as React's cache compares arguments by identity): metadata and page read the file once. */
const loadJoined = cache(async (joined: string) => {
  const relative = notebookPathFromSegments(joined.split("/"));
  return relative ? getLessonNotebook(relative) : null;
});
const load = (segments: string[]) => loadJoined(segments.join("/"));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = await load((await params).path);
  return found ? { title: found.title, description: `The ${found.fileName} notebook of the course, to read here or download and run.` } : { title: "Notebook not found" };
}

/** A lesson notebook from content/notebooks/, rendered read-only with a download and how to run it. Public, like the lessons. */
export default async function LessonNotebookPage({ params }: Props) {
  const found = await load((await params).path);
  if (!found) notFound();
  const download = `/api/${found.path}`;
  return (
    <div className="stack">
      <div>
        <p className="hint">
          {found.lessons.length > 0 ? (
            found.lessons.map((l, i) => (
              <span key={l.slug}>
                {i > 0 ? " · " : null}
                <Link href={`/lessons/${l.slug}`}>
                  Back to lesson {l.lesson}: {l.title}
                </Link>
              </span>
            ))
          ) : (
            <Link href="/">All lessons</Link>
          )}
        </p>
        <h1>{found.title}</h1>
        <p>
          <a className="button" href={download} download={found.fileName}>
            Download {found.fileName}
          </a>
        </p>
        <p className="hint">
          Run it in a checkout of the course (where it is <code>content/{found.path}</code>) with{" "}
          <code>npx course-notebook run {found.fileName} --out {found.fileName.replace(/\.ipynb$/, "")}.executed.ipynb</code>: cells run in order and the outputs are
          written into the copy. This page shows the notebook unexecuted.
        </p>
      </div>
      <NotebookView notebook={found.notebook} label={`Notebook ${found.fileName}`} />
    </div>
  );
}
