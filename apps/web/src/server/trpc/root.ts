import { createCallerFactory, createTRPCRouter } from "./init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { authRouter } from "./routers/auth";
import { forumRouter } from "./routers/forum";
import { forumConversationRouter } from "./routers/forum-conversation";
import { forumModerationRouter } from "./routers/forum-moderation";
import { gradingRouter } from "./routers/grading";
import { homeworkRouter } from "./routers/homework";
import { leaderboardRouter } from "./routers/leaderboard";
import { lessonWikiRouter } from "./routers/lesson-wiki";
import { notificationsRouter } from "./routers/notifications";
import { operationsRouter } from "./routers/operations";
import { progressRouter } from "./routers/progress";
import { searchRouter } from "./routers/search";
import { wikiRouter } from "./routers/wiki";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  account: accountRouter,
  admin: adminRouter,
  progress: progressRouter,
  homework: homeworkRouter,
  leaderboard: leaderboardRouter,
  notifications: notificationsRouter,
  operations: operationsRouter,
  grading: gradingRouter,
  search: searchRouter,
  wiki: wikiRouter,
  lessonWiki: lessonWikiRouter,
  forum: forumRouter,
  forumConversation: forumConversationRouter,
  forumModeration: forumModerationRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
