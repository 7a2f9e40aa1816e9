/** `?t=` value for a deep link: whole seconds as `1m23s` / `1h2m3s` (readable, and what parseTimeParam reads). */
export function timeParam(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}

/**
 * Puts `?t=` for `seconds` in the address bar without navigating or adding a history entry, so copying the address
 * shares this moment of the lesson (browser only).
 */
export function showTimeInAddress(seconds: number): void {
  const url = new URL(window.location.href);
  url.searchParams.set("t", timeParam(seconds));
  window.history.replaceState(null, "", url);
}

/** The lesson page URL starting at `seconds`. */
export function lessonTimeHref(slug: string, seconds: number): `/lessons/${string}` {
  return `/lessons/${slug}?t=${timeParam(seconds)}`;
}

/** Index of the item whose start is the last one at or before `time` (items sorted by start); -1 before the first. */
export function indexAt(items: readonly { start: number }[], time: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid]?.start ?? Infinity) <= time + 1e-6) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
