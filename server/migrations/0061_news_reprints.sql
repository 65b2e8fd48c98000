-- Reprints (转载): a county's article proposed to its city's or province's newsroom becomes an
-- article of that newsroom, waiting for its chief editor, with the source and bylines kept and
-- a link to the original.
ALTER TABLE news_articles ADD COLUMN reprint_of bigint REFERENCES news_articles (id);
CREATE INDEX news_articles_reprint_of ON news_articles (reprint_of) WHERE reprint_of IS NOT NULL;
