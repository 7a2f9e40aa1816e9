import { expect, test } from "@playwright/test";
import { startSmtpServer } from "../test/support/smtp";
import { signUp } from "./support/browser";
import { freePort, startSite } from "./support/site";

// A site of its own, with SMTP_URL pointing at a real SMTP server in this process (the boundary), since the shared
// site of the other specs sends no email.
test("a watcher who wants wiki changes by email gets one through SMTP, and its link unsubscribes without signing in", async ({ browser }) => {
  test.setTimeout(240_000);
  const smtp = await startSmtpServer();
  const site = await startSite({ port: await freePort(), env: { SMTP_URL: smtp.url, EMAIL_FROM: "Course <course@example.org>" } });
  try {
    const stamp = Date.now();
    const wendy = { email: `wendy-${stamp}@example.com`, name: "Wendy Watcher" };
    const page = await (await browser.newContext()).newPage();
    await signUp(page, site.url, wendy);

    // Email is on for this site: the delivery choice is offered, and Wendy ticks wiki changes by email.
    await page.goto(`${site.url}/notifications`);
    const delivery = page.getByTestId("email-delivery");
    await expect(delivery).toContainText(wendy.email);
    await expect(delivery.getByRole("radio", { name: "As each notification arrives" })).toBeChecked();
    await expect(page.getByTestId("email-off")).toHaveCount(0);
    const byEmail = page.getByTestId("notification-preferences").getByRole("checkbox", { name: "Watched wiki page changed by email" });
    await byEmail.check();
    await expect(byEmail).toBeChecked();

    // She writes a page (and so watches it); Otto edits it.
    const title = `Email e2e ${stamp}`;
    await page.goto(`${site.url}/wiki/${title.replace(/ /g, "_")}?action=edit`);
    await page.getByLabel("Page text").fill("First words.\n");
    await page.getByRole("button", { name: /Save/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const otto = await (await browser.newContext()).newPage();
    await signUp(otto, site.url, { email: `otto-${stamp}@example.com`, name: "Otto Editor" });
    await otto.goto(`${site.url}/wiki/${title.replace(/ /g, "_")}?action=edit`);
    await otto.getByLabel("Page text").fill("First words.\n\nMore words by Otto.\n");
    await otto.getByRole("button", { name: /Save/ }).click();
    await expect(otto.getByTestId("wiki-body")).toContainText("More words by Otto.");

    await expect.poll(() => smtp.received.filter((m) => m.to.includes(wendy.email)).length, { timeout: 30_000 }).toBe(1);
    const mail = smtp.received.find((m) => m.to.includes(wendy.email))!;
    expect(mail.subject).toContain(title);
    expect(mail.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const link = /Stop emails about “Watched wiki page changed”: (\S+)/.exec(mail.text)?.[1];
    expect(link).toMatch(new RegExp(`^${site.url}/email/unsubscribe/`));

    // Opened where nobody is signed in: a confirmation, then the button.
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto(link!);
    await expect(stranger.getByText(/Stop emails about “Watched wiki page changed” to we\*\*\*@example\.com\?/)).toBeVisible();
    await stranger.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(stranger.getByTestId("unsubscribed")).toContainText("will no longer get emails about “Watched wiki page changed”");

    await page.goto(`${site.url}/notifications`);
    await expect(page.getByTestId("notification-preferences").getByRole("checkbox", { name: "Watched wiki page changed by email" })).not.toBeChecked();
    await expect(page.getByTestId("notification-preferences").getByRole("checkbox", { name: "Watched wiki page changed on the site" })).toBeChecked();
    // A changed link is refused.
    await stranger.goto(link!.replace(/\.(.)([^.]+)$/, (_m, c: string, rest: string) => `.${c === "A" ? "B" : "A"}${rest}`));
    await expect(stranger.getByTestId("unsubscribed")).toHaveCount(0);
    await expect(stranger.getByRole("button", { name: "Unsubscribe" })).toHaveCount(0);
  } finally {
    await site.stop();
    await smtp.close();
  }
});
