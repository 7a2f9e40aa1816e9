import type { PublicUser } from "./users";

export const logFirstAdminLine = (user: PublicUser) =>
  console.log(`[auth] ${user.email} is the first account on this install and is now admin.`);
