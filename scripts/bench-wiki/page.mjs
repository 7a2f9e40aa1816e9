// The benchmark's wiki page, written once as a structure and emitted as our markdown and as MediaWiki wikitext, so
// both wikis serve the same page: headings, paragraphs with bold, italics and inline code, nested lists, code blocks,
// tables, and 50 links, 10 of them to pages that do not exist (red).

const WORDS = (
  "the learning rate finder trains a few batches with a growing rate and plots the loss so that you can pick a rate " +
  "where the loss still falls steeply fine tuning unfreezes the backbone after the head has trained and uses " +
  "discriminative rates smaller for early layers data augmentation flips crops and warps images so the model sees " +
  "more variety the validation set tells you whether the model generalises or memorises"
).split(" ");

/** Deterministic filler text (a linear congruential generator, so every run writes the same page). */
function words(seed, n) {
  let x = seed * 2654435761 % 4294967296;
  const out = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1664525 + 1013904223) % 4294967296;
    out.push(WORDS[x % WORDS.length]);
  }
  const s = out.join(" ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const LINKS = 50;
export const RED_LINKS = 10;
/** Pages the benchmark creates first so that 40 of the links are blue. */
export const TOPICS = Array.from({ length: LINKS - RED_LINKS }, (_, i) => `Topic ${i + 1}`);
export const TITLE = "Bench page";

function linkTarget(i) {
  // every fifth link is red
  return i % 5 === 4 ? `Missing page ${Math.floor(i / 5) + 1}` : TOPICS[i - Math.floor(i / 5)];
}

/** The page as blocks; `filler` sets the length of the paragraphs (the caller grows it to reach the size). */
function blocks(filler) {
  const out = [];
  let link = 0;
  const nextLink = (label) => ({ link: linkTarget(link++), label });
  for (let s = 1; s <= 10; s++) {
    out.push({ h: 2, text: `Section ${s}: ${words(s, 3)}` });
    out.push({ p: [words(s * 7, filler), " See ", nextLink(), " and ", { bold: words(s * 11, 3) }, " with ", { italic: words(s * 13, 2) }, ", then ", { code: `learn.fit_one_cycle(${s}, 3e-3)` }, ". ", words(s * 17, filler)] });
    out.push({ h: 3, text: `Notes on part ${s}` });
    out.push({ ul: [[words(s * 19, 8), " ", nextLink()], [words(s * 23, 10)], [{ bold: "Tip:" }, " ", words(s * 29, 9), " ", nextLink(`the ${words(s * 31, 2).toLowerCase()} page`)]] });
    out.push({ ol: [[words(s * 37, 7)], [words(s * 41, 7), " ", nextLink()], [words(s * 43, 6)]] });
    out.push({ code: "python", lines: [`# step ${s}`, `dls = ImageDataLoaders.from_folder(path, valid_pct=0.2, seed=${s})`, "learn = vision_learner(dls, resnet34, metrics=error_rate)", `learn.lr_find()`, `learn.fine_tune(${s + 1})`] });
    out.push({ table: { head: ["Epoch", "Train loss", "Valid loss", "Error rate"], rows: Array.from({ length: 4 }, (_, e) => [String(e), (0.9 / (e + s)).toFixed(4), (0.7 / (e + s)).toFixed(4), (0.1 / (e + 1)).toFixed(4)]) } });
    out.push({ p: [words(s * 47, filler), " More in ", nextLink(), "."] });
  }
  if (link !== LINKS) throw new Error(`the page has ${link} links, not ${LINKS}`);
  return out;
}

function inline(segments, dialect) {
  return segments
    .map((seg) => {
      if (typeof seg === "string") return seg;
      if (seg.link) return seg.label ? `[[${seg.link}|${seg.label}]]` : `[[${seg.link}]]`;
      if (seg.bold) return dialect === "md" ? `**${seg.bold}**` : `'''${seg.bold}'''`;
      if (seg.italic) return dialect === "md" ? `*${seg.italic}*` : `''${seg.italic}''`;
      if (seg.code) return dialect === "md" ? `\`${seg.code}\`` : `<code>${seg.code}</code>`;
      throw new Error(`unknown segment ${JSON.stringify(seg)}`);
    })
    .join("");
}

function emit(list, dialect) {
  const md = dialect === "md";
  const out = [];
  for (const b of list) {
    if (b.h) out.push(md ? `${"#".repeat(b.h)} ${b.text}` : `${"=".repeat(b.h)} ${b.text} ${"=".repeat(b.h)}`);
    else if (b.p) out.push(inline(b.p, dialect));
    else if (b.ul) out.push(b.ul.map((item) => `${md ? "-" : "*"} ${inline(item, dialect)}`).join("\n"));
    else if (b.ol) out.push(b.ol.map((item, i) => `${md ? `${i + 1}.` : "#"} ${inline(item, dialect)}`).join("\n"));
    else if (b.code) out.push(md ? ["```" + b.code, ...b.lines, "```"].join("\n") : [`<pre>`, ...b.lines, `</pre>`].join("\n"));
    else if (b.table) {
      const { head, rows } = b.table;
      out.push(
        md
          ? [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n")
          : ['{| class="wikitable"', `! ${head.join(" !! ")}`, ...rows.flatMap((r) => ["|-", `| ${r.join(" || ")}`]), "|}"].join("\n"),
      );
    }
  }
  return `${out.join("\n\n")}\n`;
}

/** The page in both dialects, about `bytes` long as markdown. */
export function benchPage(bytes = 30 * 1024) {
  let filler = 10;
  while (emit(blocks(filler + 1), "md").length <= bytes) filler++;
  const list = blocks(filler);
  return { title: TITLE, markdown: emit(list, "md"), wikitext: emit(list, "wiki") };
}

/** The same page with one sentence of section `section` changed (the benchmark's edits). */
export function editSection(markdown, section, note) {
  const marker = `## Section ${section}:`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`no section ${section}`);
  const end = markdown.indexOf("\n", at);
  return `${markdown.slice(0, end)} (${note})${markdown.slice(end)}`;
}
