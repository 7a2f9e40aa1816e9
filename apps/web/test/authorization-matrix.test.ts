import fs from "node:fs";
import path from "node:path";
import type { Database } from "@course/db";
import { TRPCError } from "@trpc/server";
import { describe, expect, it, vi } from "vitest";
import { completion, notebookText, scoreJob, storeSubmission, uploadRequest } from "./homework-support";
import type { PublicUser } from "~/server/auth/users";
import { DomainError } from "~/server/errors";
import { authSecret } from "~/server/auth/secret";
import { unsubscribeToken } from "~/server/email/unsubscribe";
import { submissionWithFiles } from "~/server/homework/student";
import { canReadSubmission } from "~/server/homework/submissions";
import { claimNextJob } from "~/server/runner/queue";
import { createRunnerToken } from "~/server/runner/tokens";
import { syncForumCategories } from "~/server/forum/categories";
import { deletePost, replyToTopic } from "~/server/forum/posts";
import { createTopic, deleteTopic } from "~/server/forum/topics";
import { deletePage, protectPage, savePage } from "~/server/wiki/pages";
import { flagPost } from "~/server/forum/flags";
import { appRouter, createCaller } from "~/server/trpc/root";
import { eachBackend, emptyDatabase } from "./support/backends";

// Route handlers read the session and the database through these two modules: the test decides both.
const current = vi.hoisted(() => ({ user: null as PublicUser | null, db: null as Database | null }));
vi.mock("~/server/auth/session", () => ({
  getCurrentUser: async () => current.user,
  requireUser: async () => {
    throw new Error("pages are not rendered in this test");
  },
}));
vi.mock("~/server/db", () => ({
  getDb: async () => {
    if (!current.db) throw new Error("no database");
    return current.db;
  },
}));

const ACTORS = ["anonymous", "runner", "student", "otherStudent", "grader", "admin"] as const;
type Actor = (typeof ACTORS)[number];
type Outcome = "ok" | "REDIRECT" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST";
type Expectations = Record<Actor, Outcome>;

/** Signed in as anyone (student and up); anonymous and runner tokens are not users. */
const SIGNED_IN: Expectations = { anonymous: "UNAUTHORIZED", runner: "UNAUTHORIZED", student: "ok", otherStudent: "ok", grader: "ok", admin: "ok" };
const PUBLIC: Expectations = { anonymous: "ok", runner: "ok", student: "ok", otherStudent: "ok", grader: "ok", admin: "ok" };
const GRADERS: Expectations = { anonymous: "UNAUTHORIZED", runner: "UNAUTHORIZED", student: "FORBIDDEN", otherStudent: "FORBIDDEN", grader: "ok", admin: "ok" };
const ADMINS: Expectations = { ...GRADERS, grader: "FORBIDDEN" };
/** The student's own submission: others signed in see nothing (NOT_FOUND, as for a missing id); graders may read it. */
const OWNER_OR_GRADER: Expectations = { ...SIGNED_IN, otherStudent: "NOT_FOUND" };
/** The student's own work only: even graders get NOT_FOUND (they have their own procedures). */
const OWNER_ONLY: Expectations = { ...SIGNED_IN, otherStudent: "NOT_FOUND", grader: "NOT_FOUND", admin: "NOT_FOUND" };

interface Fixture {
  users: Record<Exclude<Actor, "anonymous" | "runner">, PublicUser>;
  /** the student's scored submission with a returned review (no open regrade) and a grader's comment */
  submissionId: string;
  /** another of the student's submissions, returned, with an open regrade request */
  regradeId: string;
  commentId: string;
  runnerToken: string;
  runnerId: string;
  /** a job the runner token holds (running) */
  runningJobId: string;
  /** the student's topic (a reply of theirs, one of otherStudent's, one of theirs a grader deleted) */
  forumTopicId: string;
  forumPostId: string;
  /** the student's reply in lesson 1's category (may be added to the lesson's notes) */
  forumLessonPostId: string;
  forumDeletedPostId: string;
  /** otherStudent's reply in the student's topic (general is solvable here) */
  forumOtherPostId: string;
  /** the student's topic without replies, and a topic a grader deleted */
  forumLonelyTopicId: string;
  forumDeletedTopicId: string;
  /** the student's one-click link for "review-returned" emails */
  unsubscribeToken: string;
  /** a reply of otherStudent's with a pending flag */
  flaggedPostId: string;
  /** a silenced student, and a suspended one */
  silencedUserId: string;
  /** an email to the student that the mail server refused for good */
  failedEmailId: string;
  suspendedUserId: string;
}

