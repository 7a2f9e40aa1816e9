"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { sitePath } from "~/lib/routes";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { formText } from "~/lib/form-text";

// next-auth reports provider failures with codes; our credential errors arrive as their message.
function describe(error: string): string {
  if (error === "OAuthSignin" || error === "OAuthCallback") return "GitHub sign-in did not complete. Try again.";
  if (error === "OAuthAccountNotLinked") return "That GitHub account is linked to another user.";
  if (error === "AccessDenied") return "Sign-in was refused.";
  if (error === "CredentialsSignin") return "Wrong email or password.";
  return error;
}

export function SignInForm({ callbackUrl, github, initialError }: { callbackUrl: string; github: boolean; initialError?: string | undefined }) {
  const router = useRouter();
  const [error, setError] = useState(initialError ? describe(initialError) : undefined);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    const result = await signIn("credentials", {
      email: formText(form, "email"),
      password: formText(form, "password"),
      redirect: false,
    });
    setBusy(false);
    if (!result || result.error) {
      setError(describe(result?.error ?? "Sign-in failed. Try again."));
      return;
    }
    router.push(sitePath(callbackUrl));
    router.refresh();
  }

  return (
    <div className="card">
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button className="button full" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {github && (
        <>
          <div className="divider">or</div>
          <button className="button secondary full" type="button" onClick={() => void signIn("github", { callbackUrl })}>
            Sign in with GitHub
          </button>
        </>
      )}
      <p className="hint">
        No account yet? <Link href="/signup">Sign up</Link>
      </p>
    </div>
  );
}
