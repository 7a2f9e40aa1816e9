"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn, signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { formText } from "~/lib/form-text";

export function AccountForms({ name, email }: { name: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [nameMessage, setNameMessage] = useState<{ ok: boolean; text: string }>();
  const [passwordMessage, setPasswordMessage] = useState<{ ok: boolean; text: string }>();
  const updateName = useMutation(trpc.account.updateName.mutationOptions());
  const changePassword = useMutation(trpc.account.changePassword.mutationOptions());
  const signOutEverywhere = useMutation(trpc.account.signOutEverywhere.mutationOptions());
  const [everywhereError, setEverywhereError] = useState<string>();

  async function onName(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await updateName.mutateAsync({ name: formText(form, "name") });
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
    const next = formText(form, "next");
    try {
      await changePassword.mutateAsync({ current: formText(form, "current"), next });
    } catch (e) {
      setPasswordMessage({ ok: false, text: (e as Error).message });
      return;
    }
    formElement.reset();
    // The change ended every session, this one too; sign this browser in again with the new password.
    const again = await signIn("credentials", { email, password: next, redirect: false });
    if (again?.error) {
      router.push("/signin?callbackUrl=%2Faccount");
      return;
    }
    setPasswordMessage({ ok: true, text: "Password changed. Every other device is signed out." });
    router.refresh();
  }

  async function onSignOutEverywhere() {
    setEverywhereError(undefined);
    try {
      await signOutEverywhere.mutateAsync();
    } catch (e) {
      setEverywhereError((e as Error).message);
      return;
    }
    await signOut({ callbackUrl: "/" });
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
          <input id="next" name="next" type="password" autoComplete="new-password" maxLength={200} />
        </div>
        <button className="button" type="submit" disabled={changePassword.isPending}>Change password</button>
      </form>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Sessions</h2>
        {everywhereError && <div className="alert error" role="alert">{everywhereError}</div>}
        <p className="hint">
          Signing out ends every session of your account, on every device. Use this if you signed in on a computer you no
          longer use; changing your password does the same.
        </p>
        <button className="button secondary" type="button" disabled={signOutEverywhere.isPending} onClick={() => void onSignOutEverywhere()}>
          Sign out everywhere
        </button>
      </section>
    </>
  );
}
