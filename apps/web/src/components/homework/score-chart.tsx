import { formatLogLoss, formatUtc } from "~/lib/format";
import styles from "./homework.module.css";

const W = 720;
const H = 240;
const PAD = { left: 56, right: 16, top: 16, bottom: 36 };

/**
 * The best public log loss over time as a server-rendered SVG step line, with a table for screen readers. Points
 * are at submission times, in the same format and time zone (UTC) as the leaderboard's "Submitted" column.
 */
export function ScoreChart({ points, until }: { points: { at: Date; logLoss: number }[]; until: Date }) {
  if (points.length === 0) return <p className="hint">No scores yet.</p>;
  const t0 = points[0]!.at.getTime();
  const t1 = Math.max(until.getTime(), points.at(-1)!.at.getTime(), t0 + 60_000);
  const max = Math.max(...points.map((p) => p.logLoss));
  const min = Math.min(...points.map((p) => p.logLoss));
  const span = max - min || Math.max(max, 0.1);
  const lo = Math.max(0, min - span * 0.1);
  const hi = max + span * 0.1;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + ((hi - v) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  let d = `M${x(t0).toFixed(1)},${y(points[0]!.logLoss).toFixed(1)}`;
  for (const p of points.slice(1)) d += ` H${x(p.at.getTime()).toFixed(1)} V${y(p.logLoss).toFixed(1)}`;
  d += ` H${x(t1).toFixed(1)}`;
  const ticks = [hi, (hi + lo) / 2, lo];
  return (
    <figure style={{ margin: 0 }}>
      <svg className={styles.chart} viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title" data-testid="score-chart">
        <title id="chart-title">Best public log loss over time (lower is better)</title>
        <line className={styles.axis} x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
        <line className={styles.axis} x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
        {ticks.map((v) => (
          <text key={v} x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
            {v.toFixed(3)}
          </text>
        ))}
        <text x={PAD.left} y={H - 12}>{formatUtc(new Date(t0))}</text>
        <text x={W - PAD.right} y={H - 12} textAnchor="end">
          {formatUtc(new Date(t1))}
        </text>
        <path className={styles.line} d={d} />
        {points.map((p) => (
          <circle key={p.at.toISOString()} className={styles.dot} cx={x(p.at.getTime())} cy={y(p.logLoss)} r={3}>
            <title>{`${formatUtc(p.at)}: ${formatLogLoss(p.logLoss)}`}</title>
          </circle>
        ))}
      </svg>
      <details>
        <summary>The chart as a table</summary>
        <table className={styles.table}>
          <caption className={styles.visuallyHidden}>Best public log loss over time</caption>
          <thead>
            <tr>
              <th scope="col">Submitted</th>
              <th scope="col" className={styles.num}>Best public log loss</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.at.toISOString()} data-testid="chart-point">
                <td>
                  <time dateTime={p.at.toISOString()}>{formatUtc(p.at)}</time>
                </td>
                <td className={styles.num}>{formatLogLoss(p.logLoss)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
