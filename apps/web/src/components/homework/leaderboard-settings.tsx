"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { formText } from "~/lib/form-text";

/** How the student appears on leaderboards: a display name, or Anonymous. */
export function LeaderboardSettings() {
  const trpc = useTRPC();
  const profile = useQuery(trpc.homework.profile.queryOptions());
  const save = useMutation(trpc.homework.updateProfile.mutationOptions());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (!profile.data) return null;
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await save.mutateAsync({ displayName: formText(form, "displayName"), anonymous: form.get("anonymous") === "on" });
      setMessage({ ok: true, text: "Saved." });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="lb-settings">
      <h2 id="lb-settings" style={{ marginTop: 0 }}>
        On the leaderboard
      </h2>
      {message ? (
        <div className={`alert ${message.ok ? "ok" : "error"}`} role="status">
          {message.text}
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="displayName">Display name</label>
        <input id="displayName" name="displayName" type="text" maxLength={60} defaultValue={profile.data.displayName ?? ""} placeholder={profile.data.accountName ?? ""} />
        <p className="hint">Empty: your account name is shown. Your email is never shown.</p>
      </div>
      <div className="field">
        <label>
          <input name="anonymous" type="checkbox" defaultChecked={profile.data.anonymous} /> Show me as “Anonymous”
        </label>
      </div>
      <button className="button" type="submit" disabled={save.isPending}>
        Save
      </button>
    </form>
  );
}
