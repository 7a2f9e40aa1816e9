import { formatTime, loadLesson } from "@course/content";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LessonThreadBox } from "~/components/forum/lesson-thread-box";
import { HomeworkBox } from "~/components/homework/homework-box";
import { AskMoment } from "~/components/lesson/ask-moment";
import { ChapterTimeline } from "~/components/lesson/chapter-timeline";
import { LessonBody } from "~/components/lesson/lesson-body";
import { lessonLinks } from "~/components/lesson/lesson-links";
import { LessonNav, type NavTarget } from "~/components/lesson/lesson-nav";
import { TranscriptPanel } from "~/components/lesson/transcript-panel";
import { VideoPlayer } from "~/components/lesson/video-player";
import { WikiTimeline } from "~/components/lesson/wiki-timeline";
import { LessonResumeNote, LessonViewer } from "~/components/lesson/lesson-viewer";
import { youtubeWatchUrl } from "~/components/lesson/youtube-api";
import { youtubeApiUrl } from "~/components/lesson/youtube-config";
import styles from "~/components/lesson/lesson.module.css";
import { contentDir, getCourse } from "~/server/content";
import { assignmentsForLesson } from "~/server/homework/assignments";

interface Props {
  params: Promise<{ slug: string }>;
}

// The page is the same for every visitor, so it is rendered once and served from the page cache (cache-handler.mjs),
// keyed by the content version; who is watching (resume position, progress) is LessonViewer's, in the browser.
// Lessons are rendered on first visit, not at build time (content is read at run time); `revalidate` bounds how
// long the homework box's "time left" may be behind.
export const revalidate = 60;
export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const lesson = (await getCourse()).lessons.find((l) => l.slug === slug);
  if (!lesson) return { title: "Lesson not found" };
  return { title: `Lesson ${lesson.lesson}: ${lesson.title}`, description: lesson.synopsis };
}

export default async function LessonPage({ params }: Props) {
  const { slug } = await params;
  const [lesson, course] = await Promise.all([loadLesson(contentDir(), slug), getCourse()]);
  if (!lesson) notFound();

  const navTarget = (target: string | null): NavTarget | null => {
    const meta = target ? course.lessons.find((l) => l.slug === target) : undefined;
    return meta ? { href: `/lessons/${meta.slug}`, title: `Lesson ${meta.lesson}: ${meta.title}` } : null;
  };
  const chapters = lesson.chapters.map((c) => ({ start: c.start, title: c.title, label: formatTime(c.start) }));
  const cues = (lesson.transcript?.cues ?? []).map((c) => ({ start: c.start, end: c.end, text: c.text, label: formatTime(c.start) }));

  return (
    <LessonViewer slug={slug} youtubeId={lesson.youtubeId} apiUrl={youtubeApiUrl()} duration={lesson.duration ?? null}>
      <article className={styles.lesson}>
        <p className={styles.small}>
          <Link href="/">All lessons</Link>
        </p>
        <h1>
          Lesson {lesson.lesson}: {lesson.title}
        </h1>
        {lesson.youtubeId !== null ? <LessonResumeNote /> : null}
        {lesson.youtubeId !== null ? (
          <div className={styles.media}>
            <div className={styles.mediaMain}>
              <VideoPlayer title={lesson.title} />
              <p className={styles.small}>
                {lesson.transcript ? (
                  <>
                    <a href={`/lessons/${slug}/captions.vtt`} type="text/vtt" data-testid="captions-link">
                      Captions (WebVTT, {lesson.transcript.language})
                    </a>
                    {" · "}
                    <Link href={`/lessons/${slug}/transcript`}>Read the transcript</Link>
                    {" · "}
                  </>
                ) : null}
                <a href={youtubeWatchUrl(lesson.youtubeId)} rel="noopener noreferrer">
                  Watch on YouTube
                </a>
                {lesson.duration ? <> · {formatTime(lesson.duration)}</> : null}
                {" · "}
                <AskMoment forumThread={lesson.forumThread} />
              </p>
            </div>
            <div className={styles.side}>
              <ChapterTimeline chapters={chapters} />
              <WikiTimeline slug={slug} />
              {cues.length > 0 ? <TranscriptPanel cues={cues} slug={slug} forumThread={lesson.forumThread} /> : <p className={styles.small}>No transcript for this lesson yet.</p>}
            </div>
          </div>
        ) : (
          // A lesson without a video of its own (front matter without youtube_id): no player, chapters or duration.
          <p className={styles.small} data-testid="no-video">
            This lesson has no video: it is a page to read and follow.
          </p>
        )}
        <p className={styles.synopsis}>{lesson.synopsis}</p>
        <div className={styles.body}>
          <LessonBody code={lesson.code} slug={slug} />
        </div>
        <HomeworkBox {...await assignmentsForLesson(slug)} />
        <section className={styles.links} aria-labelledby="lesson-links-heading">
          <h2 id="lesson-links-heading">Wiki, notes and discussion</h2>
          <ul>
            {lessonLinks(lesson).map((link) => (
              <li key={link.label} data-testid="lesson-link">
                {link.label}:{" "}
                {link.href ? (
                  <a href={link.href}>{link.name}</a>
                ) : (
                  <>
                    <span className={styles.linkName}>{link.name}</span> <span className={styles.small}>(coming soon)</span>
                  </>
                )}
              </li>
            ))}
          </ul>
          <LessonThreadBox slug={slug} />
        </section>
        <LessonNav prev={navTarget(lesson.prev)} next={navTarget(lesson.next)} />
      </article>
    </LessonViewer>
  );
}
