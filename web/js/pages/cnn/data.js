// The digits the page shows and trains on, as build.py prepared them (data/ in the site):
// mnist.json (labels, split, source), mnist-<split>.png sprites of 28×28 tiles, and
// lenet5_mnist.json (the committed model's metrics and test predictions, from build.py train).
// Each file is fetched once per visit and shared by every mount of the page (the JSON files
// through page-data.js).
import { dataJSON } from "../../page-data.js";
import { toBase64 } from "./encoding.js";

const DATA = new URL("../../../data/", import.meta.url);
const loadedSplits = new Set(); // the splits the engine has (emptied when the engine restarts)
const cache = new Map();

function once(key, make) {
  if (!cache.has(key))
    cache.set(
      key,
      make().catch((error) => (cache.delete(key), Promise.reject(error))),
    );
  return cache.get(key);
}

async function fetchOk(name) {
  const response = await fetch(new URL(name, DATA));
  if (!response.ok) throw new Error(`data/${name}: ${response.status}`);
  return response;
}

export const digitsMeta = () => dataJSON("mnist.json");
export const modelReport = () => dataJSON("lenet5_mnist.json");
export const spriteURL = (split) => new URL(`mnist-${split}.png`, DATA).href;

/** Every tile of a split's sprite as 784 uint8 (rows of 28), decoded by the browser. */
export function spriteTiles(split) {
  return once(`tiles-${split}`, async () => {
    const [meta, bitmap] = await Promise.all([
      digitsMeta(),
      fetchOk(`mnist-${split}.png`)
        .then((r) => r.blob())
        .then(createImageBitmap),
    ]);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const { tile, columns } = meta;
    return meta.labels[split].map((_, i) => {
      const pixels = new Uint8Array(tile * tile);
      const x0 = (i % columns) * tile,
        y0 = Math.floor(i / columns) * tile;
      for (let y = 0; y < tile; y++)
        for (let x = 0; x < tile; x++) pixels[y * tile + x] = rgba[((y0 + y) * bitmap.width + x0 + x) * 4];
      return pixels;
    });
  });
}

/**
 * Give the engine a split (its sprite and labels) unless it has it. Only a load that finished
 * counts: a page's engine drops answers after the page unmounts (see page-context.js), so a load
 * still on its way then is made again by the next mount, as is one a `signal` stopped.
 */
export async function loadSplit(engine, split, { signal } = {}) {
  if (loadedSplits.generation !== engine.generation) {
    loadedSplits.clear(); // a restarted engine has none of them
    loadedSplits.generation = engine.generation;
  }
  if (loadedSplits.has(split)) return;
  const [meta, bytes] = await Promise.all([
    digitsMeta(),
    fetchOk(`mnist-${split}.png`).then((r) => r.arrayBuffer()),
  ]);
  await engine.call(
    "cnn_load_data",
    { split, png: toBase64(new Uint8Array(bytes)), labels: meta.labels[split] },
    { signal },
  );
  loadedSplits.add(split);
}