/** tRPC procedures: input for each, and who may call it. A procedure missing here fails the test. */
const PROCEDURES: Record<string, { input: (f: Fixture) => unknown; expect: Expectations }> = {
  "auth.signUp": {
    input: () => ({ email: `new-${Math.random()}@example.com`, password: "a sound passphrase" }),
    // Signed-in users are refused: "Sign out first".
    expect: { ...PUBLIC, student: "BAD_REQUEST", otherStudent: "BAD_REQUEST", grader: "BAD_REQUEST", admin: "BAD_REQUEST" },
  },
  "account.me": { input: () => undefined, expect: PUBLIC },
  "account.updateName": { input: () => ({ name: "Renamed" }), expect: SIGNED_IN },
  "account.changePassword": { input: () => ({ current: "", next: "zebra violin mountain 42" }), expect: SIGNED_IN },
  "account.signOutEverywhere": { input: () => undefined, expect: SIGNED_IN },
  "admin.users": { input: () => ({}), expect: ADMINS },
  "admin.setRole": { input: (f) => ({ email: f.users.otherStudent.email, role: "grader" }), expect: ADMINS },
  "admin.retryEmail": { input: (f) => ({ id: f.failedEmailId }), expect: ADMINS },
  "progress.open": { input: () => ({ slug: "lesson-1" }), expect: SIGNED_IN },
  "progress.save": { input: () => ({ slug: "lesson-1", positionSeconds: 10 }), expect: SIGNED_IN },
  "progress.forCourse": { input: () => undefined, expect: SIGNED_IN },
  "search.query": { input: () => ({ q: "cats and dogs" }), expect: PUBLIC },
  "lessonWiki.timeline": { input: () => ({ slug: "lesson-1" }), expect: PUBLIC },
  "homework.assignment": { input: () => ({ slug: "open-hw" }), expect: PUBLIC },
  "homework.mySubmissions": { input: () => ({ slug: "open-hw" }), expect: SIGNED_IN },
  "homework.submission": { input: (f) => ({ id: f.submissionId }), expect: OWNER_OR_GRADER },
  "homework.setFinal": { input: (f) => ({ id: f.submissionId, final: true }), expect: OWNER_ONLY },
  "homework.profile": { input: () => undefined, expect: SIGNED_IN },
  "homework.updateProfile": { input: () => ({ displayName: "Me", anonymous: false }), expect: SIGNED_IN },
  "leaderboard.get": { input: () => ({ slug: "open-hw" }), expect: PUBLIC },
  "leaderboard.mine": { input: () => ({ slug: "open-hw" }), expect: PUBLIC },
  "notifications.unreadCount": { input: () => undefined, expect: SIGNED_IN },
  "notifications.list": { input: () => undefined, expect: SIGNED_IN },
  "notifications.markRead": { input: () => ({}), expect: SIGNED_IN },
  "notifications.preferences": { input: () => undefined, expect: SIGNED_IN },
  "notifications.setPreference": { input: () => ({ kind: "submission-scored", inApp: false }), expect: SIGNED_IN },
  "notifications.emailSettings": { input: () => undefined, expect: SIGNED_IN },
  "notifications.setEmailDelivery": { input: () => ({ delivery: "daily" }), expect: SIGNED_IN },
  "operations.runners.list": { input: () => undefined, expect: ADMINS },
  "operations.runners.createToken": { input: () => ({ name: "gpu box" }), expect: ADMINS },
  "operations.runners.revoke": { input: (f) => ({ id: f.runnerId }), expect: ADMINS },
  "operations.jobs.list": { input: () => ({}), expect: ADMINS },
  "operations.jobs.get": { input: (f) => ({ id: f.runningJobId }), expect: ADMINS },
  // A running job is not requeued: admins pass the role check and get the refusal.
  "operations.jobs.requeue": { input: (f) => ({ id: f.runningJobId }), expect: { ...ADMINS, admin: "BAD_REQUEST" } },
  "operations.jobs.cancel": { input: (f) => ({ id: f.runningJobId }), expect: ADMINS },
  "grading.queue": { input: () => ({ assignment: "open-hw", review: "returned" }), expect: GRADERS },
  "grading.submission": { input: (f) => ({ id: f.submissionId }), expect: GRADERS },
  "grading.saveReview": { input: (f) => ({ submissionId: f.submissionId, scores: { runs: 1 }, feedback: "Well done", feedbackBaseNumber: 0, action: "return" }), expect: GRADERS },
  "grading.addComment": { input: (f) => ({ submissionId: f.submissionId, cellIndex: 0, body: "Look here" }), expect: GRADERS },
  // The comment's author is the grader; admins may edit anyone's.
  "grading.editComment": { input: (f) => ({ id: f.commentId, body: "Edited", baseNumber: 0 }), expect: GRADERS },
  "grading.deleteComment": { input: (f) => ({ id: f.commentId }), expect: GRADERS },
  "grading.answerRegrade": {
    input: (f) => ({ id: f.regradeId, answer: "Checked again: the score stands." }),
    expect: GRADERS,
  },
  // Histories are the graders' (students see only the current returned text, through myFeedback).
  "grading.history": { input: (f) => ({ text: { of: "feedback", submissionId: f.submissionId } }), expect: GRADERS },
  "grading.historyDiff": { input: (f) => ({ text: { of: "comment", commentId: f.commentId }, from: 0, to: 0 }), expect: GRADERS },
  "grading.myFeedback": { input: (f) => ({ submissionId: f.submissionId }), expect: OWNER_ONLY },
  "grading.requestRegrade": { input: (f) => ({ submissionId: f.submissionId, reason: "Please check cell 1." }), expect: OWNER_ONLY },
  // The wiki: anyone reads, signed-in users write; "Matrix page" (2 revisions) exists, "Guarded page" is protected for graders.
  "wiki.page": { input: () => ({ title: "Matrix page" }), expect: PUBLIC },
  "wiki.forEdit": { input: () => ({ title: "Matrix page" }), expect: PUBLIC },
  "wiki.history": { input: () => ({ title: "Matrix page" }), expect: PUBLIC },
  "wiki.diff": { input: () => ({ title: "Matrix page", from: 1, to: 2 }), expect: PUBLIC },
  "wiki.info": { input: () => ({ title: "Matrix page" }), expect: PUBLIC },
  "wiki.whatLinksHere": { input: () => ({ title: "Matrix page" }), expect: PUBLIC },
  "wiki.suggest": { input: () => ({ prefix: "matrix" }), expect: PUBLIC },
  "wiki.allPages": { input: () => undefined, expect: PUBLIC },
  "wiki.log": { input: () => undefined, expect: PUBLIC },
  "wiki.recentChanges": { input: () => ({ user: "student", hideMinor: true }), expect: PUBLIC },
  "wiki.preview": { input: () => ({ body: "Some [[Matrix page]] text" }), expect: SIGNED_IN },
  "wiki.save": { input: () => ({ title: "Matrix page", body: "Edited.", baseRevision: 2 }), expect: SIGNED_IN },
  "wiki.watchlist": { input: () => undefined, expect: SIGNED_IN },
  "wiki.watch": { input: () => ({ title: "Matrix page", watch: true }), expect: SIGNED_IN },
  "wiki.revert": { input: () => ({ title: "Matrix page", revision: 1 }), expect: SIGNED_IN },
  "wiki.undo": { input: () => ({ title: "Matrix page", revision: 2 }), expect: SIGNED_IN },
  "wiki.move": { input: () => ({ title: "Matrix page", to: "Moved matrix page", reason: "test" }), expect: SIGNED_IN },
  // A protected page: signed-in students pass the role check and are refused by the page's protection.
  "wiki.save#protected": {
    input: () => ({ title: "Guarded page", body: "Changed.", baseRevision: 1 }),
    expect: { ...GRADERS, student: "FORBIDDEN", otherStudent: "FORBIDDEN" },
  },
  "wiki.protect": { input: () => ({ title: "Matrix page", level: "grader", reason: "test" }), expect: GRADERS },
  "wiki.delete": { input: () => ({ title: "Matrix page", reason: "test" }), expect: ADMINS },
  "wiki.restore": { input: () => ({ title: "Deleted page", reason: "test" }), expect: ADMINS },
  // The forum: anyone reads; members write; the author edits and deletes their own; graders and admins moderate.
  "forum.categories": { input: () => undefined, expect: PUBLIC },
  "forum.topics": { input: () => ({ category: "general" }), expect: PUBLIC },
  "forum.topic": { input: (f) => ({ id: f.forumTopicId, post: 2 }), expect: PUBLIC },
  "forum.posts": { input: (f) => ({ topicId: f.forumTopicId, after: 1 }), expect: PUBLIC },
  "forum.post": { input: (f) => ({ id: f.forumPostId }), expect: PUBLIC },
  "forum.history": { input: (f) => ({ id: f.forumPostId }), expect: PUBLIC },
  "forum.diff": { input: (f) => ({ id: f.forumPostId, from: 0, to: 1 }), expect: PUBLIC },
  "forum.lessonThread": { input: () => ({ slug: "lesson-1" }), expect: PUBLIC },
  "forum.preview": { input: () => ({ body: "Some **text** and [[Matrix page]]" }), expect: SIGNED_IN },
  "forum.createTopic": { input: () => ({ category: "general", title: "A new question", body: "How?" }), expect: SIGNED_IN },
  // A wiki page's first discussion post creates its topic; anyone signed in may start it.
  "forum.discussWikiPage": { input: () => ({ title: "Matrix page", body: "Let us talk about it" }), expect: SIGNED_IN },
  // The student's own reply in a lesson's category: its author, graders and admins add it to the lesson's notes.
  "forum.promoteToNotes": { input: (f) => ({ postId: f.forumLessonPostId }), expect: { ...SIGNED_IN, otherStudent: "FORBIDDEN" } },
  "forum.reply": { input: (f) => ({ topicId: f.forumTopicId, body: "Me too", replyTo: 2 }), expect: SIGNED_IN },
  "forum.forEdit": { input: (f) => ({ id: f.forumPostId }), expect: SIGNED_IN },
  // The student's own reply: its author and moderators edit and delete it.
  "forum.edit": { input: (f) => ({ id: f.forumPostId, body: "Edited", baseRevision: 1 }), expect: { ...SIGNED_IN, otherStudent: "FORBIDDEN" } },
  "forum.delete": { input: (f) => ({ id: f.forumPostId }), expect: { ...SIGNED_IN, otherStudent: "FORBIDDEN" } },
  // A grader deleted the student's post: moderators restore it; its author may not; others do not see it.
  "forum.restore": { input: (f) => ({ id: f.forumDeletedPostId }), expect: { ...SIGNED_IN, student: "FORBIDDEN", otherStudent: "NOT_FOUND" } },
  "forum.updateTopic": { input: (f) => ({ id: f.forumTopicId, title: "A better title" }), expect: { ...SIGNED_IN, otherStudent: "FORBIDDEN" } },
  "forum.setState": { input: (f) => ({ id: f.forumTopicId, state: "closed", on: true }), expect: GRADERS },
  // With replies, only moderators delete a topic; without, its author may too.
  "forum.deleteTopic": { input: (f) => ({ id: f.forumTopicId }), expect: { ...GRADERS } },
  "forum.deleteTopic#own": { input: (f) => ({ id: f.forumLonelyTopicId }), expect: { ...SIGNED_IN, otherStudent: "FORBIDDEN" } },
  "forum.restoreTopic": { input: (f) => ({ id: f.forumDeletedTopicId }), expect: { ...SIGNED_IN, student: "NOT_FOUND", otherStudent: "NOT_FOUND" } },
  // The conversation: each member's own likes, bookmarks, levels, reading and drafts; answers by the topic's author,
  // graders and admins. otherStudent wrote forumOtherPostId (no liking one's own post) and not the topic.
  "forumConversation.like": { input: (f) => ({ postId: f.forumOtherPostId }), expect: { ...SIGNED_IN, otherStudent: "FORBIDDEN" } },
  "forumConversation.unlike": { input: (f) => ({ postId: f.forumOtherPostId }), expect: SIGNED_IN },
  "forumConversation.likers": { input: (f) => ({ postId: f.forumOtherPostId }), expect: PUBLIC },
  "forumConversation.bookmark": { input: (f) => ({ postId: f.forumOtherPostId, note: "later" }), expect: SIGNED_IN },
  "forumConversation.removeBookmark": { input: (f) => ({ postId: f.forumOtherPostId }), expect: SIGNED_IN },
  "forumConversation.bookmarks": { input: () => undefined, expect: SIGNED_IN },
  "forumConversation.markSolved": { input: (f) => ({ postId: f.forumOtherPostId }), expect: { ...SIGNED_IN, otherStudent: "FORBIDDEN" } },
  "forumConversation.unmarkSolved": { input: (f) => ({ topicId: f.forumTopicId }), expect: { ...SIGNED_IN, otherStudent: "FORBIDDEN" } },
  "forumConversation.mentionSuggest": { input: (f) => ({ prefix: "oth", topicId: f.forumTopicId }), expect: SIGNED_IN },
  "forumConversation.setTopicLevel": { input: (f) => ({ topicId: f.forumTopicId, level: "watching" }), expect: SIGNED_IN },
  "forumConversation.setCategoryLevel": { input: () => ({ category: "general", level: "muted" }), expect: SIGNED_IN },
  "forumConversation.categoryLevels": { input: () => undefined, expect: SIGNED_IN },
  "forumConversation.markRead": { input: (f) => ({ topicId: f.forumTopicId, upToNumber: 2, seconds: 3 }), expect: SIGNED_IN },
  "forumConversation.firstUnread": { input: (f) => ({ topicId: f.forumTopicId }), expect: PUBLIC },
  "forumConversation.unreadCounts": { input: () => undefined, expect: SIGNED_IN },
  "forumConversation.topicStates": { input: (f) => ({ topicIds: [f.forumTopicId] }), expect: SIGNED_IN },
  "forumConversation.topic": { input: (f) => ({ topicId: f.forumTopicId }), expect: PUBLIC },
  "forumConversation.postStates": { input: (f) => ({ postIds: [f.forumPostId, f.forumOtherPostId] }), expect: SIGNED_IN },
  "forumConversation.draft": { input: (f) => ({ key: `topic:${f.forumTopicId}` }), expect: SIGNED_IN },
  "forumConversation.drafts": { input: () => undefined, expect: SIGNED_IN },
  "forumConversation.saveDraft": { input: (f) => ({ key: `topic:${f.forumTopicId}`, body: "Half a reply", sequence: 0 }), expect: SIGNED_IN },
  "forumConversation.deleteDraft": { input: (f) => ({ key: `topic:${f.forumTopicId}` }), expect: SIGNED_IN },
  // The forum's trust and safety. Everyone in the fixture is at trust level 0: students may not flag yet (the trust
  // check refuses them); graders and admins count as level 4.
  "forumModeration.myTrust": { input: () => undefined, expect: SIGNED_IN },
  "forumModeration.flag": { input: (f) => ({ postId: f.forumOtherPostId, reason: "spam" }), expect: { ...GRADERS, student: "FORBIDDEN", otherStudent: "FORBIDDEN" } },
  "forumModeration.pendingCount": { input: () => undefined, expect: GRADERS },
  "forumModeration.reviewQueue": { input: () => undefined, expect: GRADERS },
  "forumModeration.review": { input: (f) => ({ postId: f.flaggedPostId, decision: "disagree" }), expect: GRADERS },
  "forumModeration.setPostHidden": { input: (f) => ({ postId: f.forumOtherPostId, hidden: true, reason: "test" }), expect: GRADERS },
  "forumModeration.silence": { input: (f) => ({ userId: f.users.otherStudent.id, until: new Date(Date.now() + 86_400_000), reason: "test" }), expect: GRADERS },
  "forumModeration.unsilence": { input: (f) => ({ userId: f.silencedUserId }), expect: GRADERS },
  "forumModeration.suspend": { input: (f) => ({ userId: f.users.otherStudent.id, until: new Date(Date.now() + 86_400_000), reason: "test" }), expect: ADMINS },
  "forumModeration.unsuspend": { input: (f) => ({ userId: f.suspendedUserId }), expect: ADMINS },
  "forumModeration.setTrustLevel": { input: (f) => ({ userId: f.users.otherStudent.id, level: 2, locked: true }), expect: ADMINS },
  "forumModeration.user": { input: (f) => ({ userId: f.users.otherStudent.id }), expect: ADMINS },
  "forumModeration.log": { input: () => ({ action: "flag." }), expect: ADMINS },
};

