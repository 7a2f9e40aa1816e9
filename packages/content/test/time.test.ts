import { describe, expect, it } from "vitest";
import { formatTime, formatTimestamp, parseClock, parseCueTimestamp, parseTimeParam } from "../src/index";

describe("formatTime", () => {
  it("formats m:ss and h:mm:ss", () => {
    expect(formatTime(83)).toBe("1:23");
    expect(formatTime(0)).toBe("0:00");
    expect(formatTime(540)).toBe("9:00");
    expect(formatTime(3723)).toBe("1:02:03");
    expect(formatTime(59.99)).toBe("0:59");
  });
  it("rejects negative and non-finite times", () => {
    expect(() => formatTime(-1)).toThrow(RangeError);
    expect(() => formatTime(Number.NaN)).toThrow(RangeError);
  });
});

describe("formatTimestamp", () => {
  it("writes WebVTT and SRT timestamps", () => {
    expect(formatTimestamp(14.64)).toBe("00:00:14.640");
    expect(formatTimestamp(3723.5, ",")).toBe("01:02:03,500");
    expect(formatTimestamp(0.0005)).toBe("00:00:00.001");
  });
});

describe("parseTimeParam", () => {
  it.each([
    ["83", 83],
    ["83s", 83],
    ["1m23s", 83],
    ["1m", 60],
    ["1h2m3s", 3723],
    ["1h", 3600],
    ["1:23", 83],
    ["1:02:03", 3723],
    [" 1M23S ", 83],
    ["12.5", 12.5],
  ])("parses %j as %d", (value, seconds) => {
    expect(parseTimeParam(value)).toBe(seconds);
  });
  it.each(["", "abc", "1:75", "1m-2s", "h", "1:2:3:4", "-5", "1s2m"])("returns null for %j", (value) => {
    expect(parseTimeParam(value)).toBeNull();
  });
  it("returns null for a missing parameter", () => {
    expect(parseTimeParam(null)).toBeNull();
    expect(parseTimeParam(undefined)).toBeNull();
  });
});

describe("parseClock and parseCueTimestamp", () => {
  it("accepts unpadded seconds and h:mm:ss", () => {
    expect(parseClock("9:0")).toEqual({ ok: true, seconds: 540 });
    expect(parseClock("0:0")).toEqual({ ok: true, seconds: 0 });
    expect(parseClock("1:02:03")).toEqual({ ok: true, seconds: 3723 });
  });
  it("explains what is wrong", () => {
    expect(parseClock("1:60")).toMatchObject({ ok: false, reason: expect.stringContaining("seconds must be 0-59") });
    expect(parseClock("1:60:00")).toMatchObject({ ok: false, reason: expect.stringContaining("minutes must be 0-59") });
    expect(parseClock("x")).toMatchObject({ ok: false });
  });
  it("parses cue timestamps with and without hours", () => {
    expect(parseCueTimestamp("00:00:14.640", ".")).toEqual({ ok: true, seconds: 14.64 });
    expect(parseCueTimestamp("01:14.640", ".")).toEqual({ ok: true, seconds: 74.64 });
    expect(parseCueTimestamp("00:00:14,640", ",")).toEqual({ ok: true, seconds: 14.64 });
    expect(parseCueTimestamp("00:00:14,640", ".").ok).toBe(false);
    expect(parseCueTimestamp("00:61:14.640", ".")).toMatchObject({ ok: false, reason: expect.stringContaining("minutes") });
    expect(parseCueTimestamp("00:00:14.64", ".").ok).toBe(false);
  });
});
