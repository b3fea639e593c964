// Offline: after the first visit this service worker serves the whole site from its cache.
// build.py writes the build id below; a new build is a new cache, and the old one is deleted.
const BUILD = "__BUILD_ID__";
const CACHE = `pizarra-${BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const manifest = await (await fetch("build.json", { cache: "no-cache" })).json();
      const cache = await caches.open(CACHE);
      await cache.addAll(["./", "build.json", ...manifest.files]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith("pizarra-") && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (!["GET", "HEAD"].includes(request.method) || new URL(request.url).origin !== location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // Navigations carry the page state after "#" and options after "?": the shell is one file.
      // HEAD (the engine's check that its files exist) is answered from the cached GET.
      const cached = await cache.match(request, { ignoreSearch: request.mode === "navigate", ignoreMethod: true });
      return cached || fetch(request);
    })(),
  );
});
