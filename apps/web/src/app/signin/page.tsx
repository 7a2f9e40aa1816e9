import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { githubEnabled } from "~/server/auth/options";
import { getCurrentUser } from "~/server/auth/session";
import { sitePath } from "~/lib/routes";
import { safeCallbackUrl } from "~/lib/safe-url";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser()) redirect(sitePath(callbackUrl));
  const error = typeof params.error === "string" ? params.error : undefined;
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <p className="lead">Welcome back. Sign in to track your progress and submit homework.</p>
      <SignInForm callbackUrl={callbackUrl} github={githubEnabled()} initialError={error} />
    </div>
  );
}
