"use client";

import { useEffect, useRef, useState } from "react";
import { useLessonPlayer } from "./lesson-player";
import { loadYouTubeApi, YOUTUBE_PLAYER_HOST, youtubeWatchUrl } from "./youtube-api";
import styles from "./lesson.module.css";

/**
 * The embedded YouTube player (IFrame Player API, privacy-enhanced host), wired to the lesson's player state. When
 * the player cannot load (the API script is blocked or fails, or YouTube refuses the video) a poster with the lesson
 * title and a link to the video on YouTube takes its place, rather than a black box.
 */
export function VideoPlayer({ title }: { title: string }) {
  const ctx = useLessonPlayer();
  const mount = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  if (!ctx) throw new Error("VideoPlayer must be inside LessonPlayerProvider");
  const { youtubeId, apiUrl, startAt, pending, attach, onStateChange, fail } = ctx;

  useEffect(() => {
    if (youtubeId === null || pending) return;
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
            onError: () => {
              if (cancelled) return;
              setError("This video cannot be played here.");
              fail();
            },
          },
        });
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(e instanceof Error ? e.message : "The video player could not load.");
        fail();
      });
    return () => {
      cancelled = true;
      attach(null);
      player?.destroy();
    };
  }, [youtubeId, apiUrl, startAt, pending, attach, onStateChange, fail]);

  if (youtubeId === null) return null;

  return (
    <div className={styles.player}>
      <div className={styles.playerFrame} ref={mount} aria-label={`Video: ${title}`} role="region" data-testid="player" hidden={error !== null} />
      {error !== null ? (
        <div className={styles.poster} role="region" aria-label={`Video: ${title}`} data-testid="player-fallback">
          <p className={styles.posterTitle}>{title}</p>
          <p role="alert" className={styles.posterMessage}>
            <a href={youtubeWatchUrl(youtubeId, ctx.time)} rel="noopener noreferrer" target="_blank">
              The video could not load — open it on YouTube
            </a>
          </p>
          <p className={styles.posterDetail}>{error} The chapters open YouTube at their moment.</p>
        </div>
      ) : null}
    </div>
  );
}
