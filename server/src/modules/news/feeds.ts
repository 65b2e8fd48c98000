import { Feed } from 'feed';
import type { Variant } from './body.ts';
import { mediaUrl } from './body.ts';
import type { PublishedArticle } from './portal-data.ts';

export interface FeedScope {
  title: string;
  /** The page the feed follows (absolute). */
  link: string;
  /** The feed's own addresses (absolute). */
  rss: string;
  atom: string;
  origin: string;
}

const largest = (variants: Variant[] | null) => (variants && variants.length ? variants[variants.length - 1]! : null);

/** A feed (the `feed` library) of the newest published articles: bylines as authors, the cover photo as an enclosure. */
export function buildFeed(scope: FeedScope, items: Array<Omit<PublishedArticle, 'bodyHtml'>>): Feed {
  const feed = new Feed({
    title: scope.title, id: scope.link, link: scope.link, language: 'zh-CN', generator: 'Workers\' Home',
    updated: items[0]?.publishedAt ?? new Date(0), feedLinks: { rss: scope.rss, atom: scope.atom }, copyright: scope.title,
  });
  for (const a of items) {
    const link = `${scope.origin}/news/${a.slug}/articles/${a.id}`;
    const cover = largest(a.cover);
    feed.addItem({
      title: a.title, id: link, link, date: a.publishedAt, published: a.publishedAt, description: a.summary ?? '',
      author: [...a.reporters, ...a.correspondents].map((name) => ({ name })),
      category: [{ name: a.channel }, ...a.tags.map((name) => ({ name }))],
      ...(cover ? { enclosure: { url: scope.origin + mediaUrl(cover.key), type: 'image/jpeg', length: cover.bytes ?? 0 } } : {}),
    });
  }
  return feed;
}
