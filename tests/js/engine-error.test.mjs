// The wording of an engine call that did not answer (web/js/ui/engine-error.js, with the bridge's
// engineError), node --test with the real message catalogues: a refusal is a sentence in the
// user's language naming the argument, its limit and at most the value Python echoed; anything
// unexpected says only that something went wrong, its Python text kept for the details toggle.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// i18n.js fetches its catalogues and relabels the document: here they are files, and no page.
globalThis.fetch = async (url) => ({
  ok: true,
  json: async () => JSON.parse(readFileSync(fileURLToPath(url), "utf8")),
});
globalThis.document = { documentElement: {}, querySelectorAll: () => [] };

const { setLanguage, useMessages } = await import("../../web/js/i18n.js");
const { engineError, EngineError } = await import("../../web/js/engine/bridge.js");
const { failureMessage } = await import("../../web/js/ui/engine-error.js");

const refused = (refusal, fn) =>
  engineError({ refused: { field: null, limit: null, value: null, ...refusal } }, fn);
const say = async (language, error) => {
  await setLanguage(language);
  return String(failureMessage(error));
};

before(async () => {
  await useMessages("cnn");
  await useMessages("backprop");
});

test("a refusal names the argument in the page's words, what it must be, and the value given", async () => {
  const drawing = refused(
    { code: "bad-format", field: "drawing", limit: "base64", value: "!!!!" },
    "cnn_predict",
  );
  assert.equal(drawing.code, "refused");
  assert.equal(await say("en", drawing), "The drawing: not base64 text. Given: “!!!!”.");
  assert.equal(await say("es", drawing), "El dibujo: no es texto en base64. Recibido: “!!!!”.");
  const type = refused({ code: "wrong-type", field: "drawing", limit: "text", value: "5" }, "cnn_predict");
  assert.equal(await say("en", type), "The drawing: must be text. Given: “5”.");
  const long = refused(
    { code: "too-long", field: "expression_text", limit: 1000, value: "x".repeat(79) + "…" },
    "backprop_graph",
  );
  assert.equal(await say("en", long), "The expression: too long; at most 1,000 characters.");
  assert.equal(await say("es", long), "La expresión: demasiado texto; como mucho 1000 caracteres.");
});

test("an argument its page does not word is named as it is called; bounds are numbers of the language", async () => {
  const steps = refused(
    { code: "out-of-range", field: "steps", limit: [0, 5000], value: "1000000000" },
    "backprop_lab_train",
  );
  assert.equal(await say("en", steps), "“steps”: must be between 0 and 5,000. Given: “1000000000”.");
  const choice = refused(
    { code: "not-a-choice", field: "split", limit: ["train", "validation", "test"], value: "x" },
    "cnn_evaluate",
  );
  assert.equal(await say("en", choice), "“split”: must be one of “train”, “validation”, “test”. Given: “x”.");
  const first = refused({ code: "needs-first", limit: "backprop_lab_start" }, "backprop_lab_train");
  assert.match(
    await say("es", first),
    /^Python aún no tiene lo que esto necesita \(lo prepara backprop_lab_start\)/,
  );
});

