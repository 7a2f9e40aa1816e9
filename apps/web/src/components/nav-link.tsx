"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

export function NavLink({ href, children, onNavigate }: { href: Route; children: ReactNode; onNavigate?: () => void }) {
  const pathname = usePathname();
  const current = href === "/" ? pathname === "/" || pathname.startsWith("/lessons") : pathname.startsWith(href);
  return (
    <Link href={href} aria-current={current ? "page" : undefined} onClick={onNavigate}>
      {children}
    </Link>
  );
}
