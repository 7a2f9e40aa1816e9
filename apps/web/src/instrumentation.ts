// Runs once when the server starts: validate the environment, open and migrate the database, and say what
// a first visitor needs to know. A bad variable stops the server here with every problem named.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./server/startup");
  await startServer();
}
