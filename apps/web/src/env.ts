import { z } from "zod";

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

export const serverEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** Public base URL of the site, used in links and OAuth callbacks. */
    NEXTAUTH_URL: optional(z.url({ message: "must be a full URL such as https://course.example.org" })),
    AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)")),
    DATABASE_URL: optional(
      z.string().regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL URL (postgresql://user:password@host:5432/db)"),
    ),
    COURSE_DATA_DIR: optional(z.string()),
    COURSE_CONTENT_DIR: optional(z.string()),
    AUTH_GITHUB_ID: optional(z.string()),
    AUTH_GITHUB_SECRET: optional(z.string()),
    /** Set by `npm start`: the token of the local runner it starts beside the site. */
    COURSE_LOCAL_RUNNER_TOKEN: optional(z.string().regex(/^crt_[A-Za-z0-9_-]{32}$/, "must be a runner token (crt_ followed by 32 characters)")),
    /** The YouTube IFrame Player API script; tests point it at a stand-in because their network is closed. */
    YOUTUBE_IFRAME_API_URL: optional(
      z.string().refine((v) => v.startsWith("/") || /^https?:\/\//.test(v), "must be an http(s) URL or a path starting with /"),
    ),
    SIGNIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
    SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    /** Accounts that one client address may create per window (a classroom behind one NAT needs more). */
    SIGNUP_MAX_PER_WINDOW: z.coerce.number().int().min(1).max(100_000).default(10),
    SIGNUP_WINDOW_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
    /**
     * The forum's rate limits (seconds between posts, topics and flags per day, a new account's first day, identical
     * posts). `off` for load tests and test sites only; content limits, silences and suspensions still apply.
     */
    FORUM_RATE_LIMITS: z.enum(["on", "off"]).default("on"),
    /**
     * Reverse proxies in front of the site that append to X-Forwarded-For (0: clients connect directly, so the
     * header is the client's own claim and is ignored). Read by the web server (apps/web/server.mjs).
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /**
     * The mail server notifications are emailed through (unset: in-app only). smtp:// speaks STARTTLS when the server
     * offers it, smtps:// is TLS from the first byte (port 465); user and password go in the URL, percent-encoded.
     */
    SMTP_URL: optional(
      z.string().refine((v) => {
        try {
          const url = new URL(v);
          return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
        } catch {
          return false;
        }
      }, "must be an SMTP URL such as smtp://user:password@mail.example.org:587 or smtps://mail.example.org:465"),
    ),
    /** The From of every email, e.g. `Course <course@example.org>`. */
    EMAIL_FROM: optional(z.string().regex(/^[^<>@\s]+@[^<>@\s]+$|^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/, "must be an address, or a name and an address in angle brackets: Course <course@example.org>")),
    /** The hour (UTC, 0-23) at which daily digests go out. */
    EMAIL_DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(7),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.AUTH_GITHUB_ID) !== Boolean(env.AUTH_GITHUB_SECRET)) {
      const missing = env.AUTH_GITHUB_ID ? "AUTH_GITHUB_SECRET" : "AUTH_GITHUB_ID";
      ctx.addIssue({ code: "custom", path: [missing], message: "is required when the other GitHub OAuth variable is set (set both or neither)" });
    }
    if (env.SMTP_URL && !env.EMAIL_FROM) {
      ctx.addIssue({ code: "custom", path: ["EMAIL_FROM"], message: "is required when SMTP_URL is set (the From of every email: Course <course@example.org>)" });
    }
    if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production (npm start generates one in .data/)" });
    }
  });

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Validates the environment, naming every bad variable and why. */
export function parseServerEnv(env: Record<string, string | undefined>): ServerEnv {
  const result = serverEnvSchema.safeParse(env);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"} ${issue.message}`));
  }
  return result.data;
}

/**
 * COURSE_CONTENT_DIR alone, for code that also runs while building (server/content.ts), where serverEnv()'s other
 * checks would ask for the secrets of a running site.
 */
export function contentDirEnv(): string | undefined {
  return serverEnvSchema.shape.COURSE_CONTENT_DIR.parse(process.env.COURSE_CONTENT_DIR);
}

/** FORUM_RATE_LIMITS alone, read on each call (not cached with the rest): tests switch the limits on and off. */
export function forumRateLimitsEnv(): "on" | "off" {
  return serverEnvSchema.shape.FORUM_RATE_LIMITS.parse(process.env.FORUM_RATE_LIMITS || undefined);
}

let cached: ServerEnv | undefined;
export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}
