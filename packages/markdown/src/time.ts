/** `4:40`, `1:02:03` -> seconds, or undefined when it is not a time (minutes and seconds under 60 after the first). */
export function parseClock(clock: string): number | undefined {
  const m = /^(\d{1,3})(?::([0-5]\d))(?::([0-5]\d))?$/.exec(clock);
  if (!m) return undefined;
  const [a, b, c] = [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  if (c === undefined) return a * 60 + b;
  return b < 60 ? a * 3600 + b * 60 + c : undefined;
}

/** Link to a lesson's player at a second; the lesson page reads `?t=` as seconds (or 1m2s). */
export function lessonTimeHref(slug: string, seconds: number): string {
  return `/lessons/${encodeURIComponent(slug)}?t=${seconds}`;
}
