import { describe, expect, it } from "vitest";
import { runnerCommand } from "~/app/admin/runners/runner-command";
import { durationBetween, formatBytes, formatCount, formatDuration, formatLogLoss, formatPercent, formatRelative, formatTimeOfDay, formatUtc } from "~/lib/format";
import { storedHref, withQuery } from "~/lib/routes";

describe("formatting (src/lib/format.ts) and hrefs (src/lib/routes.ts)", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it("says how long ago a heartbeat was, against the server's clock", () => {
    expect(formatRelative(null, now)).toBe("never");
    expect(formatRelative(ago(2_000), now)).toBe("just now");
    expect(formatRelative(ago(42_000), now)).toBe("42 s ago");
    expect(formatRelative(ago(3 * 60_000 + 5_000), now)).toBe("3 min ago");
    expect(formatRelative(ago(5 * 3_600_000), now)).toBe("5 h ago");
    expect(formatRelative(ago(-90_000), now)).toBe("in 1 min");
  });

  it("formats durations, sizes and timestamps", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(4_200)).toBe("4.20 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(durationBetween(ago(1_500), now)).toBe(1_500);
    expect(durationBetween(null, now)).toBeNull();
    expect(formatBytes(779)).toBe("779 B");
    expect(formatBytes(128 * 2 ** 30)).toBe("128 GiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatUtc(now, "second")).toBe("2026-01-01 12:00:00 UTC");
    expect(formatUtc(now)).toBe("2026-01-01 12:00 UTC");
    expect(formatUtc("2026-01-01T12:00:00Z", "day")).toBe("2026-01-01");
    expect(formatUtc(null)).toBe("—");
    expect(formatTimeOfDay(now)).toBe("12:00:00");
  });

  it("uses one unit system for sizes (IEC), one style for durations, and the stored decimals for scores", () => {
    expect(formatBytes(100 * 1024)).toBe("100 KiB");
    expect(formatBytes(100 * 1024 + 200)).toBe("100.2 KiB");
    expect(formatBytes(5 * 2 ** 20)).toBe("5 MiB");
    expect(formatBytes(null)).toBe("—");
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
    expect(formatDuration(2 * 3_600_000)).toBe("2 h");
    expect(formatDuration(65 * 60_000)).toBe("1 h 5 min");
    expect(formatLogLoss(0.1234)).toBe("0.12340");
    expect(formatPercent(0.97)).toBe("97.00%");
    expect(formatCount(12345)).toBe("12,345");
  });

  it("builds hrefs the typed routes accept without casts", () => {
    expect(withQuery("/admin/jobs", { status: undefined, cursor: null })).toBe("/admin/jobs");
    expect(withQuery("/search", { q: "a b&c", page: 2 })).toBe("/search?q=a+b%26c&page=2");
    expect(storedHref("/lessons/lesson-1?t=280#x")).toEqual({ pathname: "/lessons/lesson-1", search: "?t=280", hash: "#x" });
    // A stored link can only lead to a page of this site.
    expect(storedHref("https://evil.example/phish")).toEqual({ pathname: "/phish", search: "", hash: "" });
  });

  it("builds the runner command, quoting only what the shell would misread", () => {
    expect(runnerCommand("crt_abc-DEF_123", "https://course.example.org")).toBe(
      "RUNNER_TOKEN=crt_abc-DEF_123 course-runner work --server https://course.example.org --benchmarks-dir <dir>",
    );
    expect(runnerCommand("crt_x", "http://host/it's here")).toContain(`--server 'http://host/it'\\''s here'`);
  });
});
