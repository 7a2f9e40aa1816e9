import { SCORE_DECIMALS } from "~/server/homework/scores";

/**
 * Every formatter the pages, components and server messages use, in one place, on server and browser alike.
 * Dates are UTC and relative times count from a `now` the server sent with the data, so a server render and the
 * browser's hydration print the same text whatever the visitor's time zone. Sizes are IEC (KiB, MiB: powers of
 * 1024, as the limits are set). Scores show the five decimals they are stored with; shares, two.
 */

const MISSING = "—";

/** `2026-11-22 14:05 UTC` (`"second"`: `14:05:09`, for comparing with logs; `"day"`: `2026-11-22`). */
export function formatUtc(date: Date | string | null | undefined, precision: "day" | "minute" | "second" = "minute"): string {
  if (date === null || date === undefined) return MISSING;
  const iso = new Date(date).toISOString();
  if (precision === "day") return iso.slice(0, 10);
  return `${iso.slice(0, precision === "second" ? 19 : 16).replace("T", " ")} UTC`;
}

/** The time of day alone, `14:05:09` (UTC): lines of one log. */
export const formatTimeOfDay = (date: Date) => date.toISOString().slice(11, 19);

/** `42 s ago`, `3 min ago`, `in 1 h`, `just now`, `never`: against the server's `now`. */
export function formatRelative(date: Date | null | undefined, now: Date): string {
  if (!date) return "never";
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (Math.abs(seconds) < 5) return "just now";
  const text = formatDuration(Math.abs(seconds) * 1000, { coarse: true });
  return seconds < 0 ? `in ${text}` : `${text} ago`;
}

/**
 * `250 ms`, `4.20 s`, `2 min 5 s`, `3 h 5 min`, `2 d 4 h`; `—` when unknown. `coarse`: whole units and only the
 * largest (`42 s`, `3 min`, `5 h`, `2 d`).
 */
export function formatDuration(ms: number | null | undefined, { coarse = false } = {}): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  const s = ms / 1000;
  if (!coarse && ms < 1000) return `${Math.round(ms)} ms`;
  if (s < 60) return coarse ? `${Math.floor(s)} s` : `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const parts = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    coarse || small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
  const m = Math.floor(s / 60);
  if (m < 60) return parts(m, "min", Math.round(s % 60), "s");
  const h = Math.floor(m / 60);
  if (h < 24) return parts(h, "h", m % 60, "min");
  return parts(Math.floor(h / 24), "d", h % 24, "h");
}

/** Milliseconds from `start` to `end`; null unless both are known. */
export function durationBetween(start: Date | null | undefined, end: Date | null | undefined): number | null {
  return start && end ? end.getTime() - start.getTime() : null;
}

const SIZE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

/** `779 B`, `1.5 KiB`, `100 KiB`, `100.2 KiB`, `5 MiB`: whole units as they are, anything else to one decimal. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return MISSING;
  let v = n;
  let u = 0;
  while (v >= 1024 && u < SIZE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(u > 0 ? 1 : 0)} ${SIZE_UNITS[u]}`;
}

/** A log loss (or any score) with the decimals it is stored with. */
export const formatLogLoss = (v: number) => v.toFixed(SCORE_DECIMALS);

/** A share (accuracy, progress) as a percentage: `97.25%`. */
export const formatPercent = (x: number) => `${(x * 100).toFixed(2)}%`;

/** A count with thousands separators, the same on server and browser: `12,345`. */
export const formatCount = (n: number) => n.toLocaleString("en-US");
