"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { Role } from "@course/db";
import { useTRPC } from "~/trpc/react";
import { HeaderUnreadBadge } from "./header-unread-badge";
import { NavLink } from "./nav-link";
import { SearchBox } from "./search/search-box";
import styles from "./nav.module.css";
import { SignOutButton } from "./sign-out-button";

const rank: Record<Role, number> = { student: 0, grader: 1, admin: 2 };

/**
 * The site header. It is the same HTML for every visitor, so that pages everyone sees can be cached whole: who is
 * signed in (name, role links, unread count) is asked for after load (`account.me`), and again after each navigation
 * (signing in or out moves to another page). Grader and admin links are only shortcuts: those pages check the role
 * on the server. On narrow screens the links fold into a Menu button.
 */
export function Nav() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const me = useQuery(trpc.account.me.queryOptions(undefined, { staleTime: 0 }));
  const user = me.data ?? null;
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  // A navigation closes the menu and asks again who is signed in (the first load asks already).
  const firstPath = useRef(pathname);
  useEffect(() => {
    setOpen(false);
    if (pathname === firstPath.current) return;
    firstPath.current = pathname;
    void queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.unreadCount.queryKey() });
  }, [pathname, queryClient, trpc]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const links: { href: Route; label: ReactNode }[] = [
    { href: "/", label: "Lessons" },
    { href: "/homework", label: "Homework" },
    { href: "/leaderboard", label: "Leaderboards" },
    { href: "/wiki", label: "Wiki" },
    { href: "/forum", label: "Forum" },
  ];
  if (user) {
    links.push({ href: "/notifications", label: <>Notifications <HeaderUnreadBadge /></> });
    links.push({ href: "/account", label: "Account" });
    if (rank[user.role] >= rank.grader) links.push({ href: "/grading", label: "Grading" });
    if (rank[user.role] >= rank.admin) links.push({ href: "/admin/users", label: "Admin" });
  }
  const close = () => setOpen(false);

  return (
    <header className={`site-header ${styles.header}`}>
      <div className={styles.inner}>
        <Link href="/" className={styles.brand} onClick={close}>
          <span className={styles.brandMark} aria-hidden="true">DL</span>
          <span className={styles.brandText}>Deep Learning for Coders</span>
        </Link>
        <button
          ref={toggle}
          type="button"
          className={`button secondary ${styles.toggle}`}
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? "Close menu" : "Menu"}
        </button>
        <div className={styles.panel} id={panelId} data-open={open} data-testid="header-panel">
          <nav className={styles.nav} aria-label="Main">
            {links.map((link) => (
              <NavLink key={link.href} href={link.href} onNavigate={close}>
                {link.label}
              </NavLink>
            ))}
          </nav>
          <div className={styles.search}>
            <SearchBox />
          </div>
          <div className={styles.user} data-testid="header-user" data-state={me.isPending ? "loading" : user ? "signed-in" : "anonymous"}>
            {me.isPending ? null : user ? (
              <>
                <span data-testid="signed-in-as" className={styles.name}>
                  {user.name ?? user.email}
                  {user.role !== "student" && <span className="badge" style={{ marginLeft: 6 }}>{user.role}</span>}
                </span>
                <SignOutButton />
              </>
            ) : (
              <>
                <Link href="/signin" onClick={close}>Sign in</Link>
                <Link href="/signup" className="button" onClick={close}>Sign up</Link>
              </>
            )}
          </div>
        </div>
      </div>
    </header>
  );
}
