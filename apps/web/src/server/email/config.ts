import { serverEnv, type ServerEnv } from "~/env";
import { authSecret } from "../auth/secret";

/** What sending email needs; null everywhere means the site has no mail server and notifications stay in-app. */
export interface EmailConfig {
  smtpUrl: string;
  from: string;
  /** Absolute base of every link in an email (NEXTAUTH_URL), without a trailing slash. */
  siteUrl: string;
  /** Signs the one-click unsubscribe links. */
  secret: string;
  digestHourUtc: number;
}

export function emailConfigFromEnv(env: ServerEnv, secret: string): EmailConfig | null {
  if (!env.SMTP_URL || !env.EMAIL_FROM) return null;
  return {
    smtpUrl: env.SMTP_URL,
    from: env.EMAIL_FROM,
    siteUrl: (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
    secret,
    digestHourUtc: env.EMAIL_DIGEST_HOUR_UTC,
  };
}

// Tests and benchmarks run their own SMTP server in the same process and switch email on and off between cases.
let override: { config: EmailConfig | null } | undefined;

/** The site's email settings from the environment, or null when SMTP_URL is unset. */
export function siteEmail(): EmailConfig | null {
  if (override) return override.config;
  return emailConfigFromEnv(serverEnv(), authSecret());
}

/** Replaces what the environment says (null: no email), for tests and benchmarks; undefined goes back to it. */
export function overrideEmailConfig(config: EmailConfig | null | undefined): void {
  override = config === undefined ? undefined : { config };
}

/** The SMTP URL without its password, for logs. */
export function describeSmtp(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  if (url.password) url.password = "***";
  return url.toString();
}

/** The hour (UTC) of the daily digest: also needed to store a user's choice while the site sends no email. */
export function digestHourUtc(): number {
  return siteEmail()?.digestHourUtc ?? serverEnv().EMAIL_DIGEST_HOUR_UTC;
}
