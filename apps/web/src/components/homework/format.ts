/** Formatting shared by server and client homework components. */
export const formatLogLoss = (v: number) => v.toFixed(4);
export const formatAccuracy = (v: number) => `${(v * 100).toFixed(1)}%`;
export const formatBytes = (n: number) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : n >= 1000 ? `${(n / 1000).toFixed(1)} kB` : `${n} B`);
export const formatWhen = (d: Date | string) => `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC`;
