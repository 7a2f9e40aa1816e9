import { foldUnchanged, sideOf, type DiffRow, type FoldedRows, type Segment, type TextDiff } from "@course/revisions";
import type { ReactNode } from "react";
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

function InlineDiff({ rows, caption }: { rows: Row[]; caption: string }) {
  return (
    <table className={styles.diff} data-view="inline">
      <caption>{caption}</caption>
      <tbody>
        {rows.map((row, i) => {
          switch (row.kind) {
            case "folded":
              return <Folded key={i} row={row} colSpan={4} />;
            case "same":
              return <Line key={i} oldNumber={row.oldNumber} newNumber={row.newNumber} marker=" " text={row.text} />;
            case "removed":
              return <Line key={i} kind="removed" oldNumber={row.oldNumber} marker="-" text={<del>{row.text}</del>} />;
            case "added":
              return <Line key={i} kind="added" newNumber={row.newNumber} marker="+" text={<ins>{row.text}</ins>} />;
            case "changed":
              return <Line key={i} kind="changed" oldNumber={row.oldNumber} newNumber={row.newNumber} marker="~" text={<Segments segments={row.segments} />} />;
          }
        })}
      </tbody>
    </table>
  );
}

function SideBySideDiff({ rows, caption, oldLabel, newLabel }: { rows: Row[]; caption: string; oldLabel: string; newLabel: string }) {
  return (
    <table className={styles.diff} data-view="side-by-side">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" colSpan={2}>{oldLabel}</th>
          <th scope="col" colSpan={2}>{newLabel}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => {
          switch (row.kind) {
            case "folded":
              return <Folded key={i} row={row} colSpan={4} />;
            case "same":
              return (
                <tr key={i}>
                  <td className={styles.number}>{row.oldNumber}</td>
                  <td>{row.text}</td>
                  <td className={styles.number}>{row.newNumber}</td>
                  <td>{row.text}</td>
                </tr>
              );
            case "removed":
              return (
                <tr key={i}>
                  <td className={styles.number}>{row.oldNumber}</td>
                  <td className={styles.removed}><del>{row.text}</del></td>
                  <td className={styles.number} />
                  <td />
                </tr>
              );
            case "added":
              return (
                <tr key={i}>
                  <td className={styles.number} />
                  <td />
                  <td className={styles.number}>{row.newNumber}</td>
                  <td className={styles.added}><ins>{row.text}</ins></td>
                </tr>
              );
            case "changed":
              return (
                <tr key={i}>
                  <td className={styles.number}>{row.oldNumber}</td>
                  <td className={styles.removed}><Segments segments={sideOf(row.segments, "old")} /></td>
                  <td className={styles.number}>{row.newNumber}</td>
                  <td className={styles.added}><Segments segments={sideOf(row.segments, "new")} /></td>
                </tr>
              );
          }
        })}
      </tbody>
    </table>
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
