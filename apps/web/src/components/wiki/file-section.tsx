import Link from "next/link";
import type { FileInfo } from "~/server/media/store";
import { formatBytes, formatUtc } from "~/lib/format";
import { wikiPath } from "~/server/wiki/titles";

/** On `/wiki/File:<name>`: the uploaded image, how to show it, and the pages whose current text shows it. */
export function FileSection({ name, file }: { name: string; file: FileInfo | null }) {
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
        {file.width} × {file.height} px, {file.contentType}, {formatBytes(file.byteSize)}; uploaded {formatUtc(file.createdAt, "day")}
        {file.uploader ? ` by ${file.uploader}` : ""}. Show it on a page with <code>{file.markdown}</code>
      </p>
      <h3>Used on</h3>
      {file.usedOn.length === 0 ? (
        <p>No page shows this image.</p>
      ) : (
        <ul data-testid="file-usage">
          {file.usedOn.map((p) => (
            <li key={p.key}>
              <Link href={wikiPath(p.key)}>{p.title}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
