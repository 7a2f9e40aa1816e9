import type { Cell, Notebook } from "./schema";
import { CELL_ID_MINOR } from "./schema";

/** A random cell id like nbformat's `random_cell_id()`: 8 lowercase hex characters. */
export function randomCellId(): string {
  const bytes = new Uint8Array(4);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Gives every cell a unique valid id, as nbformat's normalize does: missing ids are generated,
 * duplicates after the first are replaced. Returns one message per changed cell.
 */
export function repairCellIds(cells: Cell[]): string[] {
  const seen = new Set<string>();
  const changes: string[] = [];
  cells.forEach((cell, index) => {
    if (cell.id !== undefined && !seen.has(cell.id)) {
      seen.add(cell.id);
      return;
    }
    let id = randomCellId();
    while (seen.has(id)) id = randomCellId();
    changes.push(
      cell.id === undefined
        ? `cells[${index}]: missing cell id, generated "${id}"`
        : `cells[${index}]: duplicate cell id "${cell.id}", replaced with "${id}"`,
    );
    cell.id = id;
    seen.add(id);
  });
  return changes;
}

/** Upgrades a 4.x notebook in place to nbformat 4.5 (adds cell ids). Returns what changed. */
export function upgradeToLatestMinor(nb: Notebook): string[] {
  if (nb.nbformat_minor >= CELL_ID_MINOR) return repairCellIds(nb.cells);
  const from = nb.nbformat_minor;
  nb.nbformat_minor = CELL_ID_MINOR;
  return [`upgraded nbformat 4.${from} to 4.${CELL_ID_MINOR}`, ...repairCellIds(nb.cells)];
}
