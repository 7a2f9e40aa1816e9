// Run in the page (page.evaluate): what makes a page scroll sideways at a given width.

/** Elements past the right edge that no clipping or scrolling ancestor of their own holds (outermost ones only). */
export function overflowing(width: number): string[] {
  const describe = (e: Element) => {
    const id = e.id ? `#${e.id}` : "";
    const cls = typeof e.className === "string" && e.className ? `.${e.className.trim().split(/\s+/).join(".")}` : "";
    const testId = e.getAttribute("data-testid") ? `[data-testid=${e.getAttribute("data-testid")}]` : "";
    const text = (e.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `${e.tagName.toLowerCase()}${id}${cls}${testId} right=${Math.round(e.getBoundingClientRect().right)} "${text}"`;
  };
  const offenders: Element[] = [];
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if ((rect.width === 0 && rect.height === 0) || rect.right <= width + 0.5) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    let held = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") {
        held = a.getBoundingClientRect().right <= width + 0.5;
        break;
      }
    }
    if (!held) offenders.push(el);
  }
  return offenders.filter((e) => !offenders.includes(e.parentElement!)).slice(0, 5).map(describe);
}