const RUNNER_ONLY: Expectations = { anonymous: "UNAUTHORIZED", runner: "ok", student: "UNAUTHORIZED", otherStudent: "UNAUTHORIZED", grader: "UNAUTHORIZED", admin: "UNAUTHORIZED" };
/** Downloads: the owner, graders and admins; 404 for another student; 401 without a session (a runner token is no session). */
const DOWNLOAD: Expectations = { ...OWNER_OR_GRADER };

/** A 1x1 PNG for the image upload route. */
const ONE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
type RouteCall = { request: (f: Fixture, headers: Record<string, string>) => Request; params?: (f: Fixture) => Record<string, string | string[]>; expect: Expectations };
const url = (p: string) => `http://localhost${p}`;
const runnerJson = (p: string, body: unknown) => (_f: Fixture, headers: Record<string, string>) =>
  new Request(url(p), { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
const capabilities = completion([0.2, 0.9]).capabilities;

/** A user's own live channel: only that user may subscribe, whatever their role. */
const OWN_CHANNEL: Expectations = { ...SIGNED_IN, otherStudent: "FORBIDDEN", grader: "FORBIDDEN", admin: "FORBIDDEN" };

/**
 * Route handlers, by file under src/app and method (`#variant` for a second case of the same one). A route file or
 * exported method missing here fails the test.
 */
const ROUTES: Record<string, RouteCall | { skip: string }> = {
  "api/health/route.ts GET": { request: () => new Request(url("/api/health")), expect: PUBLIC },
  "api/auth/[...nextauth]/route.ts GET": { skip: "next-auth's own sign-in endpoints (public by design); they need a Next request scope" },
  "api/auth/[...nextauth]/route.ts POST": { skip: "next-auth's own sign-in endpoints (public by design); they need a Next request scope" },
  "api/trpc/[trpc]/route.ts GET": { skip: "every procedure behind it is in the procedure matrix above" },
  "api/trpc/[trpc]/route.ts POST": { skip: "every procedure behind it is in the procedure matrix above" },
  "api/submissions/route.ts POST": {
    request: (_f, headers) => {
      const req = uploadRequest({ file: notebookText(), assignment: "open-hw" });
      return new Request(req, { headers: { ...Object.fromEntries(req.headers), ...headers } });
    },
    expect: SIGNED_IN,
  },
  "api/submissions/[id]/submitted.ipynb/route.ts GET": { request: (f, headers) => new Request(url(`/api/submissions/${f.submissionId}/submitted.ipynb`), { headers }), params: (f) => ({ id: f.submissionId }), expect: DOWNLOAD },
  "api/submissions/[id]/executed.ipynb/route.ts GET": { request: (f, headers) => new Request(url(`/api/submissions/${f.submissionId}/executed.ipynb`), { headers }), params: (f) => ({ id: f.submissionId }), expect: DOWNLOAD },
  "api/submissions/[id]/submission.csv/route.ts GET": { request: (f, headers) => new Request(url(`/api/submissions/${f.submissionId}/submission.csv`), { headers }), params: (f) => ({ id: f.submissionId }), expect: DOWNLOAD },
  "api/media/route.ts POST": {
    request: (_f, headers) => {
      const form = new FormData();
      form.append("file", new Blob([Buffer.from(ONE_PIXEL_PNG, "base64")], { type: "image/png" }), "dot.png");
      return new Request(url("/api/media"), { method: "POST", headers, body: form });
    },
    expect: SIGNED_IN,
  },
  // No file has these bytes: everyone gets the same 404 (serving is tested in media.test.ts).
  "media/[sha256]/[name]/route.ts GET": {
    request: (_f, headers) => new Request(url(`/media/${"0".repeat(64)}/Dot.png`), { headers }),
    params: () => ({ sha256: "0".repeat(64), name: "Dot.png" }),
    expect: { anonymous: "NOT_FOUND", runner: "NOT_FOUND", student: "NOT_FOUND", otherStudent: "NOT_FOUND", grader: "NOT_FOUND", admin: "NOT_FOUND" },
  },
  "api/grading/export/route.ts GET": { request: (_f, headers) => new Request(url("/api/grading/export?assignment=open-hw"), { headers }), expect: GRADERS },
  "api/runner/claim/route.ts POST": { request: runnerJson("/api/runner/claim", { capabilities, waitSeconds: 0 }), expect: RUNNER_ONLY },
  "api/runner/jobs/[id]/heartbeat/route.ts POST": {
    request: (f, h) => runnerJson(`/api/runner/jobs/${f.runningJobId}/heartbeat`, { logLines: [{ at: new Date().toISOString(), stream: "stdout", text: "cell 1/1" }] })(f, h),
    params: (f) => ({ id: f.runningJobId }),
    expect: RUNNER_ONLY,
  },
  "api/runner/jobs/[id]/complete/route.ts POST": {
    request: (f, h) => runnerJson(`/api/runner/jobs/${f.runningJobId}/complete`, completion([0.2, 0.9]))(f, h),
    params: (f) => ({ id: f.runningJobId }),
    expect: RUNNER_ONLY,
  },
  "api/runner/jobs/[id]/fail/route.ts POST": {
    request: (f, h) =>
      runnerJson(`/api/runner/jobs/${f.runningJobId}/fail`, {
        reason: "timeout",
        message: "too slow",
        executedNotebook: null,
        capabilities,
        timings: { setupMs: 1, executeMs: 2, scoreMs: 0, totalMs: 3 },
        logLines: [],
      })(f, h),
    params: (f) => ({ id: f.runningJobId }),
    expect: RUNNER_ONLY,
  },
  // Server-Sent Events: each channel is checked (an answer of 200 is a stream, closed by the test at once).
  "api/live/route.ts GET": {
    request: (f, headers) => new Request(url(`/api/live?channels=user:${f.users.student.id}`), { headers }),
    expect: OWN_CHANNEL,
  },
  "api/live/route.ts GET#public": { request: (f, headers) => new Request(url(`/api/live?channels=topic:${f.forumTopicId}`), { headers }), expect: PUBLIC },
  // One-click unsubscribe: the signed link is the credential, the same for every actor (no session needed or used);
  // a tampered link is refused in email.test.ts. GET only redirects to the confirmation page.
  "api/email/unsubscribe/[token]/route.ts GET": {
    request: (f, headers) => new Request(url(`/api/email/unsubscribe/${f.unsubscribeToken}`), { headers }),
    params: (f) => ({ token: f.unsubscribeToken }),
    expect: { anonymous: "REDIRECT", runner: "REDIRECT", student: "REDIRECT", otherStudent: "REDIRECT", grader: "REDIRECT", admin: "REDIRECT" },
  },
  "api/email/unsubscribe/[token]/route.ts POST": {
    request: (f, headers) =>
      new Request(url(`/api/email/unsubscribe/${f.unsubscribeToken}`), { method: "POST", headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }),
    params: (f) => ({ token: f.unsubscribeToken }),
    expect: PUBLIC,
  },
  "api/wiki/raw/[...title]/route.ts GET": {
    request: (_f, headers) => new Request(url("/api/wiki/raw/Matrix_page"), { headers }),
    params: () => ({ title: ["Matrix_page"] }),
    expect: PUBLIC,
  },
  // Public downloads outside /api: the same for everyone.
  "homework/[slug]/template.ipynb/route.ts GET": { request: (_f, headers) => new Request(url("/homework/open-hw/template.ipynb"), { headers }), params: () => ({ slug: "open-hw" }), expect: PUBLIC },
  "api/notebooks/[...path]/route.ts GET": { request: (_f, headers) => new Request(url("/api/notebooks/lesson-1.ipynb"), { headers }), params: () => ({ path: ["lesson-1.ipynb"] }), expect: PUBLIC },
  // The test content has no transcript: every actor gets the same 404.
  "lessons/[slug]/captions.vtt/route.ts GET": {
    request: (_f, headers) => new Request(url("/lessons/lesson-1/captions.vtt"), { headers }),
    params: () => ({ slug: "lesson-1" }),
    expect: { anonymous: "NOT_FOUND", runner: "NOT_FOUND", student: "NOT_FOUND", otherStudent: "NOT_FOUND", grader: "NOT_FOUND", admin: "NOT_FOUND" },
  },
};

/** Pages: the role their server component demands through requireUser, or public (no requireUser at all). */
const PAGES: Record<string, "public" | "student" | "grader" | "admin"> = {
  "page.tsx": "public",
  "signin/page.tsx": "public",
  "signup/page.tsx": "public",
  "lessons/[slug]/page.tsx": "public",
  "lessons/[slug]/transcript/page.tsx": "public",
  "homework/page.tsx": "public",
  "homework/[slug]/page.tsx": "public",
  "leaderboard/page.tsx": "public",
  "leaderboard/[slug]/page.tsx": "public",
  "notebooks/[...path]/page.tsx": "public",
  "search/page.tsx": "public",
  // The wiki's pages read through the wiki router's procedures (each in the matrix above); Special:Watchlist asks
  // anonymous visitors to sign in instead of calling wiki.watchlist.
  "wiki/page.tsx": "public",
  "wiki/[...title]/page.tsx": "public",
  // The forum's pages read through server/forum with the viewer (deleted topics and posts only for moderators).
  "forum/page.tsx": "public",
  "forum/c/[slug]/page.tsx": "public",
  "forum/t/[id]/[[...slug]]/page.tsx": "public",
  "forum/l/[thread]/page.tsx": "public",
  "forum/posts/[id]/history/page.tsx": "public",
  "forum/u/[username]/page.tsx": "public",
  // The signed link in an email is its credential (no sign-in); it only shows what the link would turn off.
  "email/unsubscribe/[token]/page.tsx": "public",
  // anonymous readers' cached view of a page (next.config.ts rewrites to it); reads as an anonymous visitor only
  "wiki-view/[...title]/page.tsx": "public",
  // anonymous readers' cached view of a topic (next.config.ts rewrites to it); reads as an anonymous visitor only
  "forum-view/[id]/[[...slug]]/page.tsx": "public",
  "account/page.tsx": "student",
  "account/bookmarks/page.tsx": "student",
  "notifications/page.tsx": "student",
  "homework/submissions/[id]/page.tsx": "student",
  "admin/users/page.tsx": "admin",
  "admin/email/page.tsx": "admin",
  "admin/runners/page.tsx": "admin",
  "admin/jobs/page.tsx": "admin",
  "admin/jobs/[id]/page.tsx": "admin",
  "grading/page.tsx": "grader",
  "grading/submissions/[id]/page.tsx": "grader",
  "forum/review/page.tsx": "grader",
  "admin/moderation-log/page.tsx": "admin",
  "admin/users/[id]/page.tsx": "admin",
};

const appDir = path.resolve(import.meta.dirname, "../src/app");
function filesNamed(name: string, dir = appDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesNamed(name, full) : e.name === name ? [path.relative(appDir, full).split(path.sep).join("/")] : [];
  });
}
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

