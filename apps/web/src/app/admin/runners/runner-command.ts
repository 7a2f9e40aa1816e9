/** Shell-quotes a value only when it needs it (URLs and tokens normally do not). */
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The command an operator runs on a GPU machine to start a runner with a new token. */
export function runnerCommand(token: string, siteUrl: string) {
  return `RUNNER_TOKEN=${shellWord(token)} course-runner work --server ${shellWord(siteUrl)} --benchmarks-dir <dir>`;
}
