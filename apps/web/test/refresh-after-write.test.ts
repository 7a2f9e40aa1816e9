import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { refreshAfterWrite } from "~/trpc/refresh";

/**
 * The race behind "No submissions yet" after an upload: the list's first fetch reads the rows, the upload writes one,
 * and only then does the first fetch answer. What the list shows afterwards must include the write.
 */
function listWithSlowFirstFetch() {
  const rows: string[] = [];
  let fetches = 0;
  const queryFn = async () => {
    fetches++;
    const seen = [...rows]; // read now, answer later: like a query that reaches the database before the write
    await new Promise((resolve) => setTimeout(resolve, fetches === 1 ? 50 : 1));
    return seen;
  };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
  const observer = new QueryObserver(client, { queryKey: ["homework", "mySubmissions"], queryFn });
  const unsubscribe = observer.subscribe(() => {});
  return { client, observer, rows, unsubscribe };
}

describe("refreshAfterWrite", () => {
  it("shows a write made while the query's first fetch was still in flight", async () => {
    const list = listWithSlowFirstFetch();
    list.rows.push("lesson-1.ipynb"); // the upload lands while the first fetch is pending
    await refreshAfterWrite(list.client, { queryKey: ["homework"] });
    expect(list.observer.getCurrentResult().data).toEqual(["lesson-1.ipynb"]);
    list.unsubscribe();
  });

  it("is needed: a bare invalidateQueries joins the stale in-flight fetch", async () => {
    const list = listWithSlowFirstFetch();
    list.rows.push("lesson-1.ipynb");
    await list.client.invalidateQueries({ queryKey: ["homework"] });
    expect(list.observer.getCurrentResult().data).toEqual([]);
    list.unsubscribe();
  });

  it("refetches queries that already have data", async () => {
    const list = listWithSlowFirstFetch();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(list.observer.getCurrentResult().data).toEqual([]);
    list.rows.push("second.ipynb");
    await refreshAfterWrite(list.client, { queryKey: ["homework"] });
    expect(list.observer.getCurrentResult().data).toEqual(["second.ipynb"]);
    list.unsubscribe();
  });
});
