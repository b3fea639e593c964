// A page's committed JSON files (data/<name>, written by `build.py train`): fetched once per visit
// and shared by every mount of the page; a failed fetch is tried again on the next call.

const DATA = new URL("../data/", import.meta.url);
const cache = new Map();

/** The parsed JSON of data/<name>. */
export function dataJSON(name) {
  if (!cache.has(name)) {
    const loading = fetch(new URL(name, DATA)).then((response) => {
      if (!response.ok) throw new Error(`data/${name}: ${response.status}`);
      return response.json();
    });
    cache.set(name, loading);
    loading.catch(() => cache.delete(name));
  }
  return cache.get(name);
}
