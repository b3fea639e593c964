// Offline: after the first visit this service worker serves the site's pages from its cache.
// build.py writes the build id below; a new build is a new cache, and the old one is deleted.
// The notebook app (lite/, build.json's "lite" files) is kept once it has been opened: its files as
// they are asked for, then the rest in the background, one at a time.
// It also adds to the pages and to the workers that run Python the headers a static host may not
// send: cross-origin isolation (so the page can stop running Python, see js/engine/interrupt.js) and
// the content policy — the worker's own (a page's <meta> does not reach a worker), and the notebook
// app's. The notebook app is not isolated: isolated, its kernel reaches the app's files through
// Atomics.wait, a bridge that left the kernel waiting forever now and then (docs/ARCHITECTURE.md). build.py writes the policies from
// index.html's <meta>; see docs/ARCHITECTURE.md, "Start-up, stopping and the content policy".
const BUILD = "__BUILD_ID__";
const CACHE = `pizarra-${BUILD}`;
const PAGE_POLICY = "__PAGE_POLICY__";
const WORKER_POLICY = "__WORKER_POLICY__";
const LITE_POLICY = "__LITE_POLICY__";
const WORKER_SCRIPT = new URL("js/engine/worker.js", self.location).pathname;
const LITE = new URL("lite/", self.location).pathname;
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
  const path = new URL(request.url).pathname;
  const lite = path.startsWith(LITE);
  if (lite && request.mode === "navigate") event.waitUntil(keepNotebookApp());
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // Navigations carry the page state after "#" and options after "?": the shell is one file.
      // The notebook app adds "?" to its files' addresses only to defeat stale caches: each is one file.
      // HEAD (the engine's check that its files exist) is answered from the cached GET.
      const cached = await cache.match(request, {
        ignoreSearch: request.mode === "navigate" || lite,
        ignoreMethod: true,
      });
      // The app's files are asked past the browser's HTTP cache, which may hold a previous build's
      // (several have no version in their name); its page itself is kept by keepNotebookApp.
      const kept = lite && request.mode !== "navigate" && (await notebookAppFiles()).has(path);
      const response = cached || (await fetch(request, kept ? { cache: "no-cache" } : undefined));
      if (!cached && kept && request.method === "GET" && response.ok) {
        event.waitUntil(cache.put(path, response.clone()));
      }
      if (lite && (request.mode === "navigate" || request.destination === "worker")) {
        return withHeaders(response, LITE_POLICY, { isolated: false });
      }
      if (request.mode === "navigate") return withHeaders(response, PAGE_POLICY);
      if (path === WORKER_SCRIPT) return withHeaders(response, WORKER_POLICY);
      return response; // same-origin files need no headers under isolation, and stay as cached
    })(),
  );
});

let appFiles = null;
/** The paths of the notebook app's files (build.json's "lite": the app, and its kernel's packages). */
function notebookAppFiles() {
  appFiles ??= caches.match(new URL("build.json", self.location)).then(async (cached) => {
    const manifest = await (cached || (await fetch(new URL("build.json", self.location)))).json();
    return new Set(manifest.lite.map((file) => new URL(file, self.location).pathname));
  });
  appFiles.catch(() => (appFiles = null));
  return appFiles;
}

let keeping = null;
/** Keep every file of the notebook app, one at a time, so that it also works offline; one such
 * round at a time, however many tabs open the app. */
function keepNotebookApp() {
  keeping ??= (async () => {
    const cache = await caches.open(CACHE);
    for (const path of await notebookAppFiles()) {
      if (!(await cache.match(path))) await cache.add(new Request(path, { cache: "no-cache" }));
    }
  })().finally(() => (keeping = null));
  return keeping;
}

/** The response with `policy`, unless the host sent a policy itself, and with cross-origin
 * isolation or, `isolated: false`, without it even where the host sent it. */
function withHeaders(response, policy, { isolated = true } = {}) {
  if (response.type !== "basic" && response.type !== "default") return response;
  const headers = new Headers(response.headers);
  if (isolated) {
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  } else {
    headers.delete("Cross-Origin-Opener-Policy");
    headers.delete("Cross-Origin-Embedder-Policy");
  }
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", policy);
  const body = NO_BODY.includes(response.status) ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
