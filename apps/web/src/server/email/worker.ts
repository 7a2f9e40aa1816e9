import type { PrismaClient } from "@course/db";
import { isNotificationKind, kindSpec } from "../notifications/kinds";
import type { EmailConfig } from "./config";
import { scheduleDigests } from "./digest";
import { claimEmails, finishEmail, type ClaimedEmail } from "./outbox";
import { renderDigestEmail, renderNotificationEmail, type EmailMessage } from "./render";
import { isPermanentFailure, smtpMailer, type Mailer } from "./transport";

export interface TickResult {
  digests: number;
  sent: number;
  retry: number;
  failed: number;
  skipped: number;
  lost: number;
}

export interface TickOptions {
  /** Rows claimed at a time. */
  batch?: number;
  /** How long a claim holds before another worker may take the row (longer than one SMTP exchange can last). */
  leaseSeconds?: number;
  /** Build due digests first (the worker does it once a minute). */
  digests?: boolean;
  now?: Date;
}

/** What a claimed row becomes: an email, or the reason it is no longer wanted. */
async function compose(prisma: PrismaClient, config: EmailConfig, row: ClaimedEmail): Promise<EmailMessage | { skip: string }> {
  const user = await prisma.user.findUnique({
    where: { id: row.userId },
    select: { id: true, email: true, name: true, emailSettings: { select: { delivery: true } } },
  });
  if (!user) return { skip: "The account is gone." };
  // Checked again now, not only when the row was written: an unsubscribe in between wins.
  if (user.emailSettings?.delivery === "off") return { skip: "The user turned email off." };
  if (row.kind === "digest") {
    const items = await prisma.emailOutbox.findMany({ where: { digestId: row.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { kind: true, title: true, body: true, link: true, createdAt: true } });
    if (items.length === 0) return { skip: "Nothing left in the digest." };
    return renderDigestEmail(config, user, items);
  }
  if (!isNotificationKind(row.kind)) return { skip: `Unknown notification kind "${row.kind}".` };
  const pref = await prisma.notificationPreference.findUnique({ where: { userId_kind: { userId: user.id, kind: row.kind } }, select: { email: true } });
  if (!(pref?.email ?? kindSpec(row.kind).defaults.email)) return { skip: "The user turned this kind's email off." };
  if (row.notificationId) {
    const note = await prisma.notification.findUnique({ where: { id: row.notificationId }, select: { readAt: true } });
    if (note?.readAt) return { skip: "Read on the site before the email went out." };
  }
  return renderNotificationEmail(config, user, row);
}

/**
 * One round of the worker: due digests are built, then claimed rows are sent one by one until none is due. Never
 * throws for one email's failure: that row is rescheduled (or given up) and the next is tried.
 */
export async function runEmailTick(prisma: PrismaClient, config: EmailConfig, mailer: Mailer, options: TickOptions = {}): Promise<TickResult> {
  const batch = options.batch ?? 20;
  const result: TickResult = { digests: 0, sent: 0, retry: 0, failed: 0, skipped: 0, lost: 0 };
  if (options.digests ?? true) result.digests = await scheduleDigests(prisma, config.digestHourUtc, options.now);
  for (let round = 0; round < 50; round++) {
    const claimed = await claimEmails(prisma, batch, options.leaseSeconds ?? 120);
    for (const row of claimed) {
      let outcome: Parameters<typeof finishEmail>[2];
      try {
        const message = await compose(prisma, config, row);
        if ("skip" in message) outcome = { status: "skipped", reason: message.skip };
        else {
          await mailer.send(message);
          outcome = { status: "sent" };
        }
      } catch (error) {
        outcome = { status: "error", message: error instanceof Error ? error.message : String(error), permanent: isPermanentFailure(error) };
      }
      result[await finishEmail(prisma, row, outcome)]++;
    }
    if (claimed.length < batch) break;
  }
  return result;
}

export interface EmailWorker {
  stop(): Promise<void>;
}

export interface WorkerOptions {
  mailer?: Mailer;
  /** Pause between rounds when nothing was due. */
  pollMs?: number;
  log?: (line: string) => void;
}

/**
 * The web process's email sender: polls the outbox every few seconds, and builds due digests once a minute. Every
 * instance of the site runs one; they share the rows through claimEmails.
 */
export function startEmailWorker(prisma: PrismaClient, config: EmailConfig, options: WorkerOptions = {}): EmailWorker {
  const mailer = options.mailer ?? smtpMailer(config);
  const pollMs = options.pollMs ?? 3000;
  const log = options.log ?? ((line: string) => console.log(`[email] ${line}`));
  let stopped = false;
  let wake: (() => void) | undefined;
  let lastDigests = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const digests = Date.now() - lastDigests >= 60_000;
        if (digests) lastDigests = Date.now();
        const r = await runEmailTick(prisma, config, mailer, { digests });
        if (r.retry || r.failed) log(`${r.sent} sent, ${r.retry} to retry, ${r.failed} given up (see EmailOutbox.lastError)`);
      } catch (error) {
        // The database was unreachable, say: the rows are still there for the next round.
        log(`round failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        timer.unref?.();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      mailer.close();
    },
  };
}
