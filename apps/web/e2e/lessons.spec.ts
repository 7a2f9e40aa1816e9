import { expect, test, type Page } from "@playwright/test";
import { ensureLesson1Transcript, isLocal, stubYouTube, SYNTHETIC_CUES } from "./support/youtube-stub-content";

// The site runs with COURSE_CONTENT_DIR on a temporary copy of content/ and YOUTUBE_IFRAME_API_URL pointing at any
// URL: every request for the API script (that URL or the real one) is answered here with the stand-in.

interface StubState {
  videoId: string;
  host: string;
  playerVars: Record<string, number | string>;
  time: number;
  playerState: number;
  seeks: { seconds: number; allowSeekAhead: boolean }[];
  plays: number;
}
interface StubWindow {
  __ytStub: { current(): { state: StubState; pauseVideo(): void } | null; advance(seconds: number): void; loads: number; players: unknown[] };
}

const LESSON_1 = "/lessons/lesson-1";
const PLAYING = 1;

test.beforeAll(() => {
  ensureLesson1Transcript();
});

test.beforeEach(async ({ page }) => stubYouTube(page));

async function player(page: Page): Promise<StubState> {
  await page.waitForFunction(() => (window as unknown as Partial<StubWindow>).__ytStub?.current() != null);
  return page.evaluate(() => (window as unknown as StubWindow).__ytStub.current()!.state);
}

async function openLesson(page: Page, url = LESSON_1): Promise<StubState> {
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return player(page);
}

const advance = (page: Page, seconds: number) => page.evaluate((s) => (window as unknown as StubWindow).__ytStub.advance(s), seconds);
const lastSeek = async (page: Page) => (await player(page)).seeks.at(-1)?.seconds;
const chapter = (page: Page, title: string) => page.getByRole("navigation", { name: "Chapters" }).getByRole("button", { name: title });
const cue = (page: Page, text: string) => page.getByRole("list", { name: "Transcript lines" }).getByRole("button", { name: text });
const currentChapter = (page: Page) => page.getByRole("navigation", { name: "Chapters" }).locator('button[aria-current="true"]');
const currentCue = (page: Page) => page.getByRole("list", { name: "Transcript lines" }).locator('button[aria-current="true"]');

