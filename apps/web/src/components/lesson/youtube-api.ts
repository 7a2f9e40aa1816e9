/** The parts of the YouTube IFrame Player API this site uses (https://developers.google.com/youtube/iframe_api_reference). */
export interface YTPlayer {
  playVideo(): void;
  pauseVideo(): void;
  seekTo(seconds: number, allowSeekAhead: boolean): void;
  getCurrentTime(): number;
  getDuration(): number;
  getPlayerState(): number;
  destroy(): void;
}

export interface YTPlayerOptions {
  host?: string;
  videoId: string;
  width?: string | number;
  height?: string | number;
  playerVars?: Record<string, string | number>;
  events?: {
    onReady?: (event: { target: YTPlayer }) => void;
    onStateChange?: (event: { target: YTPlayer; data: number }) => void;
    onError?: (event: { target: YTPlayer; data: number }) => void;
  };
}

export interface YTNamespace {
  Player: new (element: HTMLElement | string, options: YTPlayerOptions) => YTPlayer;
}

/** YT.PlayerState values. */
export const PlayerState = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 } as const;

/** The privacy-enhanced player host (no cookies until the viewer plays). */
export const YOUTUBE_PLAYER_HOST = "https://www.youtube-nocookie.com";
export const DEFAULT_YOUTUBE_API_URL = "https://www.youtube.com/iframe_api";

/** The video on youtube.com at a whole second: where a viewer goes when the embedded player cannot load. */
export function youtubeWatchUrl(youtubeId: string, seconds = 0): string {
  return `https://www.youtube.com/watch?v=${encodeURIComponent(youtubeId)}&t=${Math.max(0, Math.floor(seconds))}s`;
}

declare global {
  interface Window {
    YT?: Partial<YTNamespace>;
    onYouTubeIframeAPIReady?: () => void;
  }
}

let loading: { url: string; promise: Promise<YTNamespace> } | undefined;

/**
 * Loads the IFrame Player API script once per page (every player on the page shares it). Rejects when the
 * script fails to load or does not become ready within `timeoutMs`.
 */
export function loadYouTubeApi(url: string, timeoutMs = 15_000): Promise<YTNamespace> {
  if (window.YT?.Player) return Promise.resolve(window.YT as YTNamespace);
  if (loading && loading.url === url) return loading.promise;
  const promise = new Promise<YTNamespace>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error("The video player did not load in time.")), timeoutMs);
    const previous = window.onYouTubeIframeAPIReady;
    window.onYouTubeIframeAPIReady = () => {
      previous?.();
      window.clearTimeout(timer);
      if (window.YT?.Player) resolve(window.YT as YTNamespace);
      else reject(new Error("The video player script loaded without YT.Player."));
    };
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onerror = () => {
      window.clearTimeout(timer);
      reject(new Error("The video player script could not be loaded."));
    };
    document.head.appendChild(script);
  });
  loading = { url, promise };
  promise.catch(() => {
    if (loading?.promise === promise) loading = undefined;
  });
  return promise;
}
