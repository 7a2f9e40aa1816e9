"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { formText } from "~/lib/form-text";

export function SignUpForm({ github }: { github: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string>();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = formText(form, "email");
    const password = formText(form, "password");
    setError(undefined);
    try {
      await signUp.mutateAsync({ email, password, name: formText(form, "name") || undefined });
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.error) {
      setError(result.error);
      return;
    }
    router.push("/");
    router.refresh();
  }

  const busy = signUp.isPending;
  return (
    <div className="card">
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="name">Name <span className="hint">(optional, shown to graders)</span></label>
          <input id="name" name="name" type="text" autoComplete="name" maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="new-password" required maxLength={200} aria-describedby="password-hint" />
          <div className="hint" id="password-hint">Hard to guess: a few uncommon words work well. Not your name or email.</div>
        </div>
        <button className="button full" type="submit" disabled={busy}>
          {busy ? "Creating account…" : "Create account"}
        </button>
      </form>
      {github && (
        <>
          <div className="divider">or</div>
          <button className="button secondary full" type="button" onClick={() => void signIn("github", { callbackUrl: "/" })}>
            Sign up with GitHub
          </button>
        </>
      )}
      <p className="hint">
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </div>
  );
}