test.describe("lesson page", () => {
  test("embeds the video on the privacy-enhanced host with chapters, transcript, body and links", async ({ page }) => {
    const state = await openLesson(page);
    expect(state.videoId).toBe("Th_ckFbc6bI");
    expect(state.host).toBe("https://www.youtube-nocookie.com");
    expect(state.playerVars.start).toBe(0);
    await expect(page).toHaveTitle(/Lesson 1: Recognizing cats and dogs/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lesson 1: Recognizing cats and dogs");
    await expect(page.getByRole("navigation", { name: "Chapters" }).getByRole("button")).toHaveCount(6);
    await expect(page.getByRole("list", { name: "Transcript lines" }).getByRole("button")).toHaveCount(SYNTHETIC_CUES.length);
    await expect(page.getByTestId("captions-link")).toHaveAttribute("href", "/lessons/lesson-1/captions.vtt");
    // MDX body with the course components.
    await expect(page.getByRole("heading", { name: "Fine-tuning in six lines" })).toBeVisible();
    await expect(page.getByRole("note")).toHaveCount(3);
    await expect(page.getByRole("note", { name: "Check the pretrained model first" })).toBeVisible();
    await expect(page.locator('[data-notebook="notebooks/lesson-1.ipynb"]')).toContainText("the lesson notebook");
    // The wiki and notes pages and the forum thread are links (each created at start).
    const links = page.getByTestId("lesson-link");
    await expect(links).toHaveText(["Wiki: Lesson 1", "Notes: Lesson 1 Notes", "Forum thread: lesson-1-discussion"]);
    await expect(links.nth(0).getByRole("link")).toHaveAttribute("href", "/wiki/Lesson_1");
    await expect(links.nth(1).getByRole("link")).toHaveAttribute("href", "/wiki/Lesson_1_Notes");
    await expect(links.nth(2).getByRole("link")).toHaveAttribute("href", "/forum/l/lesson-1-discussion");
    await expect(links.locator("a")).toHaveCount(3);
  });

  test("chapter clicks keep ?t= in the address, so the address shares that moment", async ({ page }) => {
    await openLesson(page);
    const history = await page.evaluate(() => window.history.length);
    await chapter(page, "Teaching").click();
    await expect(page).toHaveURL(`${LESSON_1}?t=1m23s`);
    await chapter(page, "Intuition").click();
    await expect(page).toHaveURL(`${LESSON_1}?t=9m0s`);
    expect(await page.evaluate(() => window.history.length)).toBe(history); // replaced, not pushed
    expect(await lastSeek(page)).toBe(540);
    // The shared address opens the lesson there.
    const shared = await openLesson(page, page.url());
    expect(shared.playerVars.start).toBe(540);
    await expect(currentChapter(page)).toHaveText(/Intuition/);
  });

  test("when YouTube cannot load: a poster with the title and a YouTube link, and chapters open YouTube at their second", async ({ page }) => {
    // Later routes win: the API script (and anything else off-site, in this page and its popups) fails to load.
    const offsite: string[] = [];
    await page.context().route(
      (url) => !isLocal(url),
      (route) => {
        offsite.push(route.request().url());
        return route.abort();
      },
    );
    await page.route(
      (url) => !isLocal(url),
      (route) => {
        offsite.push(route.request().url());
        return route.abort();
      },
    );
    expect((await page.goto(LESSON_1))?.status()).toBe(200);
    const poster = page.getByTestId("player-fallback");
    await expect(poster).toBeVisible();
    await expect(poster).toContainText("Recognizing cats and dogs");
    const open = poster.getByRole("link", { name: "The video could not load — open it on YouTube" });
    await expect(open).toHaveAttribute("href", "https://www.youtube.com/watch?v=Th_ckFbc6bI&t=0s");
    // Not a black box: the poster is visible and the empty player frame is hidden.
    await expect(page.getByTestId("player")).toBeHidden();
    const box = (await poster.boundingBox())!;
    expect(box.height).toBeGreaterThan(100);

    const chapters = page.getByRole("navigation", { name: "Chapters" });
    await expect(chapters.getByRole("button")).toHaveCount(0);
    const teaching = chapters.getByRole("link", { name: /Teaching/ });
    await expect(teaching).toHaveAttribute("href", "https://www.youtube.com/watch?v=Th_ckFbc6bI&t=83s");
    await expect(chapters.getByRole("link", { name: /Suggestions/ })).toHaveAttribute("href", "https://www.youtube.com/watch?v=Th_ckFbc6bI&t=1378s");
    const popup = page.waitForEvent("popup");
    await teaching.click();
    await popup;
    await expect.poll(() => offsite).toContain("https://www.youtube.com/watch?v=Th_ckFbc6bI&t=83s");
    await expect(page).toHaveURL(`${LESSON_1}?t=1m23s`);
  });

  test("a lesson without a video of its own shows no player, chapters or duration", async ({ page }) => {
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script" && !isLocal(new URL(r.url()))) scripts.push(r.url());
    });
    expect((await page.goto("/lessons/lesson-0-setup"))?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lesson 0: Setting up your machine");
    await expect(page.getByTestId("no-video")).toBeVisible();
    await expect(page.getByTestId("player")).toHaveCount(0);
    await expect(page.getByTestId("player-fallback")).toHaveCount(0);
    await expect(page.getByRole("navigation", { name: "Chapters" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Watch on YouTube" })).toHaveCount(0);
    expect(scripts).toEqual([]); // the YouTube API is not even loaded
  });

  test("the course home promises only what the lessons have", async ({ page }) => {
    await page.goto("/");
    // The test content: Lesson 0 has no video, Lesson 1 has a video, chapters and (the tests' synthetic) transcript.
    await expect(page.getByTestId("course-lead")).toContainText("One lesson has a video with a clickable chapter timeline, with a synced transcript.");
    await expect(page.getByTestId("course-lead")).not.toContainText("Each lesson");
    const item = (n: number) => page.getByTestId("lesson-item").filter({ hasText: `Lesson ${n}:` }).getByTestId("lesson-has");
    await expect(item(0)).toHaveText("Reading, no video");
    await expect(item(1)).toHaveText("Video 31:14 · 6 chapters · transcript");
  });

  test("answers 404 for an unknown lesson", async ({ page }) => {
    expect((await page.goto("/lessons/no-such-lesson"))?.status()).toBe(404);
    expect((await page.goto("/lessons/no-such-lesson/transcript"))?.status()).toBe(404);
    expect((await page.request.get("/lessons/no-such-lesson/captions.vtt")).status()).toBe(404);
  });

  test("clicking a chapter seeks the player to its start and plays", async ({ page }) => {
    await openLesson(page);
    await chapter(page, "Teaching").click();
    expect(await player(page)).toMatchObject({ time: 83, playerState: PLAYING });
    expect((await player(page)).seeks.at(-1)).toEqual({ seconds: 83, allowSeekAhead: true });
    await expect(currentChapter(page)).toHaveText(/Teaching/);
    await chapter(page, "Suggestions").press("Enter");
    expect(await lastSeek(page)).toBe(22 * 60 + 58);
    await expect(currentChapter(page)).toHaveText(/Suggestions/);
  });

  test("clicking a transcript line seeks to its start", async ({ page }) => {
    await openLesson(page);
    await cue(page, "A mathematician once compared").click();
    expect(await lastSeek(page)).toBe(137);
    await expect(currentCue(page)).toContainText("A mathematician once compared");
    await expect(currentChapter(page)).toHaveText(/Paul Lockhart/);
  });

  test("the chapter and transcript highlights follow playback, and the current line is scrolled into view", async ({ page }) => {
    await openLesson(page);
    await chapter(page, "Introduction").click();
    await expect(currentCue(page)).toContainText("Welcome to the first lesson");
    await advance(page, 290);
    await expect(currentChapter(page)).toHaveText(/The New Electricity/);
    await expect(currentCue(page)).toContainText("much as electricity once did");
    await advance(page, 1400 - 290);
    await expect(currentChapter(page)).toHaveText(/Suggestions/);
    await expect(currentCue(page)).toContainText("Some suggestions");
    // The last line is below the fold of the transcript box: following playback scrolled it into view.
    const box = (await page.getByRole("list", { name: "Transcript lines" }).boundingBox())!;
    const line = (await currentCue(page).boundingBox())!;
    expect(line.y).toBeGreaterThanOrEqual(box.y - 1);
    expect(line.y + line.height).toBeLessThanOrEqual(box.y + box.height + 1);
    await expect(page.getByRole("navigation", { name: "Chapters" }).locator('button[aria-current="true"]')).toHaveCount(1);
  });

  test("the transcript stops following playback for a few seconds after the reader scrolls it", async ({ page }) => {
    await openLesson(page);
    await chapter(page, "Introduction").click();
    const list = page.getByRole("list", { name: "Transcript lines" });
    await list.hover();
    await page.mouse.wheel(0, 40);
    await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    const scrolled = await list.evaluate((el) => el.scrollTop);
    await advance(page, 1400);
    await expect(currentCue(page)).toContainText("Some suggestions");
    await page.waitForTimeout(500);
    expect(await list.evaluate((el) => el.scrollTop)).toBe(scrolled);
  });

  test("?t= deep links start the video at that time", async ({ page }) => {
    let state = await openLesson(page, `${LESSON_1}?t=9m5s`);
    expect(state.playerVars.start).toBe(545);
    await expect.poll(() => lastSeek(page)).toBe(545);
    await expect(currentChapter(page)).toHaveText(/Intuition/);
    await expect(currentCue(page)).toContainText("An intuition for gradient descent");
    state = await openLesson(page, `${LESSON_1}?t=1:23`);
    expect(state.playerVars.start).toBe(83);
    await expect.poll(() => lastSeek(page)).toBe(83);
    await expect(currentChapter(page)).toHaveText(/Teaching/);
    // Not a time: ignored, the lesson starts at the beginning.
    state = await openLesson(page, `${LESSON_1}?t=soon`);
    expect(state.playerVars.start).toBe(0);
    expect(state.seeks).toEqual([]);
  });

  test("VideoTime links in the lesson text seek the player", async ({ page }) => {
    await openLesson(page);
    const link = page.locator(".lesson-body, article").getByRole("link", { name: "4:40", exact: true });
    await expect(link).toHaveAttribute("href", "/lessons/lesson-1?t=4m40s");
    await link.click();
    expect(await lastSeek(page)).toBe(280);
    // No navigation, but the address now says where the video is, ready to share.
    await expect(page).toHaveURL(`${LESSON_1}?t=4m40s`);
    await expect(currentChapter(page)).toHaveText(/The New Electricity/);
  });

  test("the transcript search filters and highlights matches and works from the keyboard", async ({ page }) => {
    await openLesson(page);
    const search = page.getByRole("searchbox", { name: "Search the transcript" });
    await search.fill("GRADIENT");
    const lines = page.getByRole("list", { name: "Transcript lines" }).getByRole("button");
    await expect(lines).toHaveCount(2);
    await expect(page.getByRole("list", { name: "Transcript lines" }).locator("mark")).toHaveText(["gradient", "gradient"]);
    await expect(page.getByTestId("transcript-count")).toHaveText(/2 lines match/);
    await search.press("ArrowDown");
    await expect(lines.first()).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(lines.nth(1)).toBeFocused();
    await page.keyboard.press("Enter");
    expect(await lastSeek(page)).toBe(900);
    await search.fill("no such words here");
    await expect(lines).toHaveCount(0);
    await expect(page.getByText("No line matches.")).toBeVisible();
    await search.fill("");
    await expect(lines).toHaveCount(SYNTHETIC_CUES.length);
  });

  test("previous/next links and the [ ] shortcuts move between lessons, but not while typing", async ({ page }) => {
    await openLesson(page);
    const nav = page.getByRole("navigation", { name: "Previous and next lesson" });
    await expect(nav.getByRole("link")).toHaveCount(1);
    await expect(nav.getByRole("link", { name: /Previous.*Lesson 0/ })).toHaveAttribute("href", "/lessons/lesson-0-setup");
    await page.getByRole("searchbox", { name: "Search the transcript" }).fill("[");
    await page.getByRole("searchbox", { name: "Search the transcript" }).press("[");
    await expect(page).toHaveURL(LESSON_1);
    await page.locator("h1").click();
    await page.keyboard.press("[");
    await expect(page).toHaveURL("/lessons/lesson-0-setup");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Lesson 0");
    // A client-side navigation: the API script stays loaded once; Lesson 0 has no video, so the old player is
    // destroyed and none replaces it until Lesson 1 again.
    const players = () =>
      page.evaluate(() => {
        const stub = (window as unknown as { __ytStub: { players: { state: { destroyed: boolean } }[]; loads: number } }).__ytStub;
        return { created: stub.players.length, live: stub.players.filter((p) => !p.state.destroyed).length, loads: stub.loads };
      });
    await expect.poll(players).toEqual({ created: 1, live: 0, loads: 1 });
    await page.keyboard.press("]");
    await expect(page).toHaveURL(LESSON_1);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Lesson 1");
    await expect.poll(players).toEqual({ created: 2, live: 1, loads: 1 });
    await nav.getByRole("link", { name: /Previous/ }).click();
    await expect(page).toHaveURL("/lessons/lesson-0-setup");
  });

  test("works on a phone-sized screen: player full width, chapters and transcript below", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openLesson(page);
    const video = (await page.getByTestId("player").boundingBox())!;
    const chapters = (await page.getByRole("navigation", { name: "Chapters" }).boundingBox())!;
    expect(video.width).toBeGreaterThan(390 - 48);
    expect(chapters.y).toBeGreaterThan(video.y + video.height - 1);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > 391 && !e.closest("pre")).map((e) => `${e.tagName}.${e.className}`).slice(0, 5),
    );
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await chapter(page, "Intuition").click();
    expect(await lastSeek(page)).toBe(540);
  });
});

