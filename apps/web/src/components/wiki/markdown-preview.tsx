"use client";

import { useEffect, useState } from "react";
import styles from "./wiki.module.css";

/**
 * The live preview of a markdown editor (the wiki's page editor, the forum's composer): `render` sends the text to
 * the server, which renders it through the same pipeline and resolvers as a saved text, a moment after typing stops.
 */
export function useLivePreview(text: string, render: (body: string, done: (html: string) => void) => void, delayMs = 400): string | null {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => render(text, setHtml), delayMs);
    return () => clearTimeout(timer);
  }, [text, render, delayMs]);
  return html;
}

/** The preview box: the server's sanitized HTML, styled as the rendered text is. */
export function MarkdownPreview({ html, testId, className = "" }: { html: string | null; testId: string; className?: string }) {
  return <div className={`${styles.preview} ${styles.body} ${className}`} data-testid={testId} dangerouslySetInnerHTML={{ __html: html ?? "" }} />;
}
