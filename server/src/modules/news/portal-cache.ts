/**
 * Published pages and feeds as rendered, by address: the portal answers from memory. Every
 * publication, withdrawal or correction made by this process clears it at once; a change made
 * by another server process (or a scheduled publication run there) shows within MAX_AGE_MS.
 */
export interface CachedPage {
  body: Buffer;
  type: string;
  etag: string;
  until: number;
}

const MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 5_000;

class PortalCache {
  private readonly pages = new Map<string, CachedPage>();

  get(key: string, now = Date.now()): CachedPage | undefined {
    const hit = this.pages.get(key);
    if (hit && hit.until > now) return hit;
    if (hit) this.pages.delete(key);
    return undefined;
  }

  set(key: string, page: Omit<CachedPage, 'until'>, now = Date.now()): CachedPage {
    if (this.pages.size >= MAX_ENTRIES) this.pages.clear();
    const entry = { ...page, until: now + MAX_AGE_MS };
    this.pages.set(key, entry);
    return entry;
  }

  clear(): void {
    this.pages.clear();
  }
}

export const portalCache = new PortalCache();
