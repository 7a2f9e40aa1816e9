import type { Database } from "@course/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { authSecret } from "~/server/auth/secret";
import { overrideEmailConfig, type EmailConfig } from "~/server/email/config";
import { emailQueue, retryEmail } from "~/server/email/queue";
import { smtpMailer } from "~/server/email/transport";
import { runEmailTick } from "~/server/email/worker";
import { DomainError } from "~/server/errors";
import { eachBackend } from "./support/backends";
import { startSmtpServer } from "./support/smtp";

// The admin's view of the email outbox (admin/email): counts, what went wrong, and sending a failed email again,
// through a real SMTP server as the boundary.
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let config: EmailConfig;
beforeAll(async () => {
  smtp = await startSmtpServer({ user: "course@example.org", password: "s3cret" });
  config = { smtpUrl: smtp.url, from: "Course <course@example.org>", siteUrl: "https://course.example.org", secret: authSecret(), digestHourUtc: 7 };
});
afterAll(async () => {
  overrideEmailConfig(undefined);
  await smtp.close();
});

const refusal = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof DomainError ? `${e.code}: ${e.message}` : String(e)));

eachBackend((get: () => Database) => {
  it("counts the outbox by status and lists failed and retrying emails with the mail server's answer, newest first", async () => {
    const { prisma } = get();
    overrideEmailConfig(null);
    const ann = await prisma.user.create({ data: { email: "ann@example.com", name: "Ann" } });
    const row = (status: "pending" | "sent" | "failed" | "held", extra: Record<string, unknown> = {}) =>
      prisma.emailOutbox.create({ data: { userId: ann.id, kind: "forum-mention", title: `A ${status} email`, body: "b", status, ...extra } });
    await row("sent");
    await row("sent");
    await row("held");
    await row("pending");
    const retrying = await row("pending", { attempts: 2, lastError: "Attempt 2: connect ECONNREFUSED", createdAt: new Date(Date.now() - 60_000) });
    const failed = await row("failed", { attempts: 10, lastError: "550 5.1.1 no such user" });
    const queue = await emailQueue(prisma);
    expect(queue.smtp).toBeNull();
    expect(queue.counts).toEqual({ held: 1, pending: 2, sending: 0, sent: 2, failed: 1, skipped: 0, digested: 0 });
    expect(queue.problems.map((p) => [p.id, p.status, p.to, p.attempts, p.lastError])).toEqual([
      [failed.id, "failed", "ann@example.com", 10, "550 5.1.1 no such user"],
      [retrying.id, "pending", "ann@example.com", 2, "Attempt 2: connect ECONNREFUSED"],
    ]);
    // The mail server's password never reaches the page.
    overrideEmailConfig({ ...config, smtpUrl: "smtp://course:hunter2@mail.example.org:587" });
    const on = await emailQueue(prisma);
    expect(on.smtp).toBe("smtp://course:***@mail.example.org:587");
    expect(on.from).toBe("Course <course@example.org>");
  });

  it("sends a failed email again with fresh attempts, and refuses anything that is not failed", async () => {
    const { prisma } = get();
    const ann = await prisma.user.create({ data: { email: "ann@example.com", name: "Ann" } });
    const failed = await prisma.emailOutbox.create({ data: { userId: ann.id, kind: "forum-mention", title: "You were mentioned", body: "Hello.", status: "failed", attempts: 10, lastError: "Gave up" } });
    const sent = await prisma.emailOutbox.create({ data: { userId: ann.id, kind: "forum-mention", title: "Sent", body: "b", status: "sent" } });
    expect(await refusal(retryEmail(prisma, sent.id))).toBe("CONFLICT: Only failed emails can be sent again; this one is sent.");
    expect(await refusal(retryEmail(prisma, "nosuchemail"))).toBe("NOT_FOUND: There is no such email.");
    expect(await retryEmail(prisma, failed.id)).toEqual({ retried: true });
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id: failed.id }, select: { status: true, attempts: true } })).toEqual({ status: "pending", attempts: 0 });
    expect(await refusal(retryEmail(prisma, failed.id))).toBe("CONFLICT: Only failed emails can be sent again; this one is pending.");
    // The worker's next round sends it.
    const before = smtp.received.length;
    expect(await runEmailTick(prisma, config, smtpMailer(config), { digests: false })).toMatchObject({ sent: 1 });
    await expect.poll(() => smtp.received.length).toBe(before + 1);
    expect(smtp.received.at(-1)!.to).toEqual(["ann@example.com"]);
    expect((await emailQueue(prisma)).problems).toEqual([]);
  });
});
