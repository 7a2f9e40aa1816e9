import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "~/server/auth/session";
import { AccountForms } from "./account-forms";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireUser("student", "/account");
  return (
    <div className="stack" style={{ maxWidth: 640 }}>
      <div>
        <h1>Your account</h1>
        <p className="lead">
          Signed in as <strong>{user.email}</strong> · role <span className="badge" data-testid="role">{user.role}</span>
        </p>
      </div>
      <p>
        <Link href="/account/bookmarks">My forum bookmarks</Link>
      </p>
      <AccountForms name={user.name ?? ""} email={user.email} />
    </div>
  );
}
