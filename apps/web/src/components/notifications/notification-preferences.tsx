"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { refreshAfterWrite } from "~/trpc/refresh";

/** Per kind: shown on the site or not, and by email; below, when emails go out (or that the site sends none). */
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
      <EmailDelivery />
    </section>
  );
}

const DELIVERIES = [
  { value: "immediate", label: "As each notification arrives" },
  { value: "daily", label: "One daily digest of what is still unread" },
  { value: "off", label: "Never" },
] as const;

/** When the "by email" kinds go out, or that the site sends no email at all. */
function EmailDelivery() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.notifications.emailSettings.queryOptions());
  const set = useMutation(trpc.notifications.setEmailDelivery.mutationOptions());
  const [clicked, setClicked] = useState<(typeof DELIVERIES)[number]["value"] | null>(null);
  if (!settings.data) return null;
  if (!settings.data.siteSends) {
    return (
      <p className="hint" data-testid="email-off">
        Email is off on this site (it has no mail server): notifications are shown here only. Your “by email” choices are kept for when it is turned on.
      </p>
    );
  }
  async function choose(delivery: (typeof DELIVERIES)[number]["value"]) {
    setClicked(delivery);
    await set.mutateAsync({ delivery }).catch(() => undefined);
    await refreshAfterWrite(queryClient, { queryKey: trpc.notifications.emailSettings.queryKey() });
    setClicked(null);
  }
  const current = clicked ?? settings.data.delivery;
  const hour = `${String(settings.data.digestHourUtc).padStart(2, "0")}:00 UTC`;
  return (
    <fieldset className="stack" data-testid="email-delivery" disabled={set.isPending}>
      <legend>
        Email to <strong>{settings.data.address}</strong>, for the kinds ticked “by email”
      </legend>
      {set.error ? (
        <div className="alert error" role="alert">
          {set.error.message}
        </div>
      ) : null}
      {DELIVERIES.map((d) => (
        <label key={d.value}>
          <input type="radio" name="email-delivery" value={d.value} checked={current === d.value} onChange={() => void choose(d.value)} /> {d.label}
          {d.value === "daily" ? <span className="hint"> (at {hour})</span> : null}
        </label>
      ))}
      <p className="hint">Every email has a link that stops that kind of email in one click, without signing in.</p>
    </fieldset>
  );
}
