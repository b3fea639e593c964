// ESLint for the front end and its Node scripts and tests (`python3 build.py test` runs it: tests/test_style.py).
// Formatting is Prettier's (`python3 build.py fmt`); this finds bugs: undefined names, unused variables, …
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "dist/", "build/", ".venv*/"] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: globals.browser },
    rules: { "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }] },
  },
  {
    files: ["web/js/engine/worker.js", "web/js/engine/boot.js"],
    languageOptions: { globals: globals.worker },
  },
  { files: ["web/sw.js"], languageOptions: { globals: globals.serviceworker } },
  { files: ["**/*.mjs"], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
];
