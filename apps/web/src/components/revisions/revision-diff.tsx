import { foldUnchanged, sideOf, type DiffRow, type FoldedRows, type Segment, type TextDiff } from "@course/revisions";
import { Fragment, type ReactNode } from "react";
import styles from "./revisions.module.css";

export interface RevisionDiffProps {
  /** from `diffTexts` (@course/revisions) or `diffRevisions` (server/revisions) */
  diff: TextDiff;
  /** "inline": one column, changed words marked in place; "side-by-side": the old text left, the new right */
  view: "inline" | "side-by-side";
  /** names of the two texts, e.g. "Revision 3" and "Revision 5" */
  oldLabel?: string;
  newLabel?: string;
  /** unchanged lines kept around each change; longer unchanged runs fold into one row (null: show everything) */
  context?: number | null;
}

/**
 * A diff of two revisions, inline or side by side. Every text is a React text node (escaped), never HTML; additions
 * and removals are <ins> and <del>, so they are announced as such and survive copying without colours.
 */
export function RevisionDiff({ diff, view, oldLabel = "Old", newLabel = "New", context = 3 }: RevisionDiffProps) {
  const caption = `Changes from ${oldLabel} to ${newLabel}: ${diff.added} line${diff.added === 1 ? "" : "s"} added, ${diff.removed} removed`;
  if (diff.identical) return <p className={styles.empty}>No changes between {oldLabel} and {newLabel}.</p>;
  const rows = context === null ? diff.rows : foldUnchanged(diff.rows, context);
  return view === "inline" ? <InlineDiff rows={rows} caption={caption} /> : <SideBySideDiff rows={rows} caption={caption} oldLabel={oldLabel} newLabel={newLabel} />;
}

type Row = DiffRow | FoldedRows;

/** What both views share: the caption, the head, and a folded run of unchanged lines as one row; `line` draws the rest. */
function DiffTable({ view, rows, caption, head, line }: { view: RevisionDiffProps["view"]; rows: Row[]; caption: string; head?: ReactNode; line: (row: DiffRow) => ReactNode }) {
  return (
    <table className={styles.diff} data-view={view}>
      <caption>{caption}</caption>
      {head}
      <tbody>{rows.map((row, i) => (row.kind === "folded" ? <Folded key={i} row={row} colSpan={4} /> : <Fragment key={i}>{line(row)}</Fragment>))}</tbody>
    </table>
  );
}

function InlineDiff({ rows, caption }: { rows: Row[]; caption: string }) {
  const line = (row: DiffRow) => {
    switch (row.kind) {
      case "same":
        return <Line oldNumber={row.oldNumber} newNumber={row.newNumber} marker=" " text={row.text} />;
      case "removed":
        return <Line kind="removed" oldNumber={row.oldNumber} marker="-" text={<del>{row.text}</del>} />;
      case "added":
        return <Line kind="added" newNumber={row.newNumber} marker="+" text={<ins>{row.text}</ins>} />;
      case "changed":
        return <Line kind="changed" oldNumber={row.oldNumber} newNumber={row.newNumber} marker="~" text={<Segments segments={row.segments} />} />;
    }
  };
  return <DiffTable view="inline" rows={rows} caption={caption} line={line} />;
}

function SideBySideDiff({ rows, caption, oldLabel, newLabel }: { rows: Row[]; caption: string; oldLabel: string; newLabel: string }) {
  const head = (
    <thead>
      <tr>
        <th scope="col" colSpan={2}>{oldLabel}</th>
        <th scope="col" colSpan={2}>{newLabel}</th>
      </tr>
    </thead>
  );
  const line = (row: DiffRow) => {
    switch (row.kind) {
      case "same":
        return <Sides old={{ number: row.oldNumber, text: row.text }} new={{ number: row.newNumber, text: row.text }} />;
      case "removed":
        return <Sides old={{ number: row.oldNumber, text: <del>{row.text}</del>, className: styles.removed }} />;
      case "added":
        return <Sides new={{ number: row.newNumber, text: <ins>{row.text}</ins>, className: styles.added }} />;
      case "changed":
        return (
          <Sides
            old={{ number: row.oldNumber, text: <Segments segments={sideOf(row.segments, "old")} />, className: styles.removed }}
            new={{ number: row.newNumber, text: <Segments segments={sideOf(row.segments, "new")} />, className: styles.added }}
          />
        );
    }
  };
  return <DiffTable view="side-by-side" rows={rows} caption={caption} head={head} line={line} />;
}

interface Side {
  number: number;
  text: ReactNode;
  className?: string;
}

/** One side-by-side row: each side's line number and text, or two empty cells where that side has no line. */
function Sides({ old, new: next }: { old?: Side; new?: Side }) {
  const cells = (side: Side | undefined) => [
    <td key="n" className={styles.number}>{side?.number}</td>,
    side ? <td key="t" className={side.className}>{side.text}</td> : <td key="t" />,
  ];
  return (
    <tr>
      {cells(old)}
      {cells(next)}
    </tr>
  );
}

function Line({ kind, oldNumber, newNumber, marker, text }: { kind?: "added" | "removed" | "changed"; oldNumber?: number; newNumber?: number; marker: string; text: ReactNode }) {
  return (
    <tr className={kind ? styles[kind] : undefined}>
      <td className={styles.number}>{oldNumber}</td>
      <td className={styles.number}>{newNumber}</td>
      <td className={styles.marker} aria-hidden="true">{marker}</td>
      <td>{text}</td>
    </tr>
  );
}

function Folded({ row, colSpan }: { row: FoldedRows; colSpan: number }) {
  return (
    <tr className={styles.folded}>
      <td colSpan={colSpan}>
        {row.count} unchanged line{row.count === 1 ? "" : "s"} ({row.oldNumber}–{row.oldNumber + row.count - 1})
      </td>
    </tr>
  );
}

function Segments({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((segment, i) =>
        segment.kind === "added" ? <ins key={i}>{segment.text}</ins> : segment.kind === "removed" ? <del key={i}>{segment.text}</del> : <span key={i}>{segment.text}</span>,
      )}
    </>
  );
}
