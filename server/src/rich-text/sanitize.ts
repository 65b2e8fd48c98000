import sanitizeHtml from 'sanitize-html';

/**
 * Rich text written in the console (a news body) as the server stores it, whatever the
 * editor sent: an allow-list of tags and attributes (sanitize-html), links to http(s) and
 * mail only, images only from the addresses the caller names (its own photos), and a photo's
 * caption kept as text with its photographer's credit.
 */
export interface RichTextRules {
  /** The only image sources kept (e.g. the module's own photo addresses). */
  imageSource: RegExp;
  /** What an image becomes: its attributes (srcset and sizes from the module's own sizes). */
  image?: (src: string, alt: string) => Record<string, string>;
}

const TAGS = ['p', 'br', 'h2', 'h3', 'h4', 'strong', 'b', 'em', 'i', 'u', 's', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr', 'figure', 'figcaption', 'img', 'span'];

export function sanitizeRichText(html: string, rules: RichTextRules): string {
  return sanitizeHtml(html, {
    allowedTags: TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'srcset', 'sizes', 'width', 'height', 'loading'],
      span: ['class'],
      p: ['class'],
    },
    allowedClasses: { span: ['credit'], p: ['credit'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    // What is not allowed is dropped with its content for these (a script's text never shows), kept as text otherwise.
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener nofollow' } }),
      b: 'strong',
      i: 'em',
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        if (!rules.imageSource.test(src)) return { tagName: 'dropped-image', attribs: {} };
        const alt = attribs.alt ?? '';
        return { tagName, attribs: { src, alt, loading: 'lazy', ...(rules.image?.(src, alt) ?? {}) } };
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'dropped-image',
  });
}

/** The text of rich text, for search and summaries (no markup, runs of white space as one space). */
export function plainText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim()
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
