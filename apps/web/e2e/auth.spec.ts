import fs from "node:fs";
import { expect, request, test, type APIRequestContext, type Page } from "@playwright/test";
import { PASSWORD, SEEDED } from "./support/accounts";
import { apiSignIn, apiSignOut, sessionCookie, SESSION_COOKIE, trpcMutation, whoIs } from "./support/http-session";
import { freePort, startSite } from "./support/site";

const port = Number(process.env.E2E_PORT ?? 3210);
const baseUrl = `http://127.0.0.1:${port}`;

const student = { email: "auth-student@example.com", name: "Sam Student" };

async function signUp(page: Page, who: { email: string; name: string }, pw = PASSWORD) {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(pw);
  await page.getByRole("button", { name: "Create account" }).click();
}

async function signIn(page: Page, email: string, pw: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(pw);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("on a fresh install the first account becomes admin, and the start-up log says so", async ({ page }) => {
  const fresh = await startSite({ port: await freePort() });
  try {
    await page.goto(`${fresh.url}/signup`);
    await page.getByLabel("Name").fill("First Person");
    await page.getByLabel("Email").fill("first@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("signed-in-as")).toContainText("First Person");
    await expect(page.getByTestId("signed-in-as")).toContainText("admin");
    await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
    const log = () => fs.readFileSync(fresh.logFile, "utf8");
    expect(log()).toContain("No accounts yet: the first account to sign up becomes admin.");
    // The server writes the line while the browser is already redirected; give its log a moment.
    await expect.poll(log).toContain("first@example.com is the first account on this install and is now admin.");
  } finally {
    await fresh.stop();
  }
});

test.describe.serial("accounts and roles", () => {
  test("sign up, sign out, sign in again; a wrong password is refused with a clear message", async ({ page }) => {
    await signUp(page, student);
    await expect(page.getByTestId("signed-in-as")).toContainText(student.name);
    await expect(page.getByTestId("signed-in-as")).not.toContainText("admin");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

    await signIn(page, student.email, "not the password");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");
    await signIn(page, "nobody@example.com", PASSWORD);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");

    await signIn(page, student.email, PASSWORD);
    await expect(page.getByTestId("signed-in-as")).toContainText(student.name);
    await page.goto("/account");
    await expect(page.getByTestId("role")).toHaveText("student");
  });

  test("sign-up errors are specific: weak password, taken email", async ({ page }) => {
    await signUp(page, { email: "weak@example.com", name: "Weak" }, "password12");
    await expect(page.getByRole("main").getByRole("alert")).toContainText("too easy to guess. This is a commonly used password.");
    await signUp(page, { email: student.email, name: "Copycat" });
    await expect(page.getByRole("main").getByRole("alert")).toContainText("already exists");
  });

  test("a role-gated page is refused to anonymous visitors and students, and shown to an admin", async ({ page, browser }) => {
    const anonymous = await page.goto("/admin/users");
    expect(anonymous?.url()).toContain("/signin?callbackUrl=%2Fadmin%2Fusers");

    await signIn(page, student.email, PASSWORD);
    await expect(page.getByTestId("signed-in-as")).toContainText(student.name);
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
    const refused = await page.goto("/admin/users");
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await expect(page.getByText(SEEDED.admin.email)).toHaveCount(0);

    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, SEEDED.admin.email, PASSWORD);
    await expect(adminPage.getByTestId("signed-in-as")).toContainText(SEEDED.admin.name);
    await adminPage.goto("/admin/users");
    await expect(adminPage.getByRole("heading", { name: "Users and roles" })).toBeVisible();
    await adminPage.getByLabel(`Role of ${student.email}`).selectOption("grader");
    await expect(adminPage.getByLabel(`Role of ${student.email}`)).toHaveValue("grader");
    await adminContext.close();

    // Roles are read from the database on every request: no new sign-in needed.
    await page.goto("/account");
    await expect(page.getByTestId("role")).toHaveText("grader");
    expect((await page.goto("/admin/users"))?.status()).toBe(403);
  });
});

test.describe("sessions end on the server", () => {
  const contexts: APIRequestContext[] = [];
  const device = async () => {
    const api = await request.newContext({ baseURL: baseUrl });
    contexts.push(api);
    return api;
  };
  test.afterAll(async () => Promise.all(contexts.map((c) => c.dispose())));

  test("a copied session cookie stops working after sign-out, a password change, sign out everywhere and a demotion", async () => {
    const email = `copied-${Date.now()}@example.com`;
    const signUp = await trpcMutation(await device(), "auth.signUp", { email, password: PASSWORD });
    expect(signUp.status()).toBe(200);

    // Sign-out: the cookie copied before it is worth nothing afterwards.
    const laptop = await device();
    await apiSignIn(laptop, email, PASSWORD);
    const copied = await sessionCookie(laptop);
    expect(await whoIs(baseUrl, copied)).toMatchObject({ email });
    await apiSignOut(laptop);
    expect(await whoIs(baseUrl, copied)).toBeNull();

    // A password change ends every session, the other device's and the one that changed it.
    const phone = await device();
    const desktop = await device();
    await apiSignIn(phone, email, PASSWORD);
    await apiSignIn(desktop, email, PASSWORD);
    const [phoneCookie, desktopCookie] = [await sessionCookie(phone), await sessionCookie(desktop)];
    const newPassword = "violet harbour lantern 77";
    expect((await trpcMutation(desktop, "account.changePassword", { current: PASSWORD, next: newPassword })).status()).toBe(200);
    expect(await whoIs(baseUrl, phoneCookie)).toBeNull();
    expect(await whoIs(baseUrl, desktopCookie)).toBeNull();

    // Sign out everywhere.
    const tablet = await device();
    expect(await apiSignIn(tablet, email, newPassword)).not.toContain("error=");
    const tabletCookie = await sessionCookie(tablet);
    expect(await whoIs(baseUrl, tabletCookie)).toMatchObject({ email });
    expect((await trpcMutation(tablet, "account.signOutEverywhere", undefined)).status()).toBe(200);
    expect(await whoIs(baseUrl, tabletCookie)).toBeNull();

    // A promotion keeps the session (it gains rights at once); a demotion ends it.
    const admin = await device();
    await apiSignIn(admin, SEEDED.admin.email, PASSWORD);
    const student = await device();
    await apiSignIn(student, email, newPassword);
    const studentCookie = await sessionCookie(student);
    expect((await trpcMutation(admin, "admin.setRole", { email, role: "grader" })).status()).toBe(200);
    expect(await whoIs(baseUrl, studentCookie)).toMatchObject({ email, role: "grader" });
    expect((await trpcMutation(admin, "admin.setRole", { email, role: "student" })).status()).toBe(200);
    expect(await whoIs(baseUrl, studentCookie)).toBeNull();
  });

  test("the account page changes the password without signing this browser out, and signs out everywhere", async ({ page, browser }) => {
    const who = { email: `sessions-${Date.now()}@example.com`, name: "Sasha Sessions" };
    await signUp(page, who);
    await expect(page.getByTestId("signed-in-as")).toContainText(who.name);
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, who.email, PASSWORD);
    await expect(otherPage.getByTestId("signed-in-as")).toContainText(who.name);

    await page.goto("/account");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("password12");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toContainText("too easy to guess");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("copper meadow whistle 31");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toHaveText("Password changed. Every other device is signed out.");
    await page.reload();
    await expect(page.getByTestId("signed-in-as")).toContainText(who.name);
    await otherPage.reload();
    await expect(otherPage.getByTestId("signed-in-as")).toHaveCount(0);
    await other.close();

    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    expect((await page.goto("/account"))?.url()).toContain("/signin?callbackUrl=%2Faccount");
  });
});

