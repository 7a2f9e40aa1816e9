/** Accounts the browser-test site is seeded with before it starts (see global-setup.ts). */
export const PASSWORD = "a sound passphrase";
export const SEEDED = {
  admin: { email: "e2e-admin@example.test", name: "Ada Admin", role: "admin" },
  grader: { email: "e2e-grader@example.test", name: "Grace Grader", role: "grader" },
} as const;
