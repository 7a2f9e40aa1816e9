"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";

/** Per kind: shown on the site or not, and by email (kept for when the site sends mail). */
export function NotificationPreferences() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const prefs = useQuery(trpc.notifications.preferences.queryOptions());
  const set = useMutation(trpc.notifications.setPreference.mutationOptions());
  // What the visitor just clicked, shown until the server's answer replaces it. React state, not the query cache:
  // a controlled checkbox is put back unless its state changes within the click itself, and the cache tells its
  // observers only later.
  const [clicked, setClicked] = useState<Record<string, { inApp?: boolean; email?: boolean }>>({});
  async function change(kind: Parameters<typeof set.mutateAsync>[0]["kind"], channel: { inApp?: boolean; email?: boolean }) {
    setClicked((c) => ({ ...c, [kind]: { ...c[kind], ...channel } }));
    await set.mutateAsync({ kind, ...channel }).catch(() => undefined); // the error is shown above the table
    await refreshAfterWrite(queryClient, { queryKey: trpc.notifications.preferences.queryKey() });
    setClicked((c) => {
      const { [kind]: _done, ...rest } = c;
      return rest;
    });
  }
  if (!prefs.data) return prefs.isError ? <div className="alert error" role="alert">{prefs.error.message}</div> : <p className="hint">Loading…</p>;
  return (
    <section className="stack" aria-labelledby="notification-preferences">
      <h2 id="notification-preferences">What to tell you</h2>
      {set.error ? (
        <div className="alert error" role="alert">
          {set.error.message}
        </div>
      ) : null}
      <table data-testid="notification-preferences">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">On the site</th>
            <th scope="col">By email</th>
          </tr>
        </thead>
        <tbody>
          {prefs.data.map((saved) => ({ ...saved, ...clicked[saved.kind] })).map((p) => (
            <tr key={p.kind} data-kind={p.kind}>
              <td>
                <strong>{p.label}</strong>
                <br />
                <span className="hint">
                  {p.description}
                  {p.mandatory ? " Always shown on the site." : ""}
                </span>
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${p.label} on the site`}
                  checked={p.inApp}
                  disabled={p.mandatory || set.isPending}
                  onChange={(e) => void change(p.kind, { inApp: e.target.checked })}
                />
              </td>
              <td>
                <input type="checkbox" aria-label={`${p.label} by email`} checked={p.email} disabled={set.isPending} onChange={(e) => void change(p.kind, { email: e.target.checked })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Email is sent once this site has a mail server; your choice is kept until then.</p>
    </section>
  );
}
