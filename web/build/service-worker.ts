import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}

/** Every file an entry needs, its lazy chunks included, from Vite's build manifest. */
export function filesOfEntry(manifest: Record<string, ManifestChunk>, entry: string, lazy = true): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const file of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(file);
    for (const next of [...(chunk.imports ?? []), ...(lazy ? chunk.dynamicImports ?? [] : [])]) visit(next);
  };
  visit(entry);
  return [...files];
}

/**
 * Writes /app/sw.js after the build: it precaches the member app's shell (its HTML, every
 * chunk it may load, the manifest and icons) under a name that changes with the files, so a
 * new release replaces the old cache. Pages are served network-first with the cached shell as
 * the fallback; hashed assets cache-first; the API is never cached (personal data).
 */
export function memberAppServiceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'workers-home:member-app-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const manifest = JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
      const shell = [
        '/app/',
        '/app/manifest.webmanifest',
        '/app/icons/icon-192.png',
        '/app/icons/icon-512.png',
        '/favicon.svg',
        ...filesOfEntry(manifest, 'app/index.html').map((file) => `/${file}`),
      ];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const template = readFileSync(new URL('./service-worker-template.js', import.meta.url), 'utf8');
      writeFileSync(path.join(outDir, 'app/sw.js'), template.replace('__CACHE_NAME__', `workers-home-app-${version}`).replace('__SHELL__', JSON.stringify(shell)));
    },
  };
}