test.describe("transcript-only page and captions", () => {
  test.use({ javaScriptEnabled: false });

  test("the transcript page is server-rendered with timestamps linking into the video", async ({ page }) => {
    const response = await page.goto(`${LESSON_1}/transcript`);
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle(/Transcript of lesson 1: Recognizing cats and dogs/);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /Full transcript of lesson 1/);
    const lines = page.getByTestId("transcript-line");
    await expect(lines).toHaveCount(SYNTHETIC_CUES.length);
    await expect(lines.nth(3)).toContainText("How this course is taught");
    await expect(lines.nth(3).getByRole("link")).toHaveText("1:23");
    await expect(lines.nth(3).getByRole("link")).toHaveAttribute("href", "/lessons/lesson-1?t=1m23s");
    await expect(lines.nth(9).getByRole("link")).toHaveAttribute("href", "/lessons/lesson-1?t=22m58s");
    // Grouped under the lesson's chapters.
    await expect(page.getByRole("heading", { level: 2 })).toHaveText(["0:00 Introduction", "1:23 Teaching", "2:17 Paul Lockhart", "4:40 The New Electricity", "9:00 Intuition", "22:58 Suggestions"]);
  });

  test("captions.vtt is WebVTT with the transcript's cues", async ({ request }) => {
    const response = await request.get(`${LESSON_1}/captions.vtt`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^text\/vtt/);
    const text = await response.text();
    expect(text.startsWith("WEBVTT\n")).toBe(true);
    const blocks = text.trim().split(/\n\n+/).slice(1);
    expect(blocks).toHaveLength(SYNTHETIC_CUES.length);
    const seconds = (stamp: string) => stamp.split(":").reduce((acc, part) => acc * 60 + Number(part), 0);
    blocks.forEach((block, i) => {
      // A cue may start with an identifier line; the timing line follows.
      const lines = block.split("\n");
      if (!lines[0]?.includes("-->")) lines.shift();
      const [timing, ...textLines] = lines;
      const match = /^(\d{2}:\d{2}:\d{2}\.\d{3}) --> (\d{2}:\d{2}:\d{2}\.\d{3})$/.exec(timing ?? "");
      expect(match, `cue ${i + 1} timing line: ${timing}`).not.toBeNull();
      expect(seconds(match![1]!)).toBe(SYNTHETIC_CUES[i]!.start);
      expect(seconds(match![2]!)).toBe(SYNTHETIC_CUES[i]!.end);
      expect(textLines.join("\n")).toBe(SYNTHETIC_CUES[i]!.text);
    });
  });
});

