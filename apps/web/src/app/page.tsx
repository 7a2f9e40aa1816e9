import { formatTime } from "@course/content";
import Link from "next/link";
import { LessonProgressBadge } from "~/components/lesson-progress-badge";
import { getCourse } from "~/server/content";

// The same page for everyone, served from the page cache (cache-handler.mjs) keyed by the content version; a
// student's progress is filled in by the browser (LessonProgressBadge). Rendered on the first request after start,
// never from the build (content is read at run time).
export const revalidate = 60;

type LessonSummary = Awaited<ReturnType<typeof getCourse>>["lessons"][number];

/** What one lesson really has, from its content: "Video 31:14 · 6 chapters · transcript", or "Reading, no video". */
function lessonHas(lesson: LessonSummary): string {
  if (lesson.youtubeId === null) return "Reading, no video";
  const parts = [lesson.duration ? `Video ${formatTime(lesson.duration)}` : "Video"];
  if (lesson.chapters.length > 0) parts.push(`${lesson.chapters.length} ${lesson.chapters.length === 1 ? "chapter" : "chapters"}`);
  if (lesson.hasTranscript) parts.push("transcript");
  return parts.join(" · ");
}

/** The course-wide promise, made only of what the lessons have (a missing transcript is not promised). */
function promises(lessons: readonly LessonSummary[]): string {
  const videos = lessons.filter((l) => l.youtubeId !== null);
  if (videos.length === 0) return "";
  const timeline = videos.some((l) => l.chapters.length > 0) ? " with a clickable chapter timeline" : "";
  const transcripts = videos.filter((l) => l.hasTranscript).length;
  const which = (n: number) => (n === lessons.length ? "Every lesson has" : n === 1 ? "One lesson has" : `${n} lessons have`);
  let text = ` ${which(videos.length)} a video${timeline}`;
  if (transcripts > 0) text += transcripts === videos.length ? (videos.length === 1 ? ", with a synced transcript" : ", each with a synced transcript") : `; ${transcripts === 1 ? "one has" : `${transcripts} have`} a synced transcript`;
  return `${text}.`;
}

export default async function CourseHome() {
  const course = await getCourse();
  return (
    <>
      <h1>Practical Deep Learning for Coders</h1>
      <p className="lead" data-testid="course-lead">
        Train a state-of-the-art image classifier in a few lines of TypeScript, then learn what makes it work.
        {promises(course.lessons)}
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
                    <Link href={`/lessons/${lesson.slug}`}>
                      Lesson {lesson.lesson}: {lesson.title}
                    </Link>
                  </div>
                  <div className="lesson-meta">{lesson.synopsis}</div>
                </div>
                <div className="lesson-side lesson-meta">
                  <span data-testid="lesson-has">{lessonHas(lesson)}</span>
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
