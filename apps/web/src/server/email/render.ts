import { SITE_NAME } from "~/lib/site";
import { isNotificationKind, kindSpec } from "../notifications/kinds";
import type { EmailConfig } from "./config";
import { oneClickPath, unsubscribePagePath, unsubscribeToken, type UnsubscribeScope } from "./unsubscribe";

/** An email ready for the SMTP client. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface Recipient {
  id: string;
  email: string;
  name: string | null;
}

export interface EmailItem {
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Everything a user wrote (titles quote page names, bodies quote posts) goes through this before it meets HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * A notification's link made absolute on this site; anything that would lead elsewhere (a kind's schema fixes its
 * links to paths, but an email must not trust that) is dropped.
 */
export function absoluteLink(config: EmailConfig, link: string | null): string | null {
  if (link === null || !link.startsWith("/") || link.startsWith("//")) return null;
  const base = new URL(config.siteUrl);
  const url = new URL(link, `${base.origin}/`);
  if (url.origin !== base.origin) return null;
  return `${config.siteUrl}${url.pathname}${url.search}${url.hash}`;
}

// Subjects are one line: a title with a line break would start new headers in a less careful client.
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function kindLabel(kind: string): string {
  return isNotificationKind(kind) ? kindSpec(kind).label : kind;
}

function unsubscribeHeaders(config: EmailConfig, token: string): Record<string, string> {
  return {
    // RFC 8058: mail clients show "Unsubscribe" and POST `List-Unsubscribe=One-Click` to this address, no sign-in.
    "List-Unsubscribe": `<${config.siteUrl}${oneClickPath(token)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    // RFC 3834: an automatic message, so vacation responders do not answer it.
    "Auto-Submitted": "auto-generated",
  };
}

function page(content: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="font-family: system-ui, -apple-system, Segoe UI, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 600px; margin: 0 auto; padding: 16px;">
${content}
</body></html>
`;
}

function footer(config: EmailConfig, recipient: Recipient, reason: string, scope: UnsubscribeScope) {
  const token = unsubscribeToken(config.secret, recipient.id, scope);
  const stop = `${config.siteUrl}${unsubscribePagePath(token)}`;
  const settings = `${config.siteUrl}/notifications`;
  const stopWords = scope === "all" ? "Stop all email from this site" : `Stop emails about “${kindLabel(scope)}”`;
  return {
    token,
    text: `--\n${reason}\n${stopWords}: ${stop}\nChoose what we email you: ${settings}\n`,
    html: `<hr style="border: none; border-top: 1px solid #ddd; margin: 24px 0 8px;">
<p style="font-size: 13px; color: #666;">${escapeHtml(reason)}<br>
<a href="${escapeHtml(stop)}">${escapeHtml(stopWords)}</a> · <a href="${escapeHtml(settings)}">Choose what we email you</a></p>`,
  };
}

/** One notification's email: its title is the subject. */
export function renderNotificationEmail(config: EmailConfig, recipient: Recipient, item: EmailItem): EmailMessage {
  const link = absoluteLink(config, item.link);
  const scope: UnsubscribeScope = isNotificationKind(item.kind) ? item.kind : "all";
  const foot = footer(config, recipient, `You get this email because “${kindLabel(item.kind)}” emails are on for ${recipient.email} at ${SITE_NAME}.`, scope);
  const text = [oneLine(item.title), "", item.body, ...(link ? ["", `Open it: ${link}`] : []), "", foot.text].join("\n").replace(/\n{3,}/g, "\n\n");
  const html = page(
    [
      `<h1 style="font-size: 20px; margin: 0 0 12px;">${escapeHtml(oneLine(item.title))}</h1>`,
      item.body ? `<p style="white-space: pre-wrap; margin: 0 0 16px;">${escapeHtml(item.body)}</p>` : "",
      link ? `<p><a href="${escapeHtml(link)}" style="color: #0b57d0;">Open it on ${escapeHtml(SITE_NAME)}</a></p>` : "",
      foot.html,
    ].join("\n"),
  );
  return { to: recipient.email, subject: oneLine(item.title), text, html, headers: unsubscribeHeaders(config, foot.token) };
}

/** The daily digest: the notifications still unread, grouped by kind, newest first within each. */
export function renderDigestEmail(config: EmailConfig, recipient: Recipient, items: readonly EmailItem[]): EmailMessage {
  const groups = new Map<string, EmailItem[]>();
  for (const item of [...items].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())) {
    const label = kindLabel(item.kind);
    groups.set(label, [...(groups.get(label) ?? []), item]);
  }
  const count = items.length === 1 ? "1 unread notification" : `${items.length} unread notifications`;
  const subject = `Your daily digest from ${SITE_NAME}: ${count}`;
  const foot = footer(config, recipient, `You get this digest once a day because you chose it for ${recipient.email} at ${SITE_NAME}.`, "all");
  const textParts = [`${count} since your last digest:`, ""];
  const htmlParts = [`<h1 style="font-size: 20px; margin: 0 0 12px;">${escapeHtml(count)}</h1>`];
  for (const [label, group] of groups) {
    textParts.push(`## ${label} (${group.length})`, "");
    htmlParts.push(`<h2 style="font-size: 16px; margin: 20px 0 8px;">${escapeHtml(label)} (${group.length})</h2>`, "<ul style=\"padding-left: 20px;\">");
    for (const item of group) {
      const link = absoluteLink(config, item.link);
      const body = item.body.length > 200 ? `${item.body.slice(0, 199)}…` : item.body;
      textParts.push(`* ${oneLine(item.title)}`, ...(body ? [`  ${oneLine(body)}`] : []), ...(link ? [`  ${link}`] : []), "");
      const title = link ? `<a href="${escapeHtml(link)}" style="color: #0b57d0;">${escapeHtml(oneLine(item.title))}</a>` : escapeHtml(oneLine(item.title));
      htmlParts.push(`<li style="margin-bottom: 8px;">${title}${body ? `<br><span style="color: #444;">${escapeHtml(oneLine(body))}</span>` : ""}</li>`);
    }
    htmlParts.push("</ul>");
  }
  textParts.push(`All your notifications: ${config.siteUrl}/notifications`, "", foot.text);
  htmlParts.push(`<p><a href="${escapeHtml(`${config.siteUrl}/notifications`)}" style="color: #0b57d0;">All your notifications</a></p>`, foot.html);
  return { to: recipient.email, subject, text: textParts.join("\n"), html: page(htmlParts.join("\n")), headers: unsubscribeHeaders(config, foot.token) };
}
