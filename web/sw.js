// Offline: after the first visit this service worker serves the whole site from its cache.
// build.py writes the build id below; a new build is a new cache, and the old one is deleted.
// It also adds to the page and to the engine's worker script the headers a static host may not
// send: cross-origin isolation (so the page can stop running Python, see js/engine/interrupt.js)
// and the content policy, the worker's own (a page's <meta> does not reach a worker). build.py
// writes both policies from index.html's <meta>; see docs/ARCHITECTURE.md, "Start-up, stopping
// and the content policy".
const BUILD = "__BUILD_ID__";
const CACHE = `pizarra-${BUILD}`;
const PAGE_POLICY = "__PAGE_POLICY__";
const WORKER_POLICY = "__WORKER_POLICY__";
const WORKER_SCRIPT = new URL("js/engine/worker.js", self.location).pathname;
const NO_BODY = [101, 204, 205, 304];

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
      for (const key of await caches.keys())
        if (key.startsWith("pizarra-") && key !== CACHE) await caches.delete(key);
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
      const cached = await cache.match(request, {
        ignoreSearch: request.mode === "navigate",
        ignoreMethod: true,
      });
      const response = cached || (await fetch(request));
      if (request.mode === "navigate") return withHeaders(response, PAGE_POLICY);
      if (new URL(request.url).pathname === WORKER_SCRIPT) return withHeaders(response, WORKER_POLICY);
      return response; // same-origin files need no headers under isolation, and stay as cached
    })(),
  );
});

/** The response with cross-origin isolation and `policy`, unless the host sent a policy itself. */
function withHeaders(response, policy) {
  if (response.type !== "basic" && response.type !== "default") return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", policy);
  const body = NO_BODY.includes(response.status) ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
