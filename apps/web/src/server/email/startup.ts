import type { PrismaClient } from "@course/db";
import { describeSmtp, siteEmail } from "./config";
import { startEmailWorker, type EmailWorker } from "./worker";

const globalForEmail = globalThis as unknown as { courseEmailWorker?: EmailWorker };

/** Starts this process's email worker when SMTP_URL is set (once, however often startup runs). */
export function startEmailAtStart(prisma: PrismaClient): void {
  const config = siteEmail();
  if (!config) {
    console.log("[email] SMTP_URL is not set: notifications are shown on the site only (no email).");
    return;
  }
  if (globalForEmail.courseEmailWorker) return;
  globalForEmail.courseEmailWorker = startEmailWorker(prisma, config);
  console.log(`[email] Sending through ${describeSmtp(config.smtpUrl)} as ${config.from}; daily digests at ${String(config.digestHourUtc).padStart(2, "0")}:00 UTC.`);
}