test("every code, kind and form of the door has its words in both languages", async () => {
  const python = (name) =>
    readFileSync(new URL(`../../pysrc/pizarra/demos/${name}`, import.meta.url), "utf8");
  const tuple = (name) =>
    [
      ...python("door.py")
        .match(new RegExp(`^${name} = \\(([^)]*)\\)`, "m"))[1]
        .matchAll(/"([\w-]+)"/g),
    ].map((m) => m[1]);
  const codes = tuple("CODES"),
    kinds = tuple("KINDS");
  // the forms: door.FORMS, and those the functions name when they refuse a value's form
  const forms = [...python("door.py").matchAll(/^\s+"([\w-]+)": re\.compile/gm)].map((m) => m[1]);
  for (const name of ["engine.py", "backprop.py", "cnn.py", "embeddings.py", "lm.py", "attention.py"])
    forms.push(...[...python(name).matchAll(/Refused\("bad-format", [^,]+, "([\w-]+)"/g)].map((m) => m[1]));
  assert.ok(codes.length >= 10 && kinds.length >= 5 && forms.length >= 5, `${codes} ${kinds} ${forms}`);
  const cases = [
    ...codes.map((code) => ({
      code,
      limit: code === "wrong-type" ? "text" : code === "bad-format" ? "base64" : 1,
    })),
    ...kinds.map((kind) => ({ code: "wrong-type", limit: kind })),
    ...forms.map((form) => ({ code: "bad-format", limit: form })),
  ];
  for (const language of ["es", "en"]) {
    for (const refusal of cases) {
      const sentence = await say(language, refused({ field: "x", ...refusal }, "cnn_predict"));
      assert.ok(
        !/refused\.|\{|failed/.test(sentence) &&
          sentence !== String(await say(language, engineError({ failed: {} }))),
        `${language} ${JSON.stringify(refusal)}: ${sentence}`,
      );
    }
  }
});

test("an unexpected failure says only that something went wrong; Python's words stay in the details", async () => {
  const failed = engineError(
    { failed: { message: "ValueError: the value of x", details: "Traceback …\nValueError: the value of x" } },
    "backprop_graph",
  );
  assert.equal(failed.code, "failed");
  assert.equal(failed.details, "Traceback …\nValueError: the value of x");
  for (const language of ["es", "en"]) {
    const sentence = await say(language, failed);
    assert.ok(!/Error|Traceback|value of x/.test(sentence), sentence);
  }
  assert.equal(await say("en", failed), "Something went wrong in Python.");
  assert.equal(
    await say("en", new TypeError("data/mnist-train.png: 404")),
    "Something went wrong in the page.",
  );
  assert.equal(
    await say("en", new EngineError("timeout", "No answer", { timeoutMs: 120_000 })),
    "Python did not answer within 120 s.",
  );
});

test("the console still reads what was refused, in a few words", () => {
  const error = refused(
    { code: "too-long", field: "expression_text", limit: 1000, value: "x".repeat(79) + "…" },
    "backprop_graph",
  );
  assert.ok(
    error.message.length < 200 &&
      error.message.includes("too-long") &&
      error.message.includes("expression_text"),
    error.message,
  );
});

test("a page's own sentence around error.message says what the door refused, in the language in use", async () => {
  const { msg } = await import("../../web/js/i18n.js");
  const { inUserWords, failureDetails } = await import("../../web/js/ui/engine-error.js");
  const error = inUserWords(
    refused({ code: "too-long", field: "prompt", limit: 200, value: "x".repeat(79) + "…" }, "lm_generate"),
  );
  const sentence = msg("notebook.failed", { message: error.message }); // as the lm page words its failures
  await setLanguage("en");
  assert.equal(
    String(sentence),
    "Could not prepare the notebook: The prompt: too long; at most 200 characters.",
  );
  await setLanguage("es");
  assert.equal(
    String(sentence),
    "No se pudo preparar el cuaderno: El comienzo: demasiado texto; como mucho 200 caracteres.",
  );
  assert.ok(error.english.includes("too-long") && error.refusal.code === "too-long"); // the console's words stay
  assert.equal(inUserWords(error), error);
  assert.equal(failureDetails(msg("notebook.failed", { message: "typed by the page" })), null);
  const failed = inUserWords(
    engineError({ failed: { message: "ValueError: x", details: "Traceback …" } }, "lm_counts"),
  );
  assert.equal(String(failed.message), "Algo salió mal en Python.");
  assert.equal(failed.message.failure, failed); // failureDetails finds it in a notice that quotes it
  const plain = new TypeError("a browser error");
  assert.equal(inUserWords(plain).message, "a browser error");
});
