import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { HOSTILE_CORPUS } from "../../../packages/markdown/corpus/hostile";

// The whole hostile corpus of @course/markdown, rendered by a real feature (a lesson notebook's markdown cells and
// HTML outputs, from the temporary content copy the e2e site runs on) and opened in Chromium: no payload may run,
// open a dialog, or make the browser contact another host.

const NOTEBOOK = "hostile-markdown.ipynb";
const END = "End of the hostile corpus.";

function writeHostileNotebook(): void {
  const contentDir = process.env.COURSE_CONTENT_DIR;
  if (!contentDir) throw new Error("COURSE_CONTENT_DIR is not set: run through the e2e global setup.");
  // Every case as a markdown cell; the smaller ones also as an HTML and a markdown output (the big ones would push
  // the file past the site's 5 MB notebook limit, and the unit test renders them as HTML already).
  const cells: Record<string, unknown>[] = HOSTILE_CORPUS.flatMap((c, i) => [
    { id: `md-${i}`, cell_type: "markdown", metadata: {}, source: c.markdown },
    ...(c.markdown.length > 20_000
      ? []
      : [
          {
            id: `code-${i}`,
            cell_type: "code",
            metadata: {},
            execution_count: 1,
            source: "display.html(x)",
            outputs: [
              { output_type: "display_data", metadata: {}, data: { "text/html": c.markdown, "text/plain": "plain" } },
              { output_type: "display_data", metadata: {}, data: { "text/markdown": c.markdown } },
            ],
          },
        ]),
  ]);
  cells.push({ id: "end", cell_type: "markdown", metadata: {}, source: END });
  const notebook = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "typescript", display_name: "TypeScript" } }, cells };
  fs.writeFileSync(path.join(contentDir, "notebooks", NOTEBOOK), JSON.stringify(notebook));
}

declare global {
  interface Window {
    __xss?: (n: unknown) => void;
    __xssCalls?: unknown[];
    __injected?: boolean;
    __next_f?: unknown;
  }
}

test("the hostile corpus, rendered in a page, runs no script and fetches nothing from other hosts", async ({ page }) => {
  test.setTimeout(180_000);
  writeHostileNotebook();
  const foreign: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    foreign.push(url.href);
    return route.abort();
  });
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const consoleCalls: string[] = [];
  page.on("console", (m) => {
    if (/__xss|xss called/.test(m.text())) consoleCalls.push(m.text());
  });
  // Every payload calls __xss(n) or alert(); both are recorded (init scripts run before the page's own).
  await page.addInitScript(() => {
    window.__xssCalls = [];
    window.__xss = (n) => {
      window.__xssCalls!.push(n);
      console.log(`xss called ${String(n)}`);
    };
    for (const name of ["alert", "confirm", "prompt"] as const) {
      (window as unknown as Record<string, unknown>)[name] = (m: unknown) => window.__xssCalls!.push(`${name}:${String(m)}`);
    }
  });

  const response = await page.goto(`/notebooks/${NOTEBOOK}`, { timeout: 120_000 });
  expect(response?.status()).toBe(200);
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  await expect(page.getByText(END)).toBeVisible();

  // Handlers that need a user: hover, focus and toggle everything in the notebook.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll("main *")) {
      for (const type of ["mouseover", "mouseenter", "click", "focus", "animationstart", "toggle", "load", "error"]) {
        el.dispatchEvent(new Event(type, { bubbles: true }));
      }
    }
  });
  await page.waitForTimeout(1_000);

  expect(await page.evaluate(() => window.__xssCalls)).toEqual([]);
  expect(consoleCalls).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(foreign).toEqual([]);
  // What the page holds: no element of the notebook carries a handler or a script URL.
  const risky = await page.evaluate(() =>
    [...document.querySelectorAll("main *")].flatMap((el) =>
      [...el.attributes]
        .filter((a) => /^on/i.test(a.name) || /^\s*(javascript|vbscript|data:text)/i.test(a.value) || ["SCRIPT", "IFRAME", "OBJECT", "EMBED", "FORM", "STYLE"].includes(el.tagName))
        .map((a) => `<${el.tagName} ${a.name}="${a.value.slice(0, 60)}">`),
    ),
  );
  expect(risky).toEqual([]);
});

test("the Content-Security-Policy blocks an injected inline script and still runs the site's own", async ({ page }) => {
  const response = await page.goto("/");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const ran = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.id = "injected";
    script.textContent = "window.__injected = true";
    document.body.append(script);
    await new Promise((r) => setTimeout(r, 300));
    return window.__injected === true;
  });
  expect(ran).toBe(false);
  // Next.js's own inline scripts carry the nonce, so the page hydrated.
  expect(await page.evaluate(() => Array.isArray(window.__next_f))).toBe(true);
  // The home page comes from the page cache, and still every script has this response's nonce and no other.
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  const scriptNonces = await page.evaluate(() => [...document.querySelectorAll<HTMLScriptElement>("script:not(#injected)")].map((s) => s.nonce));
  expect(scriptNonces.length).toBeGreaterThan(3);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
  const again = await page.goto("/");
  expect(again?.headers()["x-nextjs-cache"]).toBe("HIT");
  expect(again?.headers()["content-security-policy"]).not.toBe(csp);
  expect(await page.evaluate(() => Array.isArray(window.__next_f))).toBe(true);
});
