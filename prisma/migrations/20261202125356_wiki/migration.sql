-- AlterTable
ALTER TABLE "Revision" ADD COLUMN     "authorName" TEXT,
ADD COLUMN     "minor" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "TextDocument" ADD COLUMN     "wikiPageId" TEXT;

-- CreateTable
CREATE TABLE "WikiPage" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "redirectKey" TEXT,
    "protection" TEXT NOT NULL DEFAULT 'none',
    "protectionReason" TEXT NOT NULL DEFAULT '',
    "length" INTEGER NOT NULL DEFAULT 0,
    "deletedAt" TIMESTAMP(3),
    "deletedById" TEXT,
    "deleteReason" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "touchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WikiPage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WikiLink" (
    "pageId" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,

    CONSTRAINT "WikiLink_pkey" PRIMARY KEY ("pageId","targetKey")
);

-- CreateTable
CREATE TABLE "WikiCategory" (
    "pageId" TEXT NOT NULL,
    "categoryKey" TEXT NOT NULL,

    CONSTRAINT "WikiCategory_pkey" PRIMARY KEY ("pageId","categoryKey")
);

-- CreateTable
CREATE TABLE "WikiWatch" (
    "userId" TEXT NOT NULL,
    "pageId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WikiWatch_pkey" PRIMARY KEY ("userId","pageId")
);

-- CreateTable
CREATE TABLE "WikiLogEntry" (
    "id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "pageId" TEXT,
    "title" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "actorId" TEXT,
    "actorName" TEXT NOT NULL DEFAULT '',
    "reason" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WikiLogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WikiPage_key_key" ON "WikiPage"("key");

-- CreateIndex
CREATE INDEX "WikiPage_redirectKey_idx" ON "WikiPage"("redirectKey");

-- CreateIndex
CREATE INDEX "WikiLink_targetKey_idx" ON "WikiLink"("targetKey");

-- CreateIndex
CREATE INDEX "WikiCategory_categoryKey_idx" ON "WikiCategory"("categoryKey");

-- CreateIndex
CREATE INDEX "WikiWatch_pageId_idx" ON "WikiWatch"("pageId");

-- CreateIndex
CREATE INDEX "WikiLogEntry_pageId_idx" ON "WikiLogEntry"("pageId");

-- CreateIndex
CREATE INDEX "WikiLogEntry_createdAt_idx" ON "WikiLogEntry"("createdAt");

-- CreateIndex
CREATE INDEX "Revision_createdAt_idx" ON "Revision"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TextDocument_wikiPageId_key" ON "TextDocument"("wikiPageId");

-- AddForeignKey
ALTER TABLE "TextDocument" ADD CONSTRAINT "TextDocument_wikiPageId_fkey" FOREIGN KEY ("wikiPageId") REFERENCES "WikiPage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WikiPage" ADD CONSTRAINT "WikiPage_deletedById_fkey" FOREIGN KEY ("deletedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WikiLink" ADD CONSTRAINT "WikiLink_pageId_fkey" FOREIGN KEY ("pageId") REFERENCES "WikiPage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WikiCategory" ADD CONSTRAINT "WikiCategory_pageId_fkey" FOREIGN KEY ("pageId") REFERENCES "WikiPage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WikiWatch" ADD CONSTRAINT "WikiWatch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WikiWatch" ADD CONSTRAINT "WikiWatch_pageId_fkey" FOREIGN KEY ("pageId") REFERENCES "WikiPage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WikiLogEntry" ADD CONSTRAINT "WikiLogEntry_pageId_fkey" FOREIGN KEY ("pageId") REFERENCES "WikiPage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WikiLogEntry" ADD CONSTRAINT "WikiLogEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
