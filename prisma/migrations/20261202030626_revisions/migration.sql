-- CreateTable
CREATE TABLE "TextDocument" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "currentNumber" INTEGER NOT NULL DEFAULT 0,
    "reviewId" TEXT,
    "cellCommentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TextDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Revision" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "authorId" TEXT,
    "summary" TEXT NOT NULL DEFAULT '',
    "body" TEXT NOT NULL,
    "baseNumber" INTEGER NOT NULL,
    "merged" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Revision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TextDocument_reviewId_key" ON "TextDocument"("reviewId");

-- CreateIndex
CREATE UNIQUE INDEX "TextDocument_cellCommentId_key" ON "TextDocument"("cellCommentId");

-- CreateIndex
CREATE INDEX "Revision_authorId_idx" ON "Revision"("authorId");

-- CreateIndex
CREATE UNIQUE INDEX "Revision_documentId_number_key" ON "Revision"("documentId", "number");

-- AddForeignKey
ALTER TABLE "TextDocument" ADD CONSTRAINT "TextDocument_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TextDocument" ADD CONSTRAINT "TextDocument_cellCommentId_fkey" FOREIGN KEY ("cellCommentId") REFERENCES "CellComment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Revision" ADD CONSTRAINT "Revision_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "TextDocument"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Revision" ADD CONSTRAINT "Revision_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
