import { formatTime } from "@course/content";
import type { Route } from "next";
import Link from "next/link";
import { LessonProgressBadge } from "~/components/lesson-progress-badge";
import { getCourse } from "~/server/content";

// The same page for everyone, served from the page cache (cache-handler.mjs) keyed by the content version; a
// student's progress is filled in by the browser (LessonProgressBadge). Rendered on the first request after start,
// never from the build (content is read at run time).
export const revalidate = 60;

export default async function CourseHome() {
  const course = await getCourse();
  return (
    <>
      <h1>Practical Deep Learning for Coders</h1>
      <p className="lead">
        Train a state-of-the-art image classifier in a few lines of TypeScript, then learn what makes it work. Each lesson
        has a video with a clickable timeline, a transcript, and a notebook to run.
      </p>
      <h2>Lessons</h2>
      {course.lessons.length === 0 ? (
        <p className="card">No lessons yet: add <code>.mdx</code> files to <code>content/lessons/</code>.</p>
      ) : (
        <ol className="lesson-list" aria-label="Lessons">
          {course.lessons.map((lesson) => {
            return (
              <li key={lesson.slug} className="card lesson-item" data-testid="lesson-item">
                <div className="lesson-number" aria-hidden="true">{lesson.lesson}</div>
                <div>
                  <div className="lesson-title">
                    <Link href={`/lessons/${lesson.slug}` as Route}>
                      Lesson {lesson.lesson}: {lesson.title}
                    </Link>
                  </div>
                  <div className="lesson-meta">{lesson.synopsis}</div>
                </div>
                <div className="lesson-side lesson-meta">
                  {lesson.duration ? <span>{formatTime(lesson.duration)}</span> : null}
                  {lesson.chapters?.length ? <span> · {lesson.chapters.length} {lesson.chapters.length === 1 ? "chapter" : "chapters"}</span> : null}
                  <LessonProgressBadge slug={lesson.slug} duration={lesson.duration ?? null} />
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
