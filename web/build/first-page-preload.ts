import path from 'node:path';
import type { Plugin, Rollup } from 'vite';

type OutputChunk = Rollup.OutputChunk;

/**
 * Adds `<link rel="modulepreload">` for an app's first page (a lazy route) and the chunks it
 * imports to that app's HTML, so they load with the entry instead of after it has run and the
 * router has asked for them. `html` and `page` are paths relative to the web folder.
 */
export function firstPagePreload(html: string, page: string): Plugin {
  let root = '';
  return {
    name: 'workers-home:first-page-preload',
    apply: 'build',
    configResolved(config) { root = config.root; },
    transformIndexHtml: {
      order: 'post',
      handler(document, ctx) {
        if (!ctx.bundle || path.resolve(ctx.filename) !== path.resolve(root, html)) return;
        const bundle: Rollup.OutputBundle = ctx.bundle;
        const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk');
        const first = chunks.find((c) => c.facadeModuleId && path.resolve(c.facadeModuleId) === path.resolve(root, page));
        if (!first) throw new Error(`first-page-preload: no chunk for ${page}`);
        const files = new Set<string>();
        const styles = new Set<string>();
        const visit = (chunk: OutputChunk) => {
          if (files.has(chunk.fileName)) return;
          files.add(chunk.fileName);
          for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
          for (const name of chunk.imports) {
            const next = bundle[name];
            if (next?.type === 'chunk') visit(next);
          }
        };
        visit(first);
        // What the entry already loads is left out.
        const fresh = (file: string) => !document.includes(`"/${file}"`);
        return [
          ...[...files].filter(fresh).map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const })),
          ...[...styles].filter(fresh).map((file) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}
