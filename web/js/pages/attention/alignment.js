// Alignments as the map draws them (pure functions; Node tests them). The translators read and
// write subword pieces ("▁" starts a word: "▁trabaj" "a"); a map in words merges them as
// pizarra.attention.explain.word_weights does: the weight of output word t on source word s is the
// mean over t's pieces of the weight they put on s's pieces, so each row still sums to 1.

export const MARK = "▁"; // pizarra.data.subwords.MARK
const END = "</s>";

/** [[start, end), …]: the pieces of each word (pizarra.data.subwords.word_spans). */
export function wordSpans(pieces) {
  const spans = [];
  pieces.forEach((piece, i) => {
    if (piece.startsWith(MARK) || !spans.length) spans.push([i, i + 1]);
    else spans[spans.length - 1][1] = i + 1;
  });
  return spans;
}

/** The words that pieces spell (pizarra.data.subwords.join), leaving out a final </s>. */
export function joinPieces(pieces) {
  const written = pieces.filter((piece) => piece !== END);
  return wordSpans(written).map(([a, b]) => written.slice(a, b).join("").replaceAll(MARK, ""));
}

/** For each source piece, whether it belongs to an unknown word (`read`: words' spans and unknown). */
export function unknownPieces(read) {
  return read.spans.flatMap(([a, b], word) => Array(b - a).fill(read.unknown[word]));
}

/** The mean of a matrix's rows a … b-1 (an output word's pieces). */
export function meanRows(matrix, [a, b]) {
  return matrix[a].map((_, j) => {
    let sum = 0;
    for (let i = a; i < b; i += 1) sum += matrix[i][j];
    return sum / (b - a);
  });
}

/** A piece-level matrix (output pieces + </s>) × (source pieces) merged into words: rows averaged
 * over each output word's pieces (the last row, </s>, kept), columns summed over each source word's. */
export function mergeIntoWords(weights, targetSpans, sourceSpans) {
  const rows = [...targetSpans.map((span) => meanRows(weights, span)), weights[weights.length - 1]];
  return rows.map((row) => sourceSpans.map(([a, b]) => row.slice(a, b).reduce((s, w) => s + w, 0)));
}

/** The Transformer's cross-attention of `layer` (layers × heads × rows × columns): one head's, or
 * the mean of its heads when `head` < 0. */
export function crossAttention(heads, layer, head) {
  const chosen = heads[layer];
  if (head >= 0) return chosen[head];
  return chosen[0].map((row, i) =>
    row.map((_, j) => chosen.reduce((s, one) => s + one[i][j], 0) / chosen.length),
  );
}

/** What the map of one variant shows: {matrix, rows, columns} in `units` ("words" | "pieces"), the
 * Transformer's layer and head chosen; null without attention. `read` is the source as read
 * (words, pieces, spans), `out` the variant's translation (words, pieces, spans, weights, heads,
 * word_weights) from pizarra.attention.explain.translations. */
export function alignmentMap(read, out, { units, layer, head }) {
  if (!out.weights) return null;
  // out.weights is the last layer's mean of heads: Python's own numbers, merged by Python too
  const asComputed = !out.heads || (layer === out.heads.length - 1 && head < 0);
  const pieces = asComputed ? out.weights : crossAttention(out.heads, layer, head);
  if (units === "pieces") return { matrix: pieces, rows: [...out.pieces, END], columns: read.pieces };
  const matrix = asComputed ? out.word_weights : mergeIntoWords(pieces, out.spans, read.spans);
  return { matrix, rows: [...out.words, END], columns: read.words };
}
