-- Chinese names are two to four characters, and people search them by one or two:
-- trigrams cannot serve that. Index every single character and every pair instead;
-- a search for 王 or 秀兰 becomes a GIN lookup, rechecked with LIKE.
CREATE FUNCTION name_grams(name text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT gram), '{}')
  FROM (
    SELECT lower(substr(name, i, 1)) AS gram FROM generate_series(1, char_length(name)) AS i
    UNION ALL
    SELECT lower(substr(name, i, 2)) FROM generate_series(1, char_length(name) - 1) AS i
  ) AS grams
$$;

ALTER TABLE persons ADD COLUMN name_grams text[] GENERATED ALWAYS AS (name_grams(name)) STORED;
CREATE INDEX persons_name_grams ON persons USING gin (name_grams);
DROP INDEX persons_name_trgm;
