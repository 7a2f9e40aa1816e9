"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { callProgress } from "./progress-client";
import { showTimeInAddress } from "./time-links";
import { PlayerState, youtubeWatchUrl, type YTPlayer } from "./youtube-api";

/** How often the page asks the player for its time while a video is loaded (4x a second). */
const POLL_MS = 250;
/** How often the position is saved while playing. */
const SAVE_EVERY_MS = 10_000;

export interface StartAt {
  seconds: number;
  reason: "deep-link" | "resume" | "start";
}

interface LessonPlayerValue {
  slug: string;
  /** null: the lesson has no video of its own (no player; seeking does nothing). */
  youtubeId: string | null;
  apiUrl: string;
  startAt: StartAt;
  /** True while the start is not known yet (the visitor's saved position is being asked for): no player yet. */
  pending: boolean;
  /** The player's current time in seconds (polled while the video plays; updated at once on a seek). */
  time: number;
  playing: boolean;
  /** The embedded player could not load (script blocked, offline, video unplayable): chapters open YouTube instead. */
  failed: boolean;
  /** Called by the video component when the player cannot load. */
  fail: () => void;
  /** Seeks the player to `seconds` and plays (queued until the player is ready). */
  seek: (seconds: number) => void;
  /** Called by the video component once the YouTube player is ready, and with null when it goes away. */
  attach: (player: YTPlayer | null) => void;
  onStateChange: (state: number) => void;
}

const LessonPlayerContext = createContext<LessonPlayerValue | null>(null);

/** The lesson page's player state; null outside a lesson page (course components then render plain links). */
export function useLessonPlayer(): LessonPlayerValue | null {
  return useContext(LessonPlayerContext);
}

export function LessonPlayerProvider(props: {
  slug: string;
  youtubeId: string | null;
  apiUrl: string;
  startAt: StartAt;
  /** Signed in: record the visit and save the position. */
  trackProgress: boolean;
  /** The start is not known yet: the video player waits. */
  pending?: boolean;
  children: ReactNode;
}) {
  const { slug, youtubeId, apiUrl, startAt, trackProgress, pending = false } = props;
  const playerRef = useRef<YTPlayer | null>(null);
  const pendingSeek = useRef<number | null>(null);
  const [time, setTime] = useState(startAt.seconds);
  const [playing, setPlaying] = useState(false);
  const [failed, setFailed] = useState(false);
  const failedRef = useRef(false);
  const fail = useCallback(() => {
    failedRef.current = true;
    setFailed(true);
  }, []);
  const lastSave = useRef({ at: 0, position: startAt.reason === "resume" ? startAt.seconds : -1 });
  // Before the first play a real player may report 0 whatever its start: trust (and save) its clock only after.
  const hasPlayed = useRef(false);

  const save = useCallback(
    (keepalive = false) => {
      const player = playerRef.current;
      if (!trackProgress || !player || !hasPlayed.current) return;
      const position = player.getCurrentTime();
      if (!Number.isFinite(position) || Math.abs(position - lastSave.current.position) < 1) return;
      lastSave.current = { at: Date.now(), position };
      void callProgress("save", { slug, positionSeconds: Math.max(0, position) }, { keepalive });
    },
    [slug, trackProgress],
  );

  useEffect(() => {
    if (trackProgress) void callProgress("open", { slug });
  }, [slug, trackProgress]);

  const attach = useCallback((player: YTPlayer | null) => {
    playerRef.current = player;
    if (player && pendingSeek.current !== null) {
      player.seekTo(pendingSeek.current, true);
      player.playVideo();
      pendingSeek.current = null;
    }
  }, []);

  const seek = useCallback(
    (seconds: number) => {
      if (youtubeId === null) return;
      setTime(seconds);
      showTimeInAddress(seconds);
      if (failedRef.current) {
        window.open(youtubeWatchUrl(youtubeId, seconds), "_blank", "noopener,noreferrer");
        return;
      }
      const player = playerRef.current;
      if (!player) {
        pendingSeek.current = seconds;
        return;
      }
      player.seekTo(seconds, true);
      player.playVideo();
    },
    [youtubeId],
  );

  const onStateChange = useCallback(
    (state: number) => {
      setPlaying(state === PlayerState.PLAYING || state === PlayerState.BUFFERING);
      if (state === PlayerState.PLAYING && !hasPlayed.current) {
        hasPlayed.current = true;
        lastSave.current.at = Date.now();
      }
      const player = playerRef.current;
      if (player && hasPlayed.current) setTime(player.getCurrentTime());
      if (state === PlayerState.PAUSED || state === PlayerState.ENDED) save();
    },
    [save],
  );

  // Poll the player's clock so the chapter and transcript highlights follow playback; save every ~10 s.
  useEffect(() => {
    const timer = window.setInterval(() => {
      const player = playerRef.current;
      if (!player || !hasPlayed.current) return;
      const now = player.getCurrentTime();
      if (Number.isFinite(now)) setTime((previous) => (Math.abs(previous - now) >= 0.05 ? now : previous));
      if (player.getPlayerState() === PlayerState.PLAYING && Date.now() - lastSave.current.at >= SAVE_EVERY_MS) save();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [save]);

  // The last position when the student leaves or switches away (keepalive lets it outlive the page).
  useEffect(() => {
    const onHide = () => save(true);
    const onVisibility = () => {
      if (document.visibilityState === "hidden") save(true);
    };
    window.addEventListener("pagehide", onHide);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      window.removeEventListener("pagehide", onHide);
      document.removeEventListener("visibilitychange", onVisibility);
      save(true);
    };
  }, [save]);

  const value = useMemo(
    () => ({ slug, youtubeId, apiUrl, startAt, pending, time, playing, failed, fail, seek, attach, onStateChange }),
    [slug, youtubeId, apiUrl, startAt, pending, time, playing, failed, fail, seek, attach, onStateChange],
  );
  return <LessonPlayerContext.Provider value={value}>{props.children}</LessonPlayerContext.Provider>;
}
