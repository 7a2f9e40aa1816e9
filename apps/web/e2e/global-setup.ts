import fs from "node:fs";
import { makeSeededTemplate, startSite } from "./support/site";
import { ensureLesson1Transcript, temporaryContentCopy } from "./support/youtube-stub-content";

/**
 * One site for all specs, seeded with an admin and a grader (e2e/support/accounts.ts). Specs create their own
 * students with unique emails. E2E_SERVER_LOG is the site's log.
 */
export default async function globalSetup() {
  // A copy of content/ with a synthetic lesson-1 transcript (our own words; the seed's prose never enters the
  // repository), and a stand-in for the YouTube API script, since the tests' network is closed. Workers inherit these.
  const contentCopy = process.env.COURSE_CONTENT_DIR ? undefined : temporaryContentCopy();
  process.env.COURSE_CONTENT_DIR ??= contentCopy;
  ensureLesson1Transcript(process.env.COURSE_CONTENT_DIR);
  process.env.YOUTUBE_IFRAME_API_URL ??= "https://youtube-stub.test/iframe_api.js";

  const removeTemplate = makeSeededTemplate();
  const site = await startSite({ port: Number(process.env.E2E_PORT ?? 3210), seed: true });
  process.env.E2E_SERVER_LOG = site.logFile;
  return async () => {
    await site.stop();
    removeTemplate();
    if (contentCopy) fs.rmSync(contentCopy, { recursive: true, force: true });
  };
}
