// Part 5 of the page: the perplexity tables of the corpus in use, word level and character level —
// every n-gram order and smoothing, then RNN, LSTM and GRU (and at word level the LSTM mixed with
// the n-gram), on the same held-out text — each with its reading in one sentence, and where each
// model wins: the test tokens split by how often their context was seen in training (never, rarely,
// often). From build.py train's lm_results.json (recomputed by tests/unit/test_lm_models.py), on
// screen before Python is up; drawn again in a new language (its numbers and words).
import { h } from "../../dom.js";
import { msg, setText, formatNumber, formatPercent, whenRelabelled } from "../../i18n.js";
import { dataJSON } from "../../page-data.js";

const LEVELS = ["word", "char"];
const CELLS = ["rnn", "lstm", "gru"];
const PARTS = ["never", "rarely", "often"];
const TWO_DECIMALS = { maximumFractionDigits: 2, minimumFractionDigits: 2 };
const number = (v) => (v === "Infinity" ? "∞" : formatNumber(v, TWO_DECIMALS));

/** A level's results as lm_results.json has them: "words" per language, characters under "languages". */
export const levelResults = (data, level, language) =>
  (level === "word" ? data.words : data.languages)?.[language];

/**
 * The reading of one level's table: the n-gram with the lowest test perplexity (any smoothing), the
 * network with the lowest, the network's gain over the n-gram (1 - network / n-gram; negative when
 * the n-gram is ahead), the interpolation row if there is one, and the contexts' parts by name.
 */
export function reading(results) {
  const rows = results.table;
  const lowest = (candidates) => candidates.reduce((a, b) => (b.test < a.test ? b : a));
  const ngram = lowest(rows.filter((r) => r.model === "ngram" && r.smoothing !== "none"));
  const network = lowest(rows.filter((r) => r.model === "recurrent"));
  const parts = Object.fromEntries((results.contexts?.parts ?? []).map((p) => [p.part, p]));
  return {
    ngram,
    network,
    gain: 1 - network.test / ngram.test,
    parts,
    interpolation: rows.find((r) => r.model === "interpolation") ?? null,
  };
}

/** mountTableSection(root, {whileMounted, state}) → {show()}: the tables of the corpus in use. */
export function mountTableSection(root, { whileMounted, state }) {
  const views = Object.fromEntries(LEVELS.map((level) => [level, levelView(level)]));
  root.append(
    h(
      "div",
      { class: "level-tables" },
      LEVELS.map((level) => views[level].element),
    ),
  );
  const show = () =>
    whileMounted(dataJSON("lm_results.json")).then(
      (data) =>
        LEVELS.forEach((level) => views[level].show(state.corpus, levelResults(data, level, state.corpus))),
      () => {}, // the counting section says the file is missing
    );
  show();
  return { show };
}

/** One level: its heading, its reading, its perplexity table and the table of where each model wins. */
function levelView(level) {
  const table = h("table", { class: "perplexity-table", dataset: { testid: `perplexity-${level}` } });
  const sentence = h("p", { class: "reading", dataset: { testid: `reading-${level}` } });
  const why = h("p", { class: "reading-why", dataset: { testid: `why-${level}` } });
  const contexts = h("table", { class: "contexts-table", dataset: { testid: `contexts-${level}` } });
  const element = h(
    "div",
    { class: "level-table", dataset: { level } },
    h("h3", { text: msg(`lm.table.level.${level}`) }),
    sentence,
    h("div", { class: "table-scroll" }, table),
    why,
    h("div", { class: "table-scroll" }, contexts),
  );
  let shown = null; // [language, results]

  function render() {
    if (!shown) return;
    const [language, results] = shown;
    if (!results) {
      element.hidden = true;
      return;
    }
    element.hidden = false;
    const read = reading(results);
    drawTable(table, level, language, results, read);
    const name = read.network.cell.toUpperCase();
    setText(sentence, `lm.table.sentence.${read.gain >= 0 ? "lower" : "higher"}`, {
      net: name,
      net_p: number(read.network.test),
      gain: formatPercent(Math.abs(read.gain)),
      n: read.ngram.order,
      ngram_p: number(read.ngram.test),
    });
    drawContexts(contexts, level, results, read);
    const { never, often } = read.parts;
    if (!never) why.replaceChildren();
    else if (level === "char") {
      setText(why, "lm.table.why.char", {
        n: results.contexts.order,
        m: results.contexts.order - 1,
        share: formatPercent(often.share),
        rarely: results.contexts.rarely,
        ngram_p: number(often.ngram),
        net: name,
        net_p: number(often[read.network.cell]),
      });
    } else {
      const wins = never[read.network.cell] < never.ngram;
      setText(why, `lm.table.why.word.${wins ? "network" : "ngram"}`, {
        m: results.contexts.order - 1,
        share: formatPercent(never.share),
        ngram_p: number(never.ngram),
        net: name,
        net_p: number(never[read.network.cell]),
      });
    }
  }
  whenRelabelled(table, render); // the perplexities in the new language's numbers

  return {
    element,
    show(language, results) {
      shown = [language, results];
      render();
    },
  };
}

