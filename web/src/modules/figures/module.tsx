import type { WebModule } from '../../shared/module.ts';

/** The figures show on other modules' pages (the organization page's training reach); no pages of its own yet. */
export const figuresModule: WebModule = { name: 'figures' };
