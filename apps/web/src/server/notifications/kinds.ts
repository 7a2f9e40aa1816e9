import { z } from "zod";
import { DomainError } from "../errors";

const submissionPage = z.string().regex(/^\/homework\/submissions\/[^/\s]+$/, "This kind links to the student's submission page, /homework/submissions/<id>.");
const wikiPage = z.string().regex(/^\/wiki\/[^\s]+$/, "This kind links to a wiki page, /wiki/<Title>.");
const forumPost = z.string().regex(/^\/forum\/t\/[^\s]+$/, "This kind links to a forum post, /forum/t/<id>/<slug>?post=<n>#p<n>.");
const forumPage = z.string().regex(/^\/forum(\/[^\s]*)?$/, "This kind links to a forum page, /forum/...");
const gradingPage = z.string().regex(/^\/grading\/submissions\/[^/\s]+$/, "This kind links to the submission's grading page, /grading/submissions/<id>.");

/** What every notification shows: a one-line title, a short body (longer text is cut), and where it leads. */
const payload = (link: z.ZodType<string>) =>
  z.object({
    title: z.string().trim().min(1, "A notification needs a title.").max(300),
    body: z.string().transform((text) => text.slice(0, 500)),
    link,
  });

export interface Channels {
  inApp: boolean;
  /** Emailed (immediately or in the daily digest, see server/email) when the site has SMTP_URL; kept for later without. */
  email: boolean;
}

export interface KindSpec {
  /** Shown on the preferences page. */
  label: string;
  description: string;
  /** Who gets this kind, for the preferences page: kinds for other roles are not offered. */
  audience: "student" | "grader";
  defaults: Channels;
  /**
   * A mandatory kind is always delivered in-app, whatever the preference: it is a person's answer to the user, and
   * nothing else on the site would tell them it arrived.
   */
  mandatory: boolean;
  data: ReturnType<typeof payload>;
}

/**
 * Every kind of notification the site creates. Adding a feature's notifications = one entry here (and a call to
 * notify() on that feature's write path); the preferences page lists it by itself, and email follows `defaults.email`
 * (the title is the email's subject, the link is made absolute).
 */
export const NOTIFICATION_KINDS = {
  "submission-scored": {
    label: "Submission scored",
    description: "The runner scored a homework submission of yours.",
    audience: "student",
    defaults: { inApp: true, email: false },
    mandatory: false,
    data: payload(submissionPage),
  },
  "submission-failed": {
    label: "Submission failed",
    description: "A homework submission of yours failed or was cancelled, with the reason.",
    audience: "student",
    defaults: { inApp: true, email: false },
    mandatory: false,
    data: payload(submissionPage),
  },
  "review-returned": {
    label: "Review returned",
    description: "A grader returned your homework with points and feedback.",
    audience: "student",
    defaults: { inApp: true, email: true },
    mandatory: true,
    data: payload(submissionPage),
  },
  "regrade-answered": {
    label: "Regrade answered",
    description: "A grader answered your regrade request.",
    audience: "student",
    defaults: { inApp: true, email: true },
    mandatory: true,
    data: payload(submissionPage),
  },
  "regrade-requested": {
    label: "Regrade requested",
    description: "A student asked for another look at a returned review (graders and admins).",
    audience: "grader",
    defaults: { inApp: true, email: false },
    mandatory: false,
    data: payload(gradingPage),
  },
  "wiki-page-changed": {
    label: "Watched wiki page changed",
    description: "Someone edited, moved, deleted or restored a wiki page on your watchlist.",
    audience: "student",
    defaults: { inApp: true, email: false },
    mandatory: false,
    data: payload(wikiPage),
  },
  "forum-reply": {
    label: "Forum reply",
    description: "Someone replied to your forum post or topic.",
    audience: "student",
    defaults: { inApp: true, email: false },
    mandatory: false,
    data: payload(forumPost),
  },
  "forum-mention": {
    label: "Forum mention",
    description: "Someone mentioned you (@yourname) or quoted you in a forum post.",
    audience: "student",
    defaults: { inApp: true, email: true },
    mandatory: false,
    data: payload(forumPost),
  },
  "forum-watched-topic": {
    label: "Watched forum topic",
    description: "A new post in a forum topic or category you watch.",
    audience: "student",
    defaults: { inApp: true, email: false },
    mandatory: false,
    data: payload(forumPost),
  },
  "forum-solved": {
    label: "Answer accepted",
    description: "Your forum reply was marked as the answer to a question.",
    audience: "student",
    defaults: { inApp: true, email: false },
    mandatory: false,
    data: payload(forumPost),
  },
  "forum-trust-level": {
    label: "Trust level raised",
    description: "Your forum activity earned you a new trust level, and what it lets you do.",
    audience: "student",
    defaults: { inApp: true, email: false },
    mandatory: false,
    data: payload(forumPage),
  },
  "forum-moderation": {
    label: "Forum moderation",
    description: "Flags or a moderator hid or removed one of your posts, or a moderator silenced you (with the reason).",
    audience: "student",
    defaults: { inApp: true, email: true },
    mandatory: true,
    data: payload(forumPage),
  },
} as const satisfies Record<string, KindSpec>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
/** What a caller passes to notify() for this kind (before the kind's schema checks and trims it). */
export type NotificationData<K extends NotificationKind> = z.input<(typeof NOTIFICATION_KINDS)[K]["data"]>;

export const KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

export class UnknownKindError extends DomainError {
  constructor(kind: string) {
    super("BAD_REQUEST", `Unknown notification kind "${kind}". Known kinds: ${KIND_NAMES.join(", ")}.`);
    this.name = "UnknownKindError";
  }
}

export function isNotificationKind(value: string): value is NotificationKind {
  return Object.hasOwn(NOTIFICATION_KINDS, value);
}

/** For values from outside the type system (a request, a database row): the kind, or UnknownKindError. */
export function parseKind(value: string): NotificationKind {
  if (!isNotificationKind(value)) throw new UnknownKindError(value);
  return value;
}

export function kindSpec(kind: NotificationKind): KindSpec {
  return NOTIFICATION_KINDS[kind];
}

/** The zod schema of kind names, for tRPC inputs. */
export const notificationKindSchema = z.enum(KIND_NAMES as [NotificationKind, ...NotificationKind[]], {
  error: (issue) => `Unknown notification kind ${JSON.stringify(issue.input)}. Known kinds: ${KIND_NAMES.join(", ")}.`,
});
