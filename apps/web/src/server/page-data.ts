import "server-only";
import { notFound } from "next/navigation";
import { DomainError } from "./errors";

/** For pages: a server module's NOT_FOUND (an unknown id, or someone else's) renders the 404 page. */
export async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
