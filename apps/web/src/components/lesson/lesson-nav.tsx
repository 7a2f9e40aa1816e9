"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import styles from "./lesson.module.css";

export interface NavTarget {
  href: `/lessons/${string}`;
  title: string;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null;
}

/** Previous/next lesson links; `[` and `]` follow them (not while typing, not with modifier keys). */
export function LessonNav({ prev, next }: { prev: NavTarget | null; next: NavTarget | null }) {
  const router = useRouter();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      const target = e.key === "[" ? prev : e.key === "]" ? next : null;
      if (!target) return;
      e.preventDefault();
      router.push(target.href);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [prev, next, router]);

  return (
    <nav className={styles.lessonNav} aria-label="Previous and next lesson">
      {prev ? (
        <Link href={prev.href} rel="prev" aria-keyshortcuts="[" className={styles.navPrev}>
          <span className={styles.small}>
            Previous <kbd>[</kbd>
          </span>
          <span>{prev.title}</span>
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link href={next.href} rel="next" aria-keyshortcuts="]" className={styles.navNext}>
          <span className={styles.small}>
            Next <kbd>]</kbd>
          </span>
          <span>{next.title}</span>
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
