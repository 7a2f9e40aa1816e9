import { loadTranscript, toWebVTT } from "@course/content";
import { contentDir } from "~/server/content";

/** The lesson's transcript as WebVTT captions (404 when the lesson or its transcript does not exist). */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const transcript = await loadTranscript(contentDir(), slug);
  if (!transcript) return new Response("No captions for this lesson.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(toWebVTT(transcript.cues), {
    headers: {
      "content-type": "text/vtt; charset=utf-8",
      "content-language": transcript.language,
      "content-disposition": `inline; filename="${slug}.vtt"`,
      "cache-control": "public, max-age=300",
    },
  });
}
