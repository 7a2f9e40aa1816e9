import Link from "next/link";
import type { Route } from "next";
import type { ReactNode } from "react";
import type { PublicUser } from "~/server/auth/users";
import { hasRole } from "~/server/auth/roles";
import { UnreadBadge } from "./homework/unread-badge";
import { NavLink } from "./nav-link";
import { SignOutButton } from "./sign-out-button";

/** Only pages that exist, and only those the visitor may open. */
export function Nav({ user }: { user: PublicUser | null }) {
  const links: { href: Route; label: ReactNode }[] = [
    { href: "/", label: "Lessons" },
    { href: "/homework", label: "Homework" },
    { href: "/leaderboard", label: "Leaderboards" },
  ];
  if (user) {
    links.push({
      href: "/notifications",
      label: (
        <>
          Notifications <UnreadBadge userId={user.id} />
        </>
      ),
    });
    links.push({ href: "/account", label: "Account" });
  }
  if (user && hasRole(user.role, "grader")) links.push({ href: "/grading", label: "Grading" });
  if (user && hasRole(user.role, "admin")) links.push({ href: "/admin/users", label: "Admin" });
  return (
    <header className="site-header">
      <div className="inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">DL</span>
          Deep Learning for Coders
        </Link>
        <nav className="nav" aria-label="Main">
          {links.map((link) => (
            <NavLink key={link.href} href={link.href}>
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="nav-user">
          {user ? (
            <>
              <span data-testid="signed-in-as">
                {user.name ?? user.email}
                {user.role !== "student" && <span className="badge" style={{ marginLeft: 6 }}>{user.role}</span>}
              </span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/signin">Sign in</Link>
              <Link href="/signup" className="button">Sign up</Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
