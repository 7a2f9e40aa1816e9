import type { Role } from "@course/db";

export const ROLES = ["student", "grader", "admin"] as const satisfies readonly Role[];

export const RANK: Record<Role, number> = { student: 0, grader: 1, admin: 2 };

/** Roles are ordered: an admin can do what a grader can, a grader what a student can. */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}
