"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";

export function AccountForms({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [nameMessage, setNameMessage] = useState<{ ok: boolean; text: string }>();
  const [passwordMessage, setPasswordMessage] = useState<{ ok: boolean; text: string }>();
  const updateName = useMutation(trpc.account.updateName.mutationOptions());
  const changePassword = useMutation(trpc.account.changePassword.mutationOptions());

  async function onName(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await updateName.mutateAsync({ name: String(form.get("name") ?? "") });
      setNameMessage({ ok: true, text: "Saved." });
      // The header asks for the name in the browser (account.me); the rest of the page is server-rendered.
      await queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() });
      router.refresh();
    } catch (e) {
      setNameMessage({ ok: false, text: (e as Error).message });
    }
  }

  async function onPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    try {
      await changePassword.mutateAsync({ current: String(form.get("current") ?? ""), next: String(form.get("next") ?? "") });
      setPasswordMessage({ ok: true, text: "Password changed." });
      formElement.reset();
    } catch (e) {
      setPasswordMessage({ ok: false, text: (e as Error).message });
    }
  }

  return (
    <>
      <form className="card" onSubmit={onName}>
        <h2 style={{ marginTop: 0 }}>Display name</h2>
        {nameMessage && <div className={`alert ${nameMessage.ok ? "ok" : "error"}`} role="status">{nameMessage.text}</div>}
        <div className="field">
          <label htmlFor="name">Name</label>
          <input id="name" name="name" type="text" defaultValue={name} maxLength={100} autoComplete="name" />
        </div>
        <button className="button" type="submit" disabled={updateName.isPending}>Save name</button>
      </form>
      <form className="card" onSubmit={onPassword}>
        <h2 style={{ marginTop: 0 }}>Password</h2>
        {passwordMessage && <div className={`alert ${passwordMessage.ok ? "ok" : "error"}`} role="status">{passwordMessage.text}</div>}
        <div className="field">
          <label htmlFor="current">Current password</label>
          <input id="current" name="current" type="password" autoComplete="current-password" />
        </div>
        <div className="field">
          <label htmlFor="next">New password</label>
          <input id="next" name="next" type="password" autoComplete="new-password" minLength={10} />
        </div>
        <button className="button" type="submit" disabled={changePassword.isPending}>Change password</button>
      </form>
    </>
  );
}
