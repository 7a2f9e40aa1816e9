import type { Route } from "next";
import Link from "next/link";
import { getDb } from "~/server/db";
import { fileInfo } from "~/server/media/store";
import { wikiPath } from "~/server/wiki/titles";

/** On `/wiki/File:<name>`: the uploaded image, how to show it, and the pages whose current text shows it. */
export async function FileSection({ name }: { name: string }) {
  const file = await fileInfo((await getDb()).prisma, name);
  if (!file) {
    return (
      <p data-testid="file-missing">
        No image named {name} was uploaded.
      </p>
    );
  }
  return (
    <section aria-labelledby="file-heading" data-testid="file-section">
      <h2 id="file-heading">File</h2>
      <img src={file.url} alt={file.name} width={file.width} height={file.height} style={{ maxWidth: "100%", height: "auto" }} />
      <p>
        {file.width} × {file.height} px, {file.contentType}, {Math.max(1, Math.round(file.byteSize / 1024))} KB; uploaded {file.createdAt.toISOString().slice(0, 10)}
        {file.uploader ? ` by ${file.uploader}` : ""}. Show it on a page with <code>{file.markdown}</code>
      </p>
      <h3>Used on</h3>
      {file.usedOn.length === 0 ? (
        <p>No page shows this image.</p>
      ) : (
        <ul data-testid="file-usage">
          {file.usedOn.map((p) => (
            <li key={p.key}>
              <Link href={wikiPath(p.key) as Route}>{p.title}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
