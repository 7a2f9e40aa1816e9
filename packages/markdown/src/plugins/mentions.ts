// `@username` mentions: a link to the user when the resolver knows the name, plain text otherwise. An `@` glued to
// a word (an e-mail address) or a path is not a mention.
import type { Root } from "hast";
import type { VFile } from "vfile";
import { h, replaceText, text } from "../hast";
import { safeResolvedUrl } from "../urls";
import { contextOf, type RenderContext } from "./context";

export const MENTION = /(?<![\w@./+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?)/g;

/** A mention link for `username`, or undefined when there is no such user. */
export function mentionLink(ctx: RenderContext, username: string) {
  const user = ctx.options.user?.(username);
  const url = safeResolvedUrl(user?.url);
  if (!user || !url) return undefined;
  ctx.found.mentions.push({ username, url });
  return h("a", { href: url, className: ["mention"] }, [text(user.label ?? `@${username}`)]);
}

export function mentions() {
  return (tree: Root, file: VFile) => {
    const ctx = contextOf(file);
    if (!ctx.options.user) return;
    replaceText(tree, MENTION, (m) => {
      // `@4:40` is a time, not a user named 4.
      if (m.index + m[0].length < m.input.length && m.input[m.index + m[0].length] === ":") return undefined;
      const link = mentionLink(ctx, m[1]!);
      return link ? [link] : undefined;
    });
  };
}
