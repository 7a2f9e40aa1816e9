import type { Metadata } from "next";
import Link from "next/link";
import { BookmarkList } from "~/components/forum/bookmark-list";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { myBookmarks } from "~/server/forum/bookmarks";

export const metadata: Metadata = { title: "My bookmarks" };
export const dynamic = "force-dynamic";

/** The member's forum bookmarks, newest first, each with its note (private to them). */
export default async function BookmarksPage() {
  const user = await requireUser("student", "/account/bookmarks");
  const bookmarks = await myBookmarks((await getDb()).prisma, { id: user.id, role: user.role });
  return (
    <div className="stack" style={{ maxWidth: 760 }}>
      <p>
        <Link href="/account">Your account</Link>
      </p>
      <h1>My bookmarks</h1>
      <p className="lead">Forum posts you bookmarked (the Bookmark button under a post). Only you see them and their notes.</p>
      <BookmarkList initial={bookmarks.map((b) => ({ ...b, createdAt: b.createdAt.toISOString() }))} />
    </div>
  );
}
