// Runs once when the server starts: validate the environment, open and migrate the database, and say what
// a first visitor needs to know. A bad variable stops the server here with every problem named.
export async function register() {
  // eslint-disable-next-line no-restricted-syntax -- Next.js sets NEXT_RUNTIME and inlines it per bundle; it is no setting of ours
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./server/startup");
  await startServer();
}
