import type { Metadata } from "next";
import Link from "next/link";
import { AdminNav } from "~/components/admin/admin-nav";
import { requireUser } from "~/server/auth/session";
import { listUsers } from "~/server/auth/users";
import { getDb } from "~/server/db";
import { RoleSelect } from "./role-select";
import { formatUtc } from "~/lib/format";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const me = await requireUser("admin", "/admin/users");
  const users = await listUsers((await getDb()).prisma);
  const now = new Date();
  return (
    <div className="stack">
      <AdminNav />
      <div>
        <h1>Users and roles</h1>
        <p className="lead">
          Students follow lessons and submit homework; graders also review submissions; admins also manage the site. The
          same change from a terminal: <code>npm run admin -- grant &lt;email&gt; &lt;role&gt;</code>. Open an account for its forum
          trust level, silence and suspension, flags and moderation history.
        </p>
      </div>
      <div className="card" style={{ overflowX: "auto" }}>
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Joined</th>
              <th scope="col">Role</th>
              <th scope="col">Forum</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td>
                  <Link href={`/admin/users/${user.id}`}>{user.email}</Link>
                </td>
                <td>{user.name ?? "—"}</td>
                <td>{formatUtc(user.createdAt, "day")}</td>
                <td>
                  <RoleSelect email={user.email} role={user.role} self={user.id === me.id} />
                </td>
                <td>
                  trust level {user.trustLevel}
                  {user.suspendedUntil && user.suspendedUntil > now ? " · suspended" : user.silencedUntil && user.silencedUntil > now ? " · silenced" : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
