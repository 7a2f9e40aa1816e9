-- Trigram matching for names that stemming breaks (lr_find, resnet34). PGlite loads it as an extension
-- (packages/db/src/client.ts); on PostgreSQL it ships in contrib.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateTable
CREATE TABLE "SearchDocument" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "lessonSlug" TEXT,
    "seconds" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    -- Maintained by PostgreSQL itself: the title weighs more than the body.
    "searchVector" tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, "title"), 'A') || setweight(to_tsvector('english'::regconfig, "body"), 'B')
    ) STORED,

    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchTerm" (
    "term" TEXT NOT NULL,

    CONSTRAINT "SearchTerm_pkey" PRIMARY KEY ("term")
);

-- CreateTable
CREATE TABLE "SearchIndexState" (
    "source" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "indexedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SearchIndexState_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE INDEX "SearchDocument_searchVector_idx" ON "SearchDocument" USING GIN ("searchVector");

-- CreateIndex
CREATE INDEX "SearchDocument_title_idx" ON "SearchDocument" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "SearchDocument_body_idx" ON "SearchDocument" USING GIN ("body" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "SearchDocument_kind_key_key" ON "SearchDocument"("kind", "key");

-- CreateIndex
CREATE INDEX "SearchTerm_term_idx" ON "SearchTerm" USING GIN ("term" gin_trgm_ops);
