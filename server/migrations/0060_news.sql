-- News: a newsroom per publishing organization, its articles with the union press's bylines,
-- every version of each, the photos of their bodies, and the public's harmful-content reports.
-- Every row reaches the organization tree through org_id (the owning organization), so the
-- usual subtree scoping applies.

-- The character grams an article is searched by (Chinese has no spaces: every character and
-- every pair of neighbours, as the member search does for names). A set-based SQL function:
-- the bodies are thousands of characters, where a loop with `= ANY` would be quadratic.
CREATE FUNCTION news_grams(content text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT gram), '{}')
  FROM (SELECT lower(substr(content, i, 1)) AS gram FROM generate_series(1, char_length(content)) i
        UNION ALL
        SELECT lower(substr(content, i, 2)) FROM generate_series(1, char_length(content) - 1) i) g
  WHERE gram !~ '\s'
$$;

-- A publishing organization's newsroom: its portal address (/news/<slug>/) and the hotline and
-- e-mail address for reports of harmful content shown in its pages' footer.
CREATE TABLE news_newsrooms (
  org_id bigint PRIMARY KEY REFERENCES orgs (id),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  hotline text,
  email text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE news_images (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id),
  width integer NOT NULL,
  height integer NOT NULL,
  -- [{ "width": 480, "key": "<file store key>" }, …], narrowest first; the original is not kept (it carries EXIF).
  variants jsonb NOT NULL,
  sha256 text NOT NULL,
  uploaded_by bigint REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX news_images_org ON news_images (org_id);
-- The portal serves a stored size only if it is a news photo's: looked up by its key.
CREATE INDEX news_images_variants ON news_images USING gin (variants jsonb_path_ops);

CREATE TABLE news_articles (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'scheduled', 'published', 'withdrawn')),
  version integer NOT NULL DEFAULT 1,
  intro_title text,
  title text NOT NULL,
  subtitle text,
  source text,
  reporters text[] NOT NULL DEFAULT '{}',
  correspondents text[] NOT NULL DEFAULT '{}',
  photographers text[] NOT NULL DEFAULT '{}',
  editor_in_charge text,
  channel text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  summary text,
  -- Sanitized by the server (allow-list) before it is stored; plain_text is its text, for search and summaries.
  body_html text NOT NULL DEFAULT '',
  plain_text text NOT NULL DEFAULT '',
  cover_image_id bigint REFERENCES news_images (id),
  -- When it was published, or is to be (status 'scheduled').
  published_at timestamptz,
  return_comment text,
  created_by bigint REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search_grams text[] GENERATED ALWAYS AS (news_grams(coalesce(intro_title, '') || ' ' || title || ' ' || coalesce(subtitle, '') || ' ' || plain_text)) STORED,
  CHECK ((status IN ('published', 'scheduled', 'withdrawn')) = (published_at IS NOT NULL))
);
CREATE INDEX news_articles_org ON news_articles (org_id, status, updated_at DESC);
-- The portal's lists: published articles newest first, whole federation or one organization.
CREATE INDEX news_articles_published ON news_articles (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX news_articles_org_published ON news_articles (org_id, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX news_articles_search ON news_articles USING gin (search_grams) WHERE status = 'published';

-- Every version kept: each save and each change of state adds one, with the whole article as it then was.
CREATE TABLE news_article_versions (
  article_id bigint NOT NULL REFERENCES news_articles (id),
  version integer NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'update', 'submit', 'publish', 'schedule', 'return', 'withdraw')),
  status text NOT NULL,
  comment text,
  actor_id bigint REFERENCES accounts (id),
  at timestamptz NOT NULL DEFAULT now(),
  snapshot jsonb NOT NULL,
  PRIMARY KEY (article_id, version)
);

-- A report of harmful content (举报) from the public, worked by the owning newsroom.
CREATE TABLE news_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id bigint NOT NULL REFERENCES news_articles (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  reason text NOT NULL CHECK (reason IN ('illegal', 'false', 'infringing', 'other')),
  description text NOT NULL,
  contact text,
  -- A keyed hash of the reporter's address: enough to throttle, nothing to identify them by.
  address_hash bytea NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  answer text,
  answered_by bigint REFERENCES accounts (id),
  answered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX news_reports_org ON news_reports (org_id, status, created_at);
CREATE INDEX news_reports_address ON news_reports (address_hash, created_at);
