import { request } from "@playwright/test";
import { PASSWORD, SEEDED } from "./accounts";
import { apiSignIn, trpcMutation } from "./http-session";

/**
 * Gives a member a forum trust level as the seeded admin would on /admin/users/<id> (forumModeration.setTrustLevel),
 * for specs whose members must do what new members may not yet (edit wiki posts, flag). Level and lock as given.
 */
export async function setTrustLevel(baseUrl: string, email: string, level: number, locked = false): Promise<void> {
  const api = await request.newContext({ baseURL: baseUrl });
  try {
    const signedIn = await apiSignIn(api, SEEDED.admin.email, PASSWORD);
    if (signedIn.includes("error=")) throw new Error(`the admin could not sign in: ${signedIn}`);
    const users = await api.get(`/api/trpc/admin.users?input=${encodeURIComponent(JSON.stringify({ json: { search: email } }))}`);
    const list = ((await users.json()) as { result: { data: { json: { id: string; email: string }[] } } }).result.data.json;
    const user = list.find((u) => u.email === email.toLowerCase());
    if (!user) throw new Error(`no account ${email}`);
    const res = await trpcMutation(api, "forumModeration.setTrustLevel", { userId: user.id, level, locked, reason: "browser test" });
    if (!res.ok()) throw new Error(`setTrustLevel answered ${res.status()}: ${await res.text()}`);
  } finally {
    await api.dispose();
  }
}
