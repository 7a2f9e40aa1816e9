import type { PrismaClient } from "@course/db";
import { getAssignment } from "../homework/assignments";
import { answerRegrade, graderView, saveReview, studentFeedback, type AnswerRegradeInput, type SaveReviewInput } from "./reviews";
import { badRequest, notFound } from "../errors";
import type { PublicUser } from "../auth/users";

/**
 * The review functions with the rubric of the submission's assignment looked up (content files, not the database):
 * what the grading router and pages call.
 */

/** The rubric of the submission's assignment; null when the assignment is gone from the content. */
export async function rubricOfSubmission(prisma: PrismaClient, submissionId: string) {
  const sub = await prisma.submission.findUnique({ where: { id: submissionId }, select: { assignmentSlug: true } });
  if (!sub) throw notFound("No such submission.");
  return (await getAssignment(sub.assignmentSlug))?.rubric ?? null;
}

export async function reviewSubmission(prisma: PrismaClient, submissionId: string) {
  return graderView(prisma, submissionId, await rubricOfSubmission(prisma, submissionId));
}

export async function saveSubmissionReview(prisma: PrismaClient, input: SaveReviewInput) {
  const rubric = await rubricOfSubmission(prisma, input.submissionId);
  if (!rubric) throw badRequest("This submission's assignment no longer exists; its rubric is unknown.");
  return saveReview(prisma, input, rubric);
}

export async function answerRegradeRequest(prisma: PrismaClient, input: AnswerRegradeInput) {
  const request = await prisma.regradeRequest.findUnique({ where: { id: input.id }, select: { submissionId: true } });
  if (!request) throw notFound("No such regrade request.");
  const rubric = input.scores ? await rubricOfSubmission(prisma, request.submissionId) : null;
  return answerRegrade(prisma, input, rubric);
}

export async function myFeedback(prisma: PrismaClient, submissionId: string, user: PublicUser) {
  return studentFeedback(prisma, submissionId, user, await rubricOfSubmission(prisma, submissionId).catch(() => null));
}