test.describe("requests from elsewhere", () => {
  test("state changes from another site's page are refused; our own pages and runner routes are not affected", async () => {
    const api = await request.newContext({ baseURL: baseUrl });
    try {
      await apiSignIn(api, SEEDED.grader.email, PASSWORD);
      const evil = { origin: "http://evil.example", "sec-fetch-site": "cross-site" };
      const refused = await trpcMutation(api, "account.updateName", { name: "Pwned" }, evil);
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error).toMatch(/^Cross-site request refused/);
      const upload = await api.post("/api/submissions", { multipart: { assignment: "lesson-1", file: { name: "x.ipynb", mimeType: "application/json", buffer: Buffer.from("{}") } }, headers: evil });
      expect(upload.status()).toBe(403);
      const ours = await trpcMutation(api, "account.updateName", { name: SEEDED.grader.name }, { origin: baseUrl, "sec-fetch-site": "same-origin" });
      expect(ours.status()).toBe(200);
      // A runner route answers for its token (401 here), never the Origin check's 403.
      const runner = await api.post("/api/runner/claim", { data: { waitSeconds: 0 }, headers: { ...evil, authorization: "Bearer crt_nope" } });
      expect(runner.status()).toBe(401);
    } finally {
      await api.dispose();
    }
  });

  test("a malformed or foreign callbackUrl falls back to the home page instead of failing", async () => {
    const api = await request.newContext({ baseURL: baseUrl });
    try {
      const anonymous = await fetch(`${baseUrl}/api/auth/session?callbackUrl=%E0%A4%A`);
      expect(anonymous.status).toBe(200);
      expect((await fetch(`${baseUrl}/api/auth/error?error=%E0%A4%A`, { redirect: "manual" })).status).toBe(302);
      expect((await fetch(`${baseUrl}/signin?callbackUrl=%E0%A4%A`)).status).toBe(200);
      await apiSignIn(api, SEEDED.grader.email, PASSWORD);
      const cookie = `${SESSION_COOKIE}=${await sessionCookie(api)}`;
      for (const [callbackUrl, location] of [
        ["/%E0%A4%A", "/%EF%BF%BD%A"],
        ["http://evil.example", "/"],
        ["%2F%2Fevil.example", "/"],
        ["/account", "/account"],
      ]) {
        const res = await fetch(`${baseUrl}/signin?callbackUrl=${callbackUrl}`, { headers: { cookie }, redirect: "manual" });
        expect(res.status, callbackUrl).toBe(307);
        expect(new URL(res.headers.get("location")!, baseUrl).pathname).toBe(new URL(location!, baseUrl).pathname);
      }
    } finally {
      await api.dispose();
    }
  });
});

