// Imported first by main.js: Python starts loading before the rest of the page's modules run.
import { Engine } from "./bridge.js";

export const engine = new Engine(new URL("./worker.js", import.meta.url));
window.pizarra = engine;
engine.start();
