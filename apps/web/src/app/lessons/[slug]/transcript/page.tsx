import { type Chapter, type Cue, formatTime, loadLesson } from "@course/content";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { indexAt, lessonTimeHref } from "~/components/lesson/time-links";
import styles from "~/components/lesson/lesson.module.css";
import { contentDir, getCourse } from "~/server/content";

// Read at request time, as before the root layout stopped making every page dynamic (content is read at run time).
export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ slug: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const lesson = (await getCourse()).lessons.find((l) => l.slug === slug);
  if (!lesson) return { title: "Lesson not found" };
  return {
    title: `Transcript of lesson ${lesson.lesson}: ${lesson.title}`,
    description: `Full transcript of lesson ${lesson.lesson}, ${lesson.title}. ${lesson.synopsis}`,
    alternates: { canonical: `/lessons/${slug}/transcript` },
  };
}

/** Splits the cues under the chapter each starts in (cues before the first chapter get no heading). */
function groupByChapter(cues: readonly Cue[], chapters: readonly Chapter[]): { chapter: Chapter | null; cues: Cue[] }[] {
  const groups: { chapter: Chapter | null; index: number; cues: Cue[] }[] = [];
  for (const cue of cues) {
    const index = indexAt(chapters, cue.start);
    const last = groups.at(-1);
    if (last && last.index === index) last.cues.push(cue);
    else groups.push({ chapter: chapters[index] ?? null, index, cues: [cue] });
  }
  return groups;
}

/** The whole transcript as a plain server-rendered page: readable and indexable without the player. */
export default async function TranscriptPage({ params }: Props) {
  const { slug } = await params;
  const lesson = await loadLesson(contentDir(), slug);
  if (!lesson) notFound();
  const cues = lesson.transcript?.cues ?? [];
  return (
    <article className={styles.transcriptPage} lang={lesson.transcript?.language}>
      <p className={styles.small}>
        <Link href={`/lessons/${slug}`}>Back to the lesson with the video</Link>
      </p>
      <h1>
        Transcript: lesson {lesson.lesson}, {lesson.title}
      </h1>
      <p className={styles.synopsis}>{lesson.synopsis}</p>
      {cues.length === 0 ? (
        <p>This lesson has no transcript yet.</p>
      ) : (
        <>
          <p className={styles.small}>
            Each timestamp opens the video at that moment. Captions: <a href={`/lessons/${slug}/captions.vtt`}>WebVTT</a>.
          </p>
          {groupByChapter(cues, lesson.chapters).map((group, g) => (
            <section key={g} aria-labelledby={group.chapter ? `chapter-${g}` : undefined}>
              {group.chapter ? (
                <h2 id={`chapter-${g}`}>
                  <a href={lessonTimeHref(slug, group.chapter.start)} className={styles.time}>
                    {formatTime(group.chapter.start)}
                  </a>{" "}
                  {group.chapter.title}
                </h2>
              ) : null}
              <ol className={styles.transcriptLines}>
                {group.cues.map((cue, i) => (
                  <li key={i} data-testid="transcript-line">
                    <a href={lessonTimeHref(slug, cue.start)} className={styles.time}>
                      {formatTime(cue.start)}
                    </a>{" "}
                    <span>{cue.text}</span>
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </>
      )}
    </article>
  );
}
