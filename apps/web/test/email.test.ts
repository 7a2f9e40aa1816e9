import { openDatabase, type Database } from "@course/db";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseServerEnv } from "~/env";
import { authSecret } from "~/server/auth/secret";
import { emailConfigFromEnv, overrideEmailConfig, siteEmail, type EmailConfig } from "~/server/email/config";
import { scheduleDigests } from "~/server/email/digest";
import { claimEmails, MAX_ATTEMPTS, retryDelaySeconds } from "~/server/email/outbox";
import { absoluteLink, escapeHtml } from "~/server/email/render";
import { nextDigestAt, setEmailDelivery } from "~/server/email/settings";
import { smtpMailer, type Mailer } from "~/server/email/transport";
import { describeUnsubscribe, unsubscribeToken, verifyUnsubscribeToken } from "~/server/email/unsubscribe";
import { runEmailTick, startEmailWorker } from "~/server/email/worker";
import type { NotificationData, NotificationKind } from "~/server/notifications/kinds";
import { markRead } from "~/server/notifications/inbox";
import { notify } from "~/server/notifications/notify";
import { setPreference } from "~/server/notifications/preferences";
import { createCaller } from "~/server/trpc/root";
import { eachBackend } from "./support/backends";
import { startSmtpServer } from "./support/smtp";

// The unsubscribe route reads the database through this module: the test's database.
const current = vi.hoisted(() => ({ db: null as Database | null }));
vi.mock("~/server/db", () => ({
  getDb: async () => {
    if (!current.db) throw new Error("no database");
    return current.db;
  },
}));
const unsubscribeRoute = await import("~/app/api/email/unsubscribe/[token]/route");

const SITE = "https://course.example.org";
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let config: EmailConfig;
let mailer: Mailer;

beforeAll(async () => {
  smtp = await startSmtpServer({ user: "course@example.org", password: "p@ss word" });
  // The secret the site signs with (AUTH_SECRET, or the development value in tests), as emailConfigFromEnv sets it.
  config = { smtpUrl: smtp.url, from: "Course <course@example.org>", siteUrl: SITE, secret: authSecret(), digestHourUtc: 7 };
  overrideEmailConfig(config);
  mailer = smtpMailer(config);
});
afterAll(async () => {
  mailer.close();
  overrideEmailConfig(undefined);
  await smtp.close();
});
afterEach(() => {
  smtp.received.length = 0;
  overrideEmailConfig(config);
});

