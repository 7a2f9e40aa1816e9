import "server-only";
import { serverEnv } from "~/env";
import { DEFAULT_YOUTUBE_API_URL } from "./youtube-api";

/**
 * The YouTube IFrame Player API script URL: `YOUTUBE_IFRAME_API_URL` (validated with the rest of the environment),
 * else the real one. Read on the server and passed to the player as a prop.
 */
export function youtubeApiUrl(): string {
  return serverEnv().YOUTUBE_IFRAME_API_URL ?? DEFAULT_YOUTUBE_API_URL;
}
