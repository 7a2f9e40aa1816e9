import { describe, expect, it } from "vitest";
import { runnerCommand } from "~/app/admin/runners/runner-command";
import { between, bytes, duration, relativeTime, timestamp } from "~/components/admin/format";

describe("operator page formatting", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it("says how long ago a heartbeat was, against the server's clock", () => {
    expect(relativeTime(null, now)).toBe("never");
    expect(relativeTime(ago(2_000), now)).toBe("just now");
    expect(relativeTime(ago(42_000), now)).toBe("42 s ago");
    expect(relativeTime(ago(3 * 60_000 + 5_000), now)).toBe("3 min ago");
    expect(relativeTime(ago(5 * 3_600_000), now)).toBe("5 h ago");
    expect(relativeTime(ago(-90_000), now)).toBe("in 1 min");
  });

  it("formats durations, sizes and timestamps", () => {
    expect(duration(null)).toBe("—");
    expect(duration(250)).toBe("250 ms");
    expect(duration(4_200)).toBe("4.20 s");
    expect(duration(125_000)).toBe("2 min 5 s");
    expect(between(ago(1_500), now)).toBe(1_500);
    expect(between(null, now)).toBeNull();
    expect(bytes(779)).toBe("779 B");
    expect(bytes(128 * 2 ** 30)).toBe("128 GiB");
    expect(bytes(1536)).toBe("1.5 KiB");
    expect(timestamp(now)).toBe("2026-01-01 12:00:00 UTC");
  });

  it("builds the runner command, quoting only what the shell would misread", () => {
    expect(runnerCommand("crt_abc-DEF_123", "https://course.example.org")).toBe(
      "RUNNER_TOKEN=crt_abc-DEF_123 course-runner work --server https://course.example.org --benchmarks-dir <dir>",
    );
    expect(runnerCommand("crt_x", "http://host/it's here")).toContain(`--server 'http://host/it'\\''s here'`);
  });
});
