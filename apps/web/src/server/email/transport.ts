import nodemailer from "nodemailer";
import type { EmailConfig } from "./config";
import type { EmailMessage } from "./render";

/** What the worker sends through: nodemailer's SMTP client, or anything with the same shape. */
export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * An SMTP client for SMTP_URL. Bounded waits: a mail server that stops answering costs the worker at most about a
 * minute per email (never a request: the worker runs beside them), and the row is retried later.
 */
export function smtpMailer(config: Pick<EmailConfig, "smtpUrl" | "from">): Mailer {
  const transport = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

/**
 * Whether trying again cannot help: the server refused this recipient for good (5xx to RCPT TO) or the address is
 * not one. Everything else (refused connections, timeouts, 4xx "try later", a wrong password being fixed) is retried.
 */
export function isPermanentFailure(error: unknown): boolean {
  const e = error as { code?: unknown; responseCode?: unknown; command?: unknown };
  if (e.code !== "EENVELOPE") return false;
  if (e.command === "API") return true;
  return e.command === "RCPT TO" && typeof e.responseCode === "number" && e.responseCode >= 500 && e.responseCode < 600;
}
