import type { FastifyRequest } from 'fastify';
import type { MessageLocale } from '@workers-home/contract';

/**
 * The language a file the server writes for a reader is in: the `lang` the client asked
 * for (the web app sends its interface language), else Accept-Language, else English (the
 * API's language, as in every `message` and `detail`).
 */
export function requestLocale(request: FastifyRequest, asked?: MessageLocale): MessageLocale {
  if (asked) return asked;
  const header = request.headers['accept-language'] ?? '';
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
