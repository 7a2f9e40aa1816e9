"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./admin.module.css";

const LINKS: { href: Route; label: string }[] = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/runners", label: "Runners" },
  { href: "/admin/jobs", label: "Jobs" },
  { href: "/admin/email", label: "Email" },
  { href: "/admin/moderation-log", label: "Moderation log" },
  { href: "/forum/review", label: "Review queue" },
];

/** The admin pages' own navigation (users, runners, jobs, email, the moderation log, and the forum's review queue). */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav className={styles.subnav} aria-label="Admin">
      {LINKS.map((link) => (
        <Link key={link.href} href={link.href} aria-current={pathname === link.href || pathname.startsWith(`${link.href}/`) ? "page" : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