test.describe("lesson notebooks", () => {
  test("the lesson's notebook link opens the notebook rendered, with a download and a way back", async ({ page }) => {
    await openLesson(page);
    await page.getByRole("link", { name: "the lesson notebook" }).click();
    await expect(page).toHaveURL(/\/notebooks\/lesson-1\.ipynb$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lesson 1: dogs or cats?");
    const notebook = page.getByRole("region", { name: "Notebook lesson-1.ipynb" });
    await expect(notebook.getByLabel("Code of cell 2")).toContainText("ImageFolder.load(dataDir)");
    await expect(notebook.locator("code.hljs .hljs-keyword").first()).toBeVisible();

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download lesson-1.ipynb" }).click()]);
    expect(download.suggestedFilename()).toBe("lesson-1.ipynb");
    const saved = JSON.parse(await import("node:fs/promises").then(async (fs) => fs.readFile((await download.path()), "utf8"))) as { nbformat: number; cells: unknown[] };
    expect(saved.nbformat).toBe(4);
    expect(saved.cells.length).toBeGreaterThan(5);

    await page.getByRole("link", { name: /Back to lesson 1/ }).click();
    await expect(page).toHaveURL(/\/lessons\/lesson-1$/);
  });

  test("unknown notebooks and paths outside notebooks/ answer 404", async ({ request }) => {
    for (const url of ["/notebooks/missing.ipynb", "/notebooks/..%2Fhomework%2Flesson-1.ipynb", "/api/notebooks/..%2Fhomework%2Flesson-1.yaml", "/api/notebooks/missing.ipynb"]) {
      expect((await request.get(url)).status(), url).toBe(404);
    }
  });
});

test.describe("progress", () => {
  test("anonymous visitors get the page without progress requests", async ({ page }) => {
    const progressCalls: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/trpc/progress")) progressCalls.push(r.url());
    });
    await openLesson(page);
    await chapter(page, "Teaching").click();
    await page.evaluate(() => (window as unknown as StubWindow).__ytStub.current()!.pauseVideo());
    await page.goto("/");
    expect(progressCalls).toEqual([]);
    await expect(page.getByTestId("lesson-progress")).toHaveCount(0);
    await page.getByRole("link", { name: "Lesson 1: Recognizing cats and dogs" }).click();
    await expect(page).toHaveURL(LESSON_1);
  });

  test("a signed-in student's visit and position are saved, shown on the course home and resumed", async ({ page }) => {
    const email = `lessons-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a long enough passphrase");
    await page.getByRole("button", { name: /sign up|create/i }).click();
    await expect(page).toHaveURL("/");
    await expect(page.getByTestId("lesson-progress")).toHaveCount(0);

    const opened = page.waitForResponse((r) => r.url().includes("/api/trpc/progress.open"));
    await openLesson(page);
    expect((await opened).status()).toBe(200);
    await page.goto("/");
    await expect(page.getByTestId("lesson-item").filter({ hasText: "Lesson 1:" }).getByTestId("lesson-progress")).toHaveText("Opened");

    await openLesson(page);
    await chapter(page, "Intuition").click();
    await advance(page, 20);
    const saved = page.waitForResponse((r) => r.url().includes("/api/trpc/progress.save"));
    await page.evaluate(() => (window as unknown as StubWindow).__ytStub.current()!.pauseVideo());
    expect((await saved).status()).toBe(200);

    await page.goto("/");
    await expect(page.getByTestId("lesson-item").filter({ hasText: "Lesson 1:" }).getByTestId("lesson-progress")).toHaveText("Resume at 9:20");

    const resumed = await openLesson(page);
    expect(resumed.playerVars.start).toBe(560);
    await expect(page.getByTestId("resume-note")).toContainText("Resuming at 9:20");
    await expect(currentChapter(page)).toHaveText(/Intuition/);
    // While playing, the position is saved about every 10 s (not on every poll).
    await chapter(page, "Suggestions").click();
    const started = Date.now();
    await advance(page, 30);
    const periodic = await page.waitForRequest((r) => r.url().includes("/api/trpc/progress.save"), { timeout: 15_000 });
    expect(Date.now() - started).toBeGreaterThan(8_000);
    expect(periodic.postDataJSON()).toEqual({ json: { slug: "lesson-1", positionSeconds: 1408 } });
    // Leaving the page saves the last position (a keepalive request on pagehide, which the browser sends while the
    // page unloads, so it is checked by its effect rather than watched).
    await advance(page, 10);
    await page.goto("/");
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByTestId("lesson-item").filter({ hasText: "Lesson 1:" }).getByTestId("lesson-progress").textContent();
      })
      .toBe("Resume at 23:38");

    // A deep link wins over the saved position.
    const linked = await openLesson(page, `${LESSON_1}?t=1m23s`);
    await expect(page.getByTestId("resume-note")).toHaveCount(0);
    expect(linked.playerVars.start).toBe(83);
  });
});