/** The perplexity table: a row per n-gram order (a column per smoothing), then the networks. */
function drawTable(table, level, language, results, read) {
  const rows = results.table;
  const columns = [
    ["none", false],
    ["add-k", false],
    ["kneser-ney", false],
  ];
  if (level === "word") columns.push(["kneser-ney", true]);
  const find = (order, [smoothing, pruned]) =>
    rows.find(
      (r) =>
        r.model === "ngram" && r.order === order && r.smoothing === smoothing && Boolean(r.pruned) === pruned,
    );
  const head = h(
    "tr",
    {},
    h("th", { scope: "col", text: msg("lm.table.model") }),
    columns.map(([s, pruned]) =>
      h("th", { scope: "col", text: pruned ? msg("lm.table.pruned") : msg(`lm.smoothing.${s}`, { k: "k" }) }),
    ),
  );
  const orders = [...new Set(rows.filter((r) => r.model === "ngram").map((r) => r.order))];
  const body = orders.map((order) =>
    h(
      "tr",
      {},
      h("th", { scope: "row", text: msg("lm.table.ngram", { n: order }) }),
      columns.map((column) => {
        const r = find(order, column);
        if (!r) return h("td", { text: "–" });
        const k =
          r.smoothing === "add-k" ? h("span", { class: "k", text: `k = ${formatNumber(r.k)}` }) : null;
        return h("td", { class: r === read.ngram ? "best" : "" }, number(r.test), k);
      }),
    ),
  );
  for (const cell of CELLS) {
    const r = rows.find((x) => x.model === "recurrent" && x.cell === cell);
    if (!r) continue;
    body.push(
      h(
        "tr",
        { class: "recurrent", dataset: { cell } },
        h("th", { scope: "row", text: cell.toUpperCase() }),
        h("td", { colspan: columns.length, class: r === read.network ? "best" : "", text: number(r.test) }),
      ),
    );
  }
  const mix = read.interpolation;
  if (mix) {
    const lambda = formatNumber(mix.lambda, TWO_DECIMALS);
    body.push(
      h(
        "tr",
        { class: "recurrent", dataset: { cell: "interpolation" } },
        h("th", {
          scope: "row",
          text: msg("lm.table.mix", { net: mix.cell.toUpperCase(), n: mix.order, lambda }),
        }),
        h("td", { colspan: columns.length, text: number(mix.test) }),
      ),
    );
  }
  const count = formatNumber(level === "word" ? results.tokens.test : results.characters.test);
  const caption = msg(`lm.table.caption.${level}`, { corpus: msg(`lm.corpus.${level}.${language}`), count });
  table.replaceChildren(h("caption", { text: caption }), h("thead", {}, head), h("tbody", {}, body));
}

/** Where each model wins: the test tokens by how often their context was seen, each model's perplexity on each part. */
function drawContexts(table, level, results, read) {
  if (!results.contexts) return table.replaceChildren();
  const { order, rarely } = results.contexts;
  const models = [
    ["ngram", msg("lm.table.ngram", { n: order })],
    [read.network.cell, read.network.cell.toUpperCase()],
  ];
  if (read.interpolation && read.parts.never?.interpolation !== undefined)
    models.push(["interpolation", msg("lm.table.mixed")]);
  const head = h(
    "tr",
    {},
    h("th", { scope: "col", text: msg("lm.contexts.seen") }),
    h("th", { scope: "col", text: msg(`lm.contexts.share.${level}`) }),
    models.map(([, label]) => h("th", { scope: "col", text: label })),
  );
  const body = PARTS.filter((part) => read.parts[part]).map((part) => {
    const row = read.parts[part];
    const best = Math.min(row.ngram, row[read.network.cell]);
    return h(
      "tr",
      { dataset: { part } },
      h("th", { scope: "row", text: msg(`lm.contexts.${part}`, { rarely }) }),
      h("td", { text: formatPercent(row.share) }),
      models.map(([key]) => h("td", { class: row[key] === best ? "best" : "", text: number(row[key]) })),
    );
  });
  const caption = msg(`lm.contexts.caption.${level}`, { m: order - 1 });
  table.replaceChildren(h("caption", { text: caption }), h("thead", {}, head), h("tbody", {}, body));
}
