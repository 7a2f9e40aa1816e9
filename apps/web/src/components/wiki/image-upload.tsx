"use client";

import { useId, useState } from "react";
import { altText } from "./editor-text";

interface Uploaded {
  name: string;
  url: string;
}

/**
 * "Insert image": uploads the chosen file to `/api/media` (from this page) and hands back the markdown that shows it.
 * XMLHttpRequest rather than fetch for the upload progress; the server's own message is shown when it refuses.
 */
export function ImageUpload({ pageKey, onInsert }: { pageKey: string; onInsert: (markdown: string) => void }) {
  const id = useId();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  function upload(file: File) {
    setError(null);
    setProgress(0);
    const form = new FormData();
    form.append("file", file);
    form.append("page", pageKey);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/media");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      setProgress(null);
      const body = xhr.response as (Partial<Uploaded> & { error?: string }) | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.url && body.name) onInsert(`![${altText(body.name)}](${body.url})`);
      else setError(body?.error ?? `The upload failed (HTTP ${xhr.status}).`);
    };
    xhr.onerror = () => {
      setProgress(null);
      setError("The upload failed: the server could not be reached.");
    };
    xhr.send(form);
  }

  const busy = progress !== null;
  return (
    <div className="stack" data-testid="wiki-image-upload">
      <label htmlFor={id}>
        Insert image{" "}
        <input
          id={id}
          type="file"
          accept="image/*"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) upload(file);
          }}
        />
      </label>
      {busy ? (
        <span role="status" aria-live="polite">
          Uploading… <progress max={100} value={progress} aria-label="Upload progress" /> {progress}%
        </span>
      ) : null}
      {error ? (
        <div className="alert error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
