import { formatTime } from "@course/content";
import type { Route } from "next";
import Link from "next/link";
import { getCurrentUser } from "~/server/auth/session";
import { getCourse } from "~/server/content";
import { startPosition } from "~/server/progress";
import { api } from "~/trpc/server";

export default async function CourseHome() {
  const [course, user] = await Promise.all([getCourse(), getCurrentUser()]);
  const progress = user ? new Map((await (await api()).progress.forCourse()).map((p) => [p.lessonSlug, p])) : null;
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
            const mine = progress?.get(lesson.slug);
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
                  {mine ? (
                    <div data-testid="lesson-progress">
                      {startPosition(null, mine.positionSeconds, lesson.duration).reason === "resume" ? (
                        <Link href={`/lessons/${lesson.slug}` as Route} className="badge">
                          Resume at {formatTime(mine.positionSeconds)}
                        </Link>
                      ) : (
                        <span className="badge">{lesson.duration && mine.positionSeconds >= lesson.duration - 15 ? "Watched" : "Opened"}</span>
                      )}
                    </div>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
