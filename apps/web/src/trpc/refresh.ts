import type { InvalidateQueryFilters, QueryClient } from "@tanstack/react-query";

/**
 * Refetches the matching queries after a write, so that what they show includes it. A bare `invalidateQueries`
 * is not enough while a query's first fetch is still in flight: TanStack Query then joins that fetch (it cancels
 * only fetches of queries that already have data), and the answer may have been read before the write. Seen when a
 * student uploads right after the homework page loads: the list stayed "No submissions yet".
 */
export async function refreshAfterWrite(queryClient: QueryClient, filters: InvalidateQueryFilters): Promise<void> {
  await queryClient.cancelQueries(filters);
  await queryClient.invalidateQueries(filters);
}
