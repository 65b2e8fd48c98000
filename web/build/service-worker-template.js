/* The member app's service worker, written by web/build/service-worker.ts at build time. */
const CACHE = '__CACHE_NAME__';
const SHELL = __SHELL__;

self.addEventListener('install', (event) => {
  // Static routes (Chromium): hashed assets come from this cache, the API from the network,
  // without starting this worker for each request; a worker that starts costs the page tens of
  // milliseconds. Browsers without static routes send them to the fetch handler below.
  event.addRoutes?.([
    { condition: { urlPattern: '/assets/*' }, source: { cacheName: CACHE } },
    { condition: { urlPattern: '/api/*' }, source: 'network' },
  ]);
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    // Navigation preload: the browser asks for the page while this worker starts, instead of after.
    Promise.resolve(self.registration.navigationPreload?.enable())
      .then(() => caches.keys())
      .then((names) => Promise.all(names.filter((name) => name.startsWith('workers-home-app-') && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Fresh page when online (preloaded while the worker started); the cached shell when not.
    event.respondWith(
      Promise.resolve(event.preloadResponse)
        .then((preloaded) => preloaded || fetch(request))
        .catch(() => caches.match('/app/', { cacheName: CACHE })),
    );
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)));
});