const outcomeOfStatus = (status: number): Outcome | `HTTP ${number}` =>
  status < 300 ? "ok" : status < 400 ? "REDIRECT" : status === 401 ? "UNAUTHORIZED" : status === 403 ? "FORBIDDEN" : status === 404 ? "NOT_FOUND" : status === 400 ? "BAD_REQUEST" : `HTTP ${status}`;

describe("every procedure, route handler and page has an entry", () => {
  it("lists every tRPC procedure of the app router", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual([...new Set(Object.keys(PROCEDURES).map((name) => name.split("#")[0]!))].sort());
  });

  it("lists every route handler file and exported method", async () => {
    const found: string[] = [];
    for (const file of filesNamed("route.ts")) {
      const mod = (await import(/* @vite-ignore */ path.join(appDir, file))) as Record<string, unknown>;
      for (const method of HTTP_METHODS) if (typeof mod[method] === "function") found.push(`${file} ${method}`);
    }
    expect(found.sort()).toEqual([...new Set(Object.keys(ROUTES).map((name) => name.split("#")[0]!))].sort());
  });

  it("checks each page's role on the server with requireUser, and the submission page its ownership", () => {
    expect(filesNamed("page.tsx").sort()).toEqual(Object.keys(PAGES).sort());
    for (const [file, role] of Object.entries(PAGES)) {
      const source = fs.readFileSync(path.join(appDir, file), "utf8");
      const calls = [...source.matchAll(/requireUser\(\s*"(\w+)"/g)].map((m) => m[1]);
      if (role === "public") expect(source.includes("requireUser("), file).toBe(false);
      else expect(calls, file).toEqual([role]);
    }
    // Both submission pages read it through the module that checks ownership (tested below), and 404 when it refuses.
    for (const page of ["homework/submissions/[id]/page.tsx", "grading/submissions/[id]/page.tsx"]) {
      expect(fs.readFileSync(path.join(appDir, page), "utf8"), page).toMatch(/orNotFound\(submissionWithFiles\(prisma, id, user\)\)/);
    }
    const someone = { id: "u1", role: "student" as const };
    expect([canReadSubmission(someone, { userId: "u1" }), canReadSubmission(someone, { userId: "u2" }), canReadSubmission({ id: "g", role: "grader" }, { userId: "u2" }), canReadSubmission(null, { userId: "u1" })]).toEqual([true, false, true, false]);
  });
});

