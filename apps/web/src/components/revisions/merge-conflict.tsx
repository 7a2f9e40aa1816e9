import type { MergeRegion } from "@course/revisions";
import styles from "./revisions.module.css";

export interface MergeConflictProps {
  /** `regions` of a conflict from saveRevision / mergeTexts */
  regions: MergeRegion[];
  mineLabel?: string;
  theirsLabel?: string;
}

/**
 * Where a save conflicted: the lines both texts share, and for each overlap the author's lines beside the lines
 * saved meanwhile. The editor keeps the author's whole text; this only shows what to reconcile. Text nodes only.
 */
export function MergeConflict({ regions, mineLabel = "Your text", theirsLabel = "Saved meanwhile" }: MergeConflictProps) {
  return (
    <div className={styles.conflict} role="group" aria-label="Edit conflict">
      {regions.map((region, i) =>
        region.kind === "ok" ? (
          <pre key={i} className={styles.regionOk}>{region.lines.join("\n")}</pre>
        ) : (
          <div key={i} className={styles.regionConflict} data-conflict="">
            <section>
              <h4>{mineLabel}</h4>
              <pre>{region.mine.join("\n")}</pre>
            </section>
            <section>
              <h4>{theirsLabel}</h4>
              <pre>{region.theirs.join("\n")}</pre>
            </section>
          </div>
        ),
      )}
    </div>
  );
}
