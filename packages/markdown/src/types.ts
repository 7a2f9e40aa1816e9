/** A wiki page a `[[Title]]` link points to: where it lives and whether it exists yet (missing ones render red). */
export interface WikiPageTarget {
  url: string;
  exists: boolean;
  /**
   * Record the link in `found` but show nothing where it was written (MediaWiki's `[[Category:Name]]`, which puts
   * the page in a category listed at its foot). A paragraph left empty by it is dropped.
   */
  hidden?: boolean;
}

/** A user an `@name` mention points to. */
export interface UserTarget {
  url: string;
  /** Shown instead of `@name` when given (e.g. the display name). */
  label?: string;
}

/** A lesson a video-time link points to. */
export interface LessonTarget {
  slug: string;
  title?: string;
}

/**
 * How link targets are found. Callers own the data (database, content); the pipeline only asks. A resolver that
 * returns undefined leaves the text as written (unknown users stay plain text). Every call is synchronous, so a
 * caller that needs the database loads what it needs first (e.g. all titles the text names, see `scanMarkdown`).
 */
export interface Resolvers {
  /** `[[Title]]`: the page's URL and whether it exists. Without a resolver: `/wiki/<Title_with_underscores>`. */
  wikiPage?: (title: string) => WikiPageTarget | undefined;
  /** `@name`: the user's profile, or undefined when there is no such user. Without a resolver mentions stay text. */
  user?: (username: string) => UserTarget | undefined;
  /** `[[Lesson 1@4:40]]`: a lesson's name (title, number or slug as written) to its slug. */
  lesson?: (name: string) => LessonTarget | undefined;
}

export interface RenderOptions extends Resolvers {
  /** Slug of the lesson this page or thread belongs to: enables the short forms `@4:40` and `[[@4:40]]`. */
  currentLesson?: string;
  /** Move headings down this many levels (a notebook cell's `#` becomes <h2> under the page's <h1>). Default 0. */
  headingOffset?: number;
  /** Keep `data:image/{png,jpeg,gif,webp};base64,` images. Default false (they are dropped). */
  dataImages?: boolean;
  /** Maps an image's `attachment:` URL (notebook cell attachments) to a raster data URL, or undefined to drop it. */
  attachment?: (name: string) => string | undefined;
  /** Give every heading an anchor id (`h-<slug>`, numbered when repeated) for a table of contents. Default false. */
  headingIds?: boolean;
  /** Raw HTML inside markdown is parsed (then sanitized) as on GitHub. Default true; false shows it as text. */
  rawHtml?: boolean;
}

export interface FoundWikiLink {
  title: string;
  url: string;
  exists: boolean;
}
export interface FoundMention {
  username: string;
  url: string;
}
export interface FoundVideoTime {
  lesson: string;
  seconds: number;
  href: string;
  /**
   * The words of the line the link is on: the text of its paragraph, list item (without nested lists), table cell or
   * heading, whitespace collapsed, without the time links' own labels (what a lesson's wiki timeline shows beside
   * the video).
   */
  line: string;
}
export interface FoundQuote {
  /** The attribution as written, e.g. `@alice` or a page title; undefined when none was given. */
  author?: string;
  /** Username when the attribution was a resolved mention. */
  username?: string;
  source?: string;
}

export interface FoundHeading {
  /** 1 to 6, after headingOffset */
  depth: number;
  text: string;
  /** the anchor, when headingIds is set */
  id?: string;
}

/** An image the render kept as an image from this site (`![alt](/media/...)`): what the text shows, for usage lists. */
export interface FoundImage {
  src: string;
  alt: string;
}

/**
 * A link that leaves the site (what gets rel="nofollow"): a written link or URL, or a foreign image shown as a link.
 * Forums limit how many a new member may post (spam), not counting what sits inside a quote of someone else's text.
 */
export interface FoundLink {
  href: string;
  /** a foreign image, shown as a link ("image: alt") */
  image: boolean;
  /** inside a quote (`blockquote.quote`) */
  quoted: boolean;
}

/** What a text links to, in order of appearance, for backlinks and notifications; and its headings. */
export interface Found {
  wikiLinks: FoundWikiLink[];
  mentions: FoundMention[];
  videoTimes: FoundVideoTime[];
  quotes: FoundQuote[];
  headings: FoundHeading[];
  /** site images only: foreign ones are links, dropped ones are gone */
  images: FoundImage[];
  /** links to other sites, foreign images among them */
  links: FoundLink[];
}

export interface Rendered {
  html: string;
  found: Found;
}