test("per-address limits use the connection's address: a made-up X-Forwarded-For does not help", async () => {
  test.setTimeout(180_000); // two more sites start
  const direct = await startSite({ port: await freePort(), env: { SIGNIN_MAX_ATTEMPTS: "1", SIGNUP_MAX_PER_WINDOW: "2" } });
  const proxied = await startSite({ port: await freePort(), env: { SIGNIN_MAX_ATTEMPTS: "1", TRUSTED_PROXY_HOPS: "1" } });
  const toDirect = await request.newContext({ baseURL: direct.url });
  const toProxied = await request.newContext({ baseURL: proxied.url });
  try {
    // One address may fail 6 times (SIGNIN_MAX_ATTEMPTS x 6), whatever it claims to forward for.
    for (let i = 0; i < 6; i++) {
      const spoof = { "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}`, "x-course-client-ip": `198.51.100.${i}` };
      expect(await apiSignIn(toDirect, `guess${i}@example.com`, "wrong guess", spoof)).toContain("Wrong email or password.");
    }
    expect(await apiSignIn(toDirect, "fresh@example.com", "wrong guess", { "x-forwarded-for": "192.0.2.77" })).toContain(
      "Too many sign-in attempts.",
    );

    // Sign-ups: two per address here; rotating the header does not make a third.
    for (let i = 0; i < 3; i++) {
      const res = await trpcMutation(toDirect, "auth.signUp", { email: `many${i}@example.com`, password: PASSWORD }, { "x-forwarded-for": `198.51.100.${10 + i}` });
      if (i < 2) {
        expect(res.status()).toBe(200);
      } else {
        expect(res.status()).toBe(429);
        expect(JSON.stringify(await res.json())).toContain("Too many accounts were created from your network recently.");
      }
    }

    // Behind one trusted proxy, the proxy's entry (the rightmost) is the client; anything left of it is ignored.
    for (let i = 0; i < 6; i++) {
      expect(await apiSignIn(toProxied, `p${i}@example.com`, "wrong guess", { "x-forwarded-for": "203.0.113.1" })).toContain("Wrong email or password.");
    }
    expect(await apiSignIn(toProxied, "q@example.com", "wrong guess", { "x-forwarded-for": "6.6.6.6, 203.0.113.1" })).toContain(
      "Too many sign-in attempts.",
    );
    expect(await apiSignIn(toProxied, "q@example.com", "wrong guess", { "x-forwarded-for": "203.0.113.2" })).toContain("Wrong email or password.");
  } finally {
    await Promise.all([toDirect.dispose(), toProxied.dispose()]);
    await Promise.all([direct.stop(), proxied.stop()]);
  }
});
