-- Search filters (issue 12, forum item 7): facets on every search document, null where a kind has none. Forum posts
-- already in the index get theirs below; new writes set them (apps/web/src/server/forum/search.ts).
-- AlterTable
ALTER TABLE "SearchDocument" ADD COLUMN     "authorId" TEXT,
ADD COLUMN     "category" TEXT,
ADD COLUMN     "solved" BOOLEAN,
ADD COLUMN     "writtenAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "SearchDocument_category_writtenAt_idx" ON "SearchDocument"("category", "writtenAt");

-- CreateIndex
CREATE INDEX "SearchDocument_authorId_writtenAt_idx" ON "SearchDocument"("authorId", "writtenAt");

-- CreateIndex
CREATE INDEX "SearchDocument_writtenAt_idx" ON "SearchDocument"("writtenAt");

-- Backfill: the posts indexed before this migration.
UPDATE "SearchDocument" d
SET "category" = c."slug",
    "authorId" = p."authorId",
    "writtenAt" = p."createdAt",
    "solved" = CASE WHEN t."solvedPostId" IS NOT NULL THEN true WHEN c."solvable" THEN false END
FROM "ForumPost" p
JOIN "ForumTopic" t ON t."id" = p."topicId"
JOIN "ForumCategory" c ON c."id" = t."categoryId"
WHERE d."kind" = 'post' AND d."key" = p."id";
