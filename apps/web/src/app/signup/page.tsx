import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { githubEnabled } from "~/server/auth/options";
import { getCurrentUser } from "~/server/auth/session";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/");
  return (
    <div className="narrow">
      <h1>Create your account</h1>
      <p className="lead">Free. Track your progress through the lessons and submit homework for grading.</p>
      <SignUpForm github={githubEnabled()} />
    </div>
  );
}
