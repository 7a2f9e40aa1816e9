-- PostgreSQL's text search parser reads `<` followed by a letter as the start of an HTML tag and drops what follows
-- up to the next `>`, so `a<b`, `<div>` or `Vec<T>` in a wiki page or post hid the words after them. The vector is
-- now built with `<` as a space; title, body, snippets and trigram matching keep the text as written.
-- A generated column's expression cannot be altered in place: drop it (with its index) and add it again.
ALTER TABLE "SearchDocument" DROP COLUMN "searchVector";

ALTER TABLE "SearchDocument" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, replace("title", '<', ' ')), 'A') || setweight(to_tsvector('english'::regconfig, replace("body", '<', ' ')), 'B')
) STORED;

CREATE INDEX "SearchDocument_searchVector_idx" ON "SearchDocument" USING GIN ("searchVector");
