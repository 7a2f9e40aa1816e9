"use server";

import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { api } from "~/trpc/server";

export interface FinalChoiceState {
  /** The last answer: an error to show, or null after a success. */
  error: string | null;
  /** Bumped on every answer, so the client knows to refetch its lists. */
  at: number;
}

const FinalChoiceForm = z.object({ id: z.string().min(1).max(100), final: z.enum(["true", "false"]) });

/**
 * Chooses (or unchooses) a final submission from a plain <form>: it works before the page is hydrated (the browser
 * posts the form and Next renders the page again) as well as after. The checks are the tRPC procedure's own.
 */
export async function setFinalAction(_previous: FinalChoiceState, form: FormData): Promise<FinalChoiceState> {
  const parsed = FinalChoiceForm.safeParse({ id: form.get("id"), final: form.get("final") });
  if (!parsed.success) return { error: "The form was incomplete: reload the page and try again.", at: Date.now() };
  try {
    await (await api()).homework.setFinal({ id: parsed.data.id, final: parsed.data.final === "true" });
    return { error: null, at: Date.now() };
  } catch (error) {
    if (error instanceof TRPCError) return { error: error.code === "UNAUTHORIZED" ? "Sign in again to choose your finals." : error.message, at: Date.now() };
    throw error;
  }
}