describe("email settings", () => {
  it("SMTP_URL and EMAIL_FROM are validated; without SMTP_URL there is no email", () => {
    expect(emailConfigFromEnv(parseServerEnv({}), "s")).toBeNull();
    const env = parseServerEnv({ SMTP_URL: "smtps://u:p@mail.example.org:465", EMAIL_FROM: "Course <c@example.org>", NEXTAUTH_URL: "https://c.example.org/" });
    expect(emailConfigFromEnv(env, "s")).toEqual({ smtpUrl: "smtps://u:p@mail.example.org:465", from: "Course <c@example.org>", siteUrl: "https://c.example.org", secret: "s", digestHourUtc: 7 });
    expect(() => parseServerEnv({ SMTP_URL: "http://mail.example.org" })).toThrow(/SMTP_URL must be an SMTP URL/);
    expect(() => parseServerEnv({ SMTP_URL: "smtp://mail.example.org" })).toThrow(/EMAIL_FROM is required when SMTP_URL is set/);
    expect(() => parseServerEnv({ SMTP_URL: "smtp://mail.example.org", EMAIL_FROM: "nobody" })).toThrow(/EMAIL_FROM must be an address/);
    expect(() => parseServerEnv({ EMAIL_DIGEST_HOUR_UTC: "24" })).toThrow(/EMAIL_DIGEST_HOUR_UTC/);
  });

  it("digests are due at the configured hour, the next one after now", () => {
    expect(nextDigestAt(new Date("2026-03-01T06:59:00Z"), 7).toISOString()).toBe("2026-03-01T07:00:00.000Z");
    expect(nextDigestAt(new Date("2026-03-01T07:00:00Z"), 7).toISOString()).toBe("2026-03-02T07:00:00.000Z");
    expect(nextDigestAt(new Date("2026-12-31T23:00:00Z"), 0).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("retries wait longer each time, up to four hours", () => {
    expect([1, 2, 3, 9, 10].map(retryDelaySeconds)).toEqual([60, 120, 240, 14_400, 14_400]);
  });

  it("links in emails are absolute on this site; anything leading elsewhere is dropped", () => {
    expect(absoluteLink(config, "/wiki/Lesson_1?x=1#top")).toBe(`${SITE}/wiki/Lesson_1?x=1#top`);
    expect(absoluteLink(config, "//evil.example/x")).toBeNull();
    expect(absoluteLink(config, "https://evil.example/x")).toBeNull();
    expect(absoluteLink(config, "/\\evil.example")).toBeNull();
    expect(escapeHtml(`<img src=x onerror="a">&'`)).toBe("&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;");
  });

  it("an unsubscribe token names one user and scope, and any change breaks it", () => {
    const token = unsubscribeToken("secret", "user1", "review-returned");
    expect(verifyUnsubscribeToken("secret", token)).toEqual({ userId: "user1", scope: "review-returned" });
    expect(verifyUnsubscribeToken("another secret", token)).toBeNull();
    const [, , sig] = token.split(".");
    for (const forged of [`user2.review-returned.${sig}`, `user1.all.${sig}`, `${token}x`, token.slice(0, -2), "user1.review-returned", `user1.nonsense.${sig}`, `user1.review-returned.${sig!.slice(0, -1)}${sig!.endsWith("A") ? "B" : "A"}`, ""]) {
      expect(verifyUnsubscribeToken("secret", forged), forged).toBeNull();
    }
  });
});

eachBackend((db, backend) => {
  const prisma = () => db().prisma;
  const user = (email: string, role: "student" | "grader" | "admin" = "student") =>
    prisma().user.create({ data: { email, name: email.split("@")[0], role }, select: { id: true, email: true, name: true, role: true } });
  const tell = <K extends NotificationKind>(userIds: string | string[], kind: K, data: NotificationData<K>, dedupeKey?: string) =>
    prisma().$transaction((tx) => notify(tx, userIds, kind, data, { dedupeKey }));
  const returned = (n: number | string) => ({ title: `Review returned for submission ${n}`, body: `Well done on ${n}.`, link: `/homework/submissions/s${n}` });
  const tick = (options: Parameters<typeof runEmailTick>[3] = {}) => runEmailTick(prisma(), config, mailer, options);
  const outbox = () => prisma().emailOutbox.findMany({ orderBy: { createdAt: "asc" } });
  const pastDue = () => prisma().emailOutbox.updateMany({ where: { status: "pending" }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });

  describe("sending", () => {
    it("a notification a user wants by email arrives by SMTP, with its title as subject, the body, an absolute link and unsubscribe headers", async () => {
      const alice = await user("alice@example.com");
      const title = `Review returned: <script>alert("x")</script> & more`;
      await tell(alice.id, "review-returned", { title, body: "Nice <b>work</b> on cell 3.\nSee you.", link: "/homework/submissions/abc" });
      // Recorded with the notification, not sent from the write path: nothing has arrived yet.
      expect(smtp.received).toHaveLength(0);
      expect(await outbox()).toMatchObject([{ userId: alice.id, kind: "review-returned", status: "pending", attempts: 0, notificationId: expect.any(String) }]);

      expect(await tick()).toMatchObject({ sent: 1, retry: 0, failed: 0 });
      expect(smtp.logins).toContain("course@example.org");
      const [mail] = smtp.received;
      expect(mail).toMatchObject({ from: "course@example.org", to: ["alice@example.com"], subject: title });
      expect(mail!.header("from")).toBe("Course <course@example.org>");
      expect(mail!.text).toContain("Nice <b>work</b> on cell 3.");
      expect(mail!.text).toContain(`Open it: ${SITE}/homework/submissions/abc`);
      // Everything user-written is escaped in the HTML part.
      expect(mail!.html).toContain("Review returned: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
      expect(mail!.html).toContain("Nice &lt;b&gt;work&lt;/b&gt; on cell 3.");
      expect(mail!.html).not.toMatch(/<script|<b>work/);
      expect(mail!.html).toContain(`href="${SITE}/homework/submissions/abc"`);
      // RFC 8058 one-click unsubscribe, for this kind only.
      const oneClick = mail!.header("list-unsubscribe");
      expect(oneClick).toMatch(new RegExp(`^<${SITE}/api/email/unsubscribe/${alice.id}\\.review-returned\\.[A-Za-z0-9_-]+>$`));
      expect(mail!.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
      expect(mail!.header("auto-submitted")).toBe("auto-generated");
      expect(mail!.text).toMatch(new RegExp(`Stop emails about “Review returned”: ${SITE}/email/unsubscribe/${alice.id}\\.review-returned\\.`));
      expect(await outbox()).toMatchObject([{ status: "sent", attempts: 1, sentAt: expect.any(Date), lastError: null }]);
      // Sent once: the next round finds nothing.
      expect(await tick()).toMatchObject({ sent: 0 });
      expect(smtp.received).toHaveLength(1);
    });

    it("no email for a kind that is off by default or turned off, for a user who turned email off, or while the site has no SMTP", async () => {
      const bob = await user("bob@example.com");
      await tell(bob.id, "submission-scored", { title: "Scored", body: "", link: "/homework/submissions/a" }); // email off by default
      await setPreference(prisma(), bob, "review-returned", { email: false });
      await tell(bob.id, "review-returned", returned(1));
      const carol = await user("carol@example.com");
      await setEmailDelivery(prisma(), carol.id, "off");
      await tell(carol.id, "review-returned", returned(2));
      overrideEmailConfig(null);
      const dan = await user("dan@example.com");
      await tell(dan.id, "review-returned", returned(3));
      expect(await prisma().notification.count()).toBe(4); // all shown on the site
      expect(await outbox()).toEqual([]);
      overrideEmailConfig(config);
      await tick();
      expect(smtp.received).toEqual([]);
    });

    it("email is its own channel: a kind off on the site but on by email still arrives; turning email on for a kind sends it", async () => {
      const erin = await user("erin@example.com");
      await setPreference(prisma(), erin, "wiki-page-changed", { inApp: false, email: true });
      await tell(erin.id, "wiki-page-changed", { title: "Lesson 1 notes changed", body: "by Bob", link: "/wiki/Lesson_1_notes" });
      expect(await prisma().notification.count()).toBe(0);
      await tick();
      expect(smtp.received.map((m) => m.subject)).toEqual(["Lesson 1 notes changed"]);
      expect(smtp.received[0]!.text).toContain(`${SITE}/wiki/Lesson_1_notes`);
    });

    it("a retried write path records one email, and a choice made before sending wins: unsubscribed or already read means none", async () => {
      const fay = await user("fay@example.com");
      await tell(fay.id, "review-returned", returned(1), "review:1");
      await tell(fay.id, "review-returned", returned(1), "review:1");
      await tell(fay.id, "regrade-answered", { title: "Regrade answered", body: "", link: "/homework/submissions/s2" });
      await tell(fay.id, "review-returned", returned(3));
      expect(await prisma().emailOutbox.count()).toBe(3);
      await setPreference(prisma(), fay, "regrade-answered", { email: false });
      const third = await prisma().notification.findFirstOrThrow({ where: { link: "/homework/submissions/s3" } });
      await markRead(prisma(), fay.id, { ids: [third.id] });
      expect(await tick()).toMatchObject({ sent: 1, skipped: 2 });
      expect(smtp.received.map((m) => m.subject)).toEqual(["Review returned for submission 1"]);
      expect((await outbox()).map((r) => [r.kind, r.status])).toEqual([
        ["review-returned", "sent"],
        ["regrade-answered", "skipped"],
        ["review-returned", "skipped"],
      ]);
    });
  });

  describe("a failing mail server", () => {
    it("a temporary refusal is retried later with backoff until it goes through: nothing lost, nothing sent twice", async () => {
      const gus = await user("gus@example.com");
      await tell(gus.id, "review-returned", returned(1));
      smtp.refuseNext({ code: 451, message: "Try again later" }, { code: 421, message: "Too busy" });
      expect(await tick()).toMatchObject({ sent: 0, retry: 1 });
      let [row] = await outbox();
      expect(row).toMatchObject({ status: "pending", attempts: 1, lockedUntil: null });
      expect(row!.lastError).toMatch(/^Attempt 1: .*451/);
      expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
      // Not due yet: the next round leaves it.
      expect(await tick()).toMatchObject({ sent: 0, retry: 0 });
      await pastDue();
      expect(await tick()).toMatchObject({ retry: 1 });
      [row] = await outbox();
      expect(row).toMatchObject({ status: "pending", attempts: 2 });
      expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 90_000); // the second wait is longer
      await pastDue();
      expect(await tick()).toMatchObject({ sent: 1 });
      expect(await outbox()).toMatchObject([{ status: "sent", attempts: 3 }]);
      expect(smtp.received.map((m) => m.to)).toEqual([["gus@example.com"]]);
    });

    it("a server that is down is retried; a worker that died mid-send leaves its row to be claimed again", async () => {
      const hal = await user("hal@example.com");
      await tell(hal.id, "review-returned", returned(1));
      const down = smtpMailer({ smtpUrl: "smtp://127.0.0.1:1", from: config.from });
      expect(await runEmailTick(prisma(), config, down)).toMatchObject({ retry: 1 });
      expect((await outbox())[0]!.lastError).toMatch(/ECONNREFUSED|connect/i);
      down.close();
      // A worker claims the row, then dies before finishing: its lease runs out and another worker sends it.
      await pastDue();
      expect(await claimEmails(prisma(), 10, 60)).toHaveLength(1);
      expect(await tick()).toMatchObject({ sent: 0 });
      await prisma().emailOutbox.updateMany({ data: { lockedUntil: new Date(Date.now() - 1000) } });
      expect(await tick()).toMatchObject({ sent: 1 });
      expect(await outbox()).toMatchObject([{ status: "sent", attempts: 3 }]);
    });

    it("a permanent refusal of the address is given up at once; a row out of attempts is failed with the last error", async () => {
      const ida = await user("ida@example.com");
      await tell(ida.id, "review-returned", returned(1));
      smtp.refuseNext({ code: 550, message: "No such user" });
      expect(await tick()).toMatchObject({ failed: 1 });
      expect(await outbox()).toMatchObject([{ status: "failed", attempts: 1, lastError: expect.stringMatching(/550/) }]);
      await tell(ida.id, "review-returned", returned(2));
      await prisma().emailOutbox.updateMany({ where: { status: "pending" }, data: { attempts: MAX_ATTEMPTS - 1 } });
      smtp.refuseNext({ code: 451, message: "Try again later" });
      expect(await tick()).toMatchObject({ failed: 1 });
      expect((await outbox())[1]).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastError: expect.stringMatching(/^Gave up after 10 attempts\. Last: .*451/) });
    });

    it("the worker started at startup sends without anyone waiting on it, and stops cleanly", async () => {
      const jon = await user("jon@example.com");
      const worker = startEmailWorker(prisma(), config, { pollMs: 50, log: () => {} });
      try {
        await tell(jon.id, "review-returned", returned(1));
        await vi.waitFor(() => expect(smtp.received).toHaveLength(1), { timeout: 10_000, interval: 50 });
      } finally {
        await worker.stop();
      }
      expect(smtp.received[0]!.subject).toBe("Review returned for submission 1");
    });
  });

  describe("the daily digest", () => {
    it("holds a digest user's emails and sends one email a day listing those still unread, grouped by kind", async () => {
      const kim = await user("kim@example.com", "grader");
      const now = new Date();
      await setEmailDelivery(prisma(), kim.id, "daily", now);
      const due = (await prisma().emailSettings.findUniqueOrThrow({ where: { userId: kim.id } })).digestDueAt!;
      expect(due.getUTCHours()).toBe(7);
      await tell(kim.id, "review-returned", returned(1));
      await tell(kim.id, "review-returned", returned(2));
      await tell(kim.id, "regrade-answered", { title: "Regrade answered <fast>", body: "The score stands.", link: "/homework/submissions/s9" });
      await tell(kim.id, "review-returned", returned(4));
      await setPreference(prisma(), kim, "regrade-requested", { email: true });
      await tell(kim.id, "regrade-requested", { title: "Regrade requested", body: "", link: "/grading/submissions/s5" });
      const read = await prisma().notification.findFirstOrThrow({ where: { link: "/homework/submissions/s4" } });
      await markRead(prisma(), kim.id, { ids: [read.id] });
      expect((await outbox()).map((r) => r.status)).toEqual(["held", "held", "held", "held", "held"]);
      expect(await tick({ now })).toMatchObject({ digests: 0, sent: 0 });
      expect(smtp.received).toHaveLength(0);

      const later = new Date(due.getTime() + 60_000);
      expect(await tick({ now: later })).toMatchObject({ digests: 1, sent: 1 });
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(mail!.subject).toBe("Your daily digest from Deep Learning for Coders: 4 unread notifications");
      for (const t of ["Review returned for submission 1", "Review returned for submission 2", "Regrade answered <fast>", "Regrade requested"]) expect(mail!.text).toContain(t);
      expect(mail!.text).not.toContain("submission 4"); // read on the site before the digest
      for (const group of ["## Review returned (2)", "## Regrade answered (1)", "## Regrade requested (1)"]) expect(mail!.text).toContain(group);
      expect(mail!.html).toContain("Regrade answered &lt;fast&gt;");
      expect(mail!.html).toContain(`href="${SITE}/grading/submissions/s5"`);
      // The digest's unsubscribe link stops all email (it carries several kinds).
      expect(mail!.header("list-unsubscribe")).toMatch(new RegExp(`/api/email/unsubscribe/${kim.id}\\.all\\.`));
      expect((await outbox()).map((r) => r.status).sort()).toEqual(["digested", "digested", "digested", "digested", "sent", "skipped"]);
      const next = (await prisma().emailSettings.findUniqueOrThrow({ where: { userId: kim.id } })).digestDueAt!;
      expect(next.getTime()).toBe(due.getTime() + 86_400_000);
      // Nothing more that day, even with a new notification: it waits for tomorrow's digest.
      await tell(kim.id, "review-returned", returned(5));
      expect(await tick({ now: new Date(later.getTime() + 3_600_000) })).toMatchObject({ digests: 0, sent: 0 });
    });

    it("leaving the digest sends what it held as one last digest; turning email off drops it", async () => {
      const lea = await user("lea@example.com");
      const max = await user("max@example.com");
      for (const u of [lea, max]) {
        await setEmailDelivery(prisma(), u.id, "daily");
        await tell(u.id, "review-returned", returned(`${u.email}-1`));
        await tell(u.id, "review-returned", returned(`${u.email}-2`));
      }
      await setEmailDelivery(prisma(), lea.id, "immediate");
      await setEmailDelivery(prisma(), max.id, "off");
      expect(await tick()).toMatchObject({ digests: 1, sent: 1 });
      expect(smtp.received.map((m) => [m.to[0], m.subject])).toEqual([["lea@example.com", "Your daily digest from Deep Learning for Coders: 2 unread notifications"]]);
      await tell(lea.id, "review-returned", returned(3));
      expect(await tick()).toMatchObject({ sent: 1 });
      expect(smtp.received[1]!.subject).toBe("Review returned for submission 3");
    });
  });

  describe("one-click unsubscribe", () => {
    async function emailed(kind: "review-returned" | "digest") {
      const nia = await user(`nia-${kind}@example.com`);
      if (kind === "digest") {
        await setEmailDelivery(prisma(), nia.id, "daily");
        await tell(nia.id, "review-returned", returned(1));
        await tick({ now: new Date(Date.now() + 2 * 86_400_000) });
      } else {
        await tell(nia.id, "review-returned", returned(1));
        await tick();
      }
      const mail = smtp.received.at(-1)!;
      const oneClick = /^<(.+)>$/.exec(mail.header("list-unsubscribe")!)![1]!;
      const page = new RegExp(`${SITE}(/email/unsubscribe/\\S+)`).exec(mail.text)![1]!;
      return { nia, oneClick, page, token: decodeURIComponent(oneClick.split("/").at(-1)!) };
    }
    const post = (token: string, body: string) =>
      unsubscribeRoute.POST(new Request(`${SITE}/api/email/unsubscribe/${token}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body }), {
        params: Promise.resolve({ token }),
      });

    it("a mail client's one-click POST turns that kind's email off, with no session; the kind stays on the site", async () => {
      current.db = db();
      const { nia, oneClick, page, token } = await emailed("review-returned");
      expect(page).toBe(`/email/unsubscribe/${token}`);
      expect(oneClick).toBe(`${SITE}/api/email/unsubscribe/${token}`);
      expect(await describeUnsubscribe(prisma(), authSecret(), token)).toEqual({ address: "ni***@example.com", what: "emails about “Review returned”", alreadyOff: false });
      // A GET (a browser, a link scanner) changes nothing: it shows the confirmation page.
      const get = await unsubscribeRoute.GET(new Request(oneClick), { params: Promise.resolve({ token }) });
      expect([get.status, get.headers.get("location")]).toEqual([303, page]);
      expect(await prisma().notificationPreference.count()).toBe(0);

      const res = await post(token, "List-Unsubscribe=One-Click");
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("Unsubscribed: ni***@example.com will no longer get emails about “Review returned”.\n");
      expect(await prisma().notificationPreference.findMany({ where: { userId: nia.id } })).toMatchObject([{ kind: "review-returned", inApp: true, email: false }]);
      expect((await describeUnsubscribe(prisma(), authSecret(), token))?.alreadyOff).toBe(true);
      await tell(nia.id, "review-returned", returned(2));
      expect(await prisma().emailOutbox.count({ where: { status: "pending" } })).toBe(0);
      expect(await prisma().notification.count({ where: { userId: nia.id } })).toBe(2);
      // Used twice: still fine.
      expect((await post(token, "List-Unsubscribe=One-Click")).status).toBe(200);
    });

    it("the confirmation page's button unsubscribes and comes back to the page; a digest's link stops all email", async () => {
      current.db = db();
      const { nia, token } = await emailed("digest");
      expect(token).toMatch(/\.all\./);
      const res = await post(token, "");
      expect([res.status, res.headers.get("location")]).toEqual([303, `/email/unsubscribe/${token}?done=1`]);
      expect(await prisma().emailSettings.findUniqueOrThrow({ where: { userId: nia.id } })).toMatchObject({ delivery: "off" });
      const caller = createCaller({ db: db(), user: nia, ip: "127.0.0.1" });
      expect(await caller.notifications.emailSettings()).toMatchObject({ siteSends: true, delivery: "off", address: nia.email });
    });

    it("a tampered link is refused and changes nothing", async () => {
      current.db = db();
      const { nia, token } = await emailed("review-returned");
      const other = await user("other@example.com");
      const [, scope, sig] = token.split(".");
      for (const forged of [`${other.id}.${scope}.${sig}`, `${nia.id}.all.${sig}`, `${nia.id}.${scope}.${sig!.slice(1)}A`, `${nia.id}.${scope}`]) {
        const res = await post(forged, "List-Unsubscribe=One-Click");
        expect(res.status, forged).toBe(404);
        expect(await res.json()).toMatchObject({ error: expect.stringMatching(/not valid/) });
        expect(await describeUnsubscribe(prisma(), authSecret(), forged)).toBeNull();
      }
      expect(await prisma().notificationPreference.count()).toBe(0);
      expect(await prisma().emailSettings.count()).toBe(0);
    });
  });

  describe("the preferences procedures", () => {
    it("say whether the site sends email and store the delivery", async () => {
      const oli = await user("oli@example.com");
      const caller = createCaller({ db: db(), user: oli, ip: "127.0.0.1" });
      expect(await caller.notifications.emailSettings()).toEqual({ siteSends: true, delivery: "immediate", address: "oli@example.com", digestHourUtc: 7 });
      expect(await caller.notifications.setEmailDelivery({ delivery: "daily" })).toEqual({ delivery: "daily" });
      overrideEmailConfig(null);
      expect(siteEmail()).toBeNull();
      expect(await caller.notifications.emailSettings()).toMatchObject({ siteSends: false, delivery: "daily" });
      await expect(caller.notifications.setEmailDelivery({ delivery: "weekly" as "daily" })).rejects.toThrow(/immediate, daily or off/);
    });
  });

  if (backend === "postgresql") {
    describe("several web instances on one PostgreSQL", () => {
      it("two workers on two connections pools send each email exactly once", async () => {
        const second = await openDatabase(db().config);
        const otherMailer = smtpMailer(config);
        try {
          const users = await Promise.all(Array.from({ length: 30 }, (_, i) => user(`p${i}@example.com`)));
          for (const u of users) await tell(u.id, "review-returned", returned(u.email));
          const [a, b] = await Promise.all([runEmailTick(prisma(), config, mailer, { batch: 3 }), runEmailTick(second.prisma, config, otherMailer, { batch: 3 })]);
          expect(a.sent + b.sent).toBe(30);
          expect(a.sent).toBeGreaterThan(0);
          expect(b.sent).toBeGreaterThan(0);
          expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(users.map((u) => u.email).sort());
          expect(await prisma().emailOutbox.findMany({ where: { NOT: { status: "sent", attempts: 1 } } })).toEqual([]);
        } finally {
          otherMailer.close();
          await second.close();
        }
      });

      it("concurrent claims never hand a row to two claimers, and concurrent digest builders make one digest per user", async () => {
        const second = await openDatabase(db().config);
        try {
          const users = await Promise.all(Array.from({ length: 12 }, (_, i) => user(`q${i}@example.com`)));
          for (const u of users) await tell(u.id, "review-returned", returned(u.email));
          const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimEmails(i % 2 ? second.prisma : prisma(), 2, 60)));
          const ids = claims.flat().map((r) => r.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBe(12);

          for (const u of users) await setEmailDelivery(prisma(), u.id, "daily");
          for (const u of users) await tell(u.id, "regrade-answered", { title: "Answered", body: "", link: "/homework/submissions/x" });
          const tomorrow = new Date(Date.now() + 2 * 86_400_000);
          const made = await Promise.all([scheduleDigests(prisma(), 7, tomorrow), scheduleDigests(second.prisma, 7, tomorrow), scheduleDigests(prisma(), 7, tomorrow)]);
          expect(made.reduce((x, y) => x + y, 0)).toBe(12);
          expect(await prisma().emailOutbox.count({ where: { kind: "digest" } })).toBe(12);
        } finally {
          await second.close();
        }
      });
    });
  }
});