/**
 * Whether a case may change rows other cases read: a mutation or a non-GET route that is expected to go through. Queries,
 * GETs and refused calls (a refusal writes nothing; if one did go through, that case fails anyway) share one fixture.
 */
const procedureWrites = (name: string, expected: Outcome) =>
  expected === "ok" && (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[name.split("#")[0]!]!._def.type !== "query";
const routeWrites = (name: string, expected: Outcome) => expected === "ok" && !name.endsWith(" GET");
/** Cases that share the fixture first, so it is built once for all of them; each writing case then builds its own. */
const sharedFirst = <T extends readonly [string, Actor, Outcome]>(cases: T[], writes: (name: string, expected: Outcome) => boolean) =>
  [...cases].sort((a, b) => Number(writes(a[0], a[2])) - Number(writes(b[0], b[2])));

eachBackend((db) => {
  async function fixture(): Promise<Fixture> {
    const prisma = db().prisma;
    const user = (email: string, role: "student" | "grader" | "admin") => prisma.user.create({ data: { email, name: email.split("@")[0], role }, select: { id: true, email: true, name: true, role: true } });
    const admin = await user("admin@example.com", "admin");
    const student = await user("student@example.com", "student");
    const otherStudent = await user("other@example.com", "student");
    const grader = await user("grader@example.com", "grader");
    const yesterday = new Date(Date.now() - 86_400_000);
    const sub = await storeSubmission(prisma, student.id, "open-hw", yesterday);
    const sub2 = await storeSubmission(prisma, student.id, "open-hw", yesterday);
    for (const s of [sub, sub2]) {
      await scoreJob(prisma, s.jobId, [0.2, 0.9]);
      await prisma.review.create({ data: { submissionId: s.id, graderId: grader.id, scores: { runs: 1 }, feedback: "ok", status: "returned", returnedAt: new Date() } });
    }
    const regrade = await prisma.regradeRequest.create({ data: { submissionId: sub2.id, studentId: student.id, reason: "why?" } });
    const comment = await prisma.cellComment.create({ data: { submissionId: sub.id, cellIndex: 0, authorId: grader.id, body: "hm" } });
    const runner = await createRunnerToken(prisma, "matrix runner");
    // Its lease outlasts every case that shares the fixture, so no case sees it expire and requeue.
    const job = await prisma.job.create({ data: { notebook: notebookText(), benchmarkId: "dogscats", leaseSeconds: 3600 } });
    const claimed = await claimNextJob(prisma, runner.record.id);
    expect(claimed?.id).toBe(job.id);
    await prisma.job.create({ data: { notebook: notebookText(), benchmarkId: "dogscats" } }); // for the claim endpoint
    const wikiAuthor = { id: student.id, name: "student", role: "student" as const };
    const wikiAdmin = { id: admin.id, name: "admin", role: "admin" as const };
    await savePage(prisma, { title: "Matrix page", body: "First.\n", baseRevision: 0, author: wikiAuthor });
    await savePage(prisma, { title: "Matrix page", body: "First.\n\nSecond.\n", baseRevision: 1, author: wikiAuthor });
    await savePage(prisma, { title: "Guarded page", body: "Kept.\n", baseRevision: 0, author: wikiAdmin });
    await protectPage(prisma, { title: "Guarded page", level: "grader", reason: "", actor: wikiAdmin });
    await savePage(prisma, { title: "Deleted page", body: "Gone.\n", baseRevision: 0, author: wikiAdmin });
    await deletePage(prisma, { title: "Deleted page", reason: "", actor: wikiAdmin });
    await syncForumCategories(prisma, [
      { slug: "general", name: "General", description: "", position: 0, color: "", solvable: true, lessonSlug: null },
      { slug: "lesson-1", name: "Lesson 1", description: "", position: 1, color: "", solvable: true, lessonSlug: "lesson-1" },
    ]);
    const forumActor = (u: { id: string; name: string | null; role: "student" | "grader" | "admin" }) => ({ id: u.id, name: u.name ?? "", role: u.role });
    const topic = await createTopic(prisma, { categorySlug: "general", title: "Matrix topic", body: "Question?", author: forumActor(student) });
    const reply = await replyToTopic(prisma, { topicId: topic.id, body: "My own answer", author: forumActor(student) });
    const others = await replyToTopic(prisma, { topicId: topic.id, body: "Another answer", author: forumActor(otherStudent) });
    const doomed = await replyToTopic(prisma, { topicId: topic.id, body: "Spam", author: forumActor(student) });
    await deletePost(prisma, { postId: doomed.id, actor: forumActor(grader) });
    const lonely = await createTopic(prisma, { categorySlug: "general", title: "Lonely topic", body: "Anyone?", author: forumActor(student) });
    const gone = await createTopic(prisma, { categorySlug: "general", title: "Deleted topic", body: "Gone", author: forumActor(student) });
    await deleteTopic(prisma, { topicId: gone.id, actor: forumActor(grader) });
    const flaggedPost = await replyToTopic(prisma, { topicId: topic.id, body: "A dubious answer", author: forumActor(otherStudent) });
    const flagger = await user("flagger@example.com", "student");
    await prisma.user.update({ where: { id: flagger.id }, data: { trustLevel: 1 } });
    await flagPost(prisma, { postId: flaggedPost.id, reason: "off-topic", actor: forumActor(flagger) });
    const silenced = await prisma.user.create({ data: { email: "silenced@example.com", silencedUntil: new Date(Date.now() + 86_400_000), silenceReason: "test" } });
    const suspended = await prisma.user.create({ data: { email: "suspended@example.com", suspendedUntil: new Date(Date.now() + 86_400_000), suspendReason: "test" } });
    const lessonTopic = await createTopic(prisma, { categorySlug: "lesson-1", title: "Lesson question", body: "Why?", author: forumActor(otherStudent) });
    const lessonReply = await replyToTopic(prisma, { topicId: lessonTopic.id, body: "Because.", author: forumActor(student) });
    const failedEmail = await prisma.emailOutbox.create({ data: { userId: student.id, kind: "review-returned", title: "Returned", body: "b", status: "failed", attempts: 10, lastError: "550 no such user" } });
    return {
      users: { admin, student, otherStudent, grader },
      submissionId: sub.id,
      regradeId: regrade.id,
      commentId: comment.id,
      runnerToken: runner.token,
      runnerId: runner.record.id,
      runningJobId: job.id,
      forumTopicId: topic.id,
      forumPostId: reply.id,
      forumDeletedPostId: doomed.id,
      forumOtherPostId: others.id,
      forumLonelyTopicId: lonely.id,
      forumDeletedTopicId: gone.id,
      unsubscribeToken: unsubscribeToken(authSecret(), student.id, "review-returned"),
      flaggedPostId: flaggedPost.id,
      silencedUserId: silenced.id,
      suspendedUserId: suspended.id,
      forumLessonPostId: lessonReply.id,
      failedEmailId: failedEmail.id,
    };
  }
  // Building the fixture is ~40 writes: a TRUNCATE and a fresh build for each of ~1,300 cases was most of this file's time.
  let shared: Fixture | undefined;
  async function fixtureFor(writes: boolean): Promise<Fixture> {
    if (!writes && shared) return shared;
    await emptyDatabase(db());
    const f = await fixture();
    shared = writes ? undefined : f;
    return f;
  }
  const userOf = (f: Fixture, actor: Actor): PublicUser | null => (actor === "anonymous" || actor === "runner" ? null : f.users[actor]);

  it("gives the submission pages a submission only for its student, graders and admins (others: NOT_FOUND)", async () => {
    const f = await fixtureFor(false);
    const outcome = (user: PublicUser) =>
      submissionWithFiles(db().prisma, f.submissionId, user).then(
        (s) => s.id,
        (error: unknown) => (error instanceof DomainError ? error.code : `unexpected: ${String(error)}`),
      );
    expect(await Promise.all([f.users.student, f.users.otherStudent, f.users.grader, f.users.admin].map(outcome))).toEqual([f.submissionId, "NOT_FOUND", f.submissionId, f.submissionId]);
  });

  describe("tRPC procedures, called as each actor", () => {
    const cases = sharedFirst(
      Object.entries(PROCEDURES).flatMap(([name, entry]) => ACTORS.map((actor) => [name, actor, entry.expect[actor]] as const)),
      procedureWrites,
    );
    it.each(cases)("%s as %s: %s", async (name, actor, expected) => {
      const f = await fixtureFor(procedureWrites(name, expected));
      const caller = createCaller({ db: db(), user: userOf(f, actor), ip: "127.0.0.1" });
      const call = name.split("#")[0]!.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
      const outcome = await call(PROCEDURES[name]!.input(f)).then(
        () => "ok",
        (error: unknown) => (error instanceof TRPCError ? error.code : `unexpected: ${String(error)}`),
      );
      expect(outcome).toBe(expected);
    });
  });

  describe("route handlers, called as each actor", () => {
    const cases = sharedFirst(
      Object.entries(ROUTES).flatMap(([name, entry]) => ("skip" in entry ? [] : ACTORS.map((actor) => [name, actor, entry.expect[actor]] as const))),
      routeWrites,
    );
    it.each(cases)("%s as %s: %s", async (name, actor, expected) => {
      const entry = ROUTES[name] as RouteCall;
      const f = await fixtureFor(routeWrites(name, expected));
      current.db = db();
      current.user = userOf(f, actor);
      const headers: Record<string, string> = actor === "runner" ? { authorization: `Bearer ${f.runnerToken}` } : {};
      const [file, method] = name.split("#")[0]!.split(" ") as [string, string];
      const mod = (await import(/* @vite-ignore */ path.join(appDir, file))) as Record<string, (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>>;
      const res = await mod[method]!(entry.request(f, headers), { params: Promise.resolve(entry.params?.(f) ?? {}) });
      // An event stream never ends by itself: its status is the answer.
      if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
        await res.body?.cancel();
        expect(outcomeOfStatus(res.status)).toBe(expected);
        return;
      }
      expect(outcomeOfStatus(res.status), await res.text().then((t) => t.slice(0, 300))).toBe(expected);
    });
  });
}, { emptyBeforeEach: false });
