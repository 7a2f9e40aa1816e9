import "server-only";
import { type Assignment, loadAssignments } from "@course/content";
import { contentDir, getCourse } from "../content";

/** Every assignment in content/homework, checked against the course's lessons. */
export async function getAssignments(): Promise<Assignment[]> {
  const course = await getCourse();
  return loadAssignments(contentDir(), { lessonSlugs: course.lessons.map((l) => l.slug) });
}

export async function getAssignment(slug: string): Promise<Assignment | null> {
  return (await getAssignments()).find((a) => a.slug === slug) ?? null;
}

/** The lesson's assignments; a broken assignment file yields its error message instead of breaking the lesson page. */
export async function assignmentsForLesson(lessonSlug: string): Promise<{ assignments: Assignment[]; error: string | null }> {
  try {
    return { assignments: (await getAssignments()).filter((a) => a.lesson === lessonSlug), error: null };
  } catch (error) {
    console.error("[homework]", error);
    return { assignments: [], error: (error as Error).message };
  }
}

export const deadlinePassed = (assignment: Pick<Assignment, "deadline">, now = new Date()) => now.getTime() >= assignment.deadline.getTime();
