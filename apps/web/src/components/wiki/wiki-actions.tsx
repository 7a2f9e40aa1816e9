"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import styles from "./wiki.module.css";

/** Watch or unwatch a page. */
export function WatchButton({ title, watching }: { title: string; watching: boolean }) {
  const trpc = useTRPC();
  const [on, setOn] = useState(watching);
  const watch = useMutation(trpc.wiki.watch.mutationOptions());
  return (
    <button
      type="button"
      className={styles.inline}
      disabled={watch.isPending}
      onClick={() => watch.mutate({ title, watch: !on }, { onSuccess: (r) => setOn(r.watching) })}
    >
      {on ? "Unwatch" : "Watch"}
    </button>
  );
}

type Outcome = { status: string } | { title: string; key: string };

function useReload() {
  return (path?: string) => (path ? window.location.assign(path) : window.location.reload());
}

/** Revert the page to a revision, or undo one edit (three-way: later edits stay). A conflict is reported, not saved. */
export function RevisionButton({ title, revision, kind, path }: { title: string; revision: number; kind: "revert" | "undo"; path: string }) {
  const trpc = useTRPC();
  const reload = useReload();
  const [message, setMessage] = useState<string | null>(null);
  const revert = useMutation(trpc.wiki.revert.mutationOptions());
  const undo = useMutation(trpc.wiki.undo.mutationOptions());
  const m = kind === "revert" ? revert : undo;
  async function run() {
    const result = await m.mutateAsync({ title, revision }).catch((e: unknown) => {
      setMessage(e instanceof Error ? e.message : String(e));
      return null;
    });
    if (!result) return;
    if (result.status === "conflict") setMessage("Later edits changed the same lines, so this edit cannot be undone automatically: edit the page instead.");
    else if (result.status === "unchanged") setMessage("Nothing to change: the text is already like that.");
    else reload(`${path}?action=history`);
  }
  return (
    <>
      <button type="button" className={styles.inline} disabled={m.isPending} onClick={run}>
        {kind === "revert" ? "restore this version" : "undo"}
      </button>
      {message ? <span role="alert"> {message}</span> : null}
    </>
  );
}

/** Move, protect, delete or restore, with a reason; the server checks the role again. */
export function PageToolForm({
  title,
  tool,
  protection = "none",
}: {
  title: string;
  tool: "move" | "protect" | "delete" | "restore";
  protection?: string;
}) {
  const trpc = useTRPC();
  const reload = useReload();
  const [reason, setReason] = useState("");
  const [to, setTo] = useState(title);
  const [level, setLevel] = useState(protection);
  const move = useMutation(trpc.wiki.move.mutationOptions());
  const protect = useMutation(trpc.wiki.protect.mutationOptions());
  const remove = useMutation(trpc.wiki.delete.mutationOptions());
  const restore = useMutation(trpc.wiki.restore.mutationOptions());
  const m = { move, protect, delete: remove, restore }[tool];
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    let result: Outcome | null = null;
    const fail = () => null;
    if (tool === "move") result = await move.mutateAsync({ title, to, reason }).catch(fail);
    if (tool === "protect") result = await protect.mutateAsync({ title, level: level as "none" | "grader" | "admin", reason }).catch(fail);
    if (tool === "delete") result = await remove.mutateAsync({ title, reason }).catch(fail);
    if (tool === "restore") result = await restore.mutateAsync({ title, reason }).catch(fail);
    if (result && "key" in result) reload(`/wiki/${result.key.split("/").map(encodeURIComponent).join("/")}`);
  }
  const label = { move: "Move", protect: "Change protection", delete: "Delete", restore: "Restore" }[tool];
  return (
    <form onSubmit={submit} className={styles.actions} aria-label={label}>
      {tool === "move" ? (
        <label>
          New title <input value={to} onChange={(e) => setTo(e.target.value)} required maxLength={255} />
        </label>
      ) : null}
      {tool === "protect" ? (
        <label>
          Who may edit{" "}
          <select value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value="none">everyone signed in</option>
            <option value="grader">graders and admins</option>
            <option value="admin">admins only</option>
          </select>
        </label>
      ) : null}
      <label>
        Reason <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
      </label>
      <button type="submit" disabled={m.isPending}>
        {label}
      </button>
      {m.error ? (
        <span role="alert" className="alert error">
          {m.error.message}
        </span>
      ) : null}
    </form>
  );
}
