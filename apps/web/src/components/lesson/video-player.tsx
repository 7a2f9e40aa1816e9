"use client";

import { useEffect, useRef, useState } from "react";
import { useLessonPlayer } from "./lesson-player";
import { loadYouTubeApi, YOUTUBE_PLAYER_HOST } from "./youtube-api";
import styles from "./lesson.module.css";

/** The embedded YouTube player (IFrame Player API, privacy-enhanced host), wired to the lesson's player state. */
export function VideoPlayer({ title }: { title: string }) {
  const ctx = useLessonPlayer();
  const mount = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  if (!ctx) throw new Error("VideoPlayer must be inside LessonPlayerProvider");
  const { youtubeId, apiUrl, startAt, pending, attach, onStateChange } = ctx;

  useEffect(() => {
    if (pending) return;
    let cancelled = false;
    let player: { destroy(): void } | undefined;
    const target = document.createElement("div");
    mount.current?.replaceChildren(target);
    loadYouTubeApi(apiUrl)
      .then((YT) => {
        if (cancelled) return;
        player = new YT.Player(target, {
          host: YOUTUBE_PLAYER_HOST,
          videoId: youtubeId,
          width: "100%",
          height: "100%",
          playerVars: { start: Math.floor(startAt.seconds), rel: 0, playsinline: 1, enablejsapi: 1, origin: window.location.origin },
          events: {
            onReady: ({ target: ready }) => {
              if (cancelled) return;
              // A deep link says "watch from here": seek to the exact (fractional) second, which also starts playback.
              if (startAt.reason === "deep-link" && startAt.seconds > 0) ready.seekTo(startAt.seconds, true);
              attach(ready);
            },
            onStateChange: ({ data }) => onStateChange(data),
            onError: () => setError("This video cannot be played here."),
          },
        });
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : "The video player could not load.");
      });
    return () => {
      cancelled = true;
      attach(null);
      player?.destroy();
    };
  }, [youtubeId, apiUrl, startAt, pending, attach, onStateChange]);

  return (
    <div className={styles.player}>
      <div className={styles.playerFrame} ref={mount} aria-label={`Video: ${title}`} role="region" data-testid="player" />
      {error ? (
        <p className={styles.playerError} role="alert">
          {error}{" "}
          <a href={`https://www.youtube.com/watch?v=${youtubeId}&t=${Math.floor(ctx.time)}s`} rel="noopener noreferrer" target="_blank">
            Watch it on YouTube
          </a>
          .
        </p>
      ) : null}
    </div>
  );
}
