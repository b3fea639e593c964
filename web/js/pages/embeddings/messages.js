// The page's words for the error codes pizarra.demos.embeddings answers with.
import { msg, formatNumber } from "../../i18n.js";

const FILE_NUMBERS = ["line", "expected", "found", "declared", "dim", "limit", "words"];

/** A format error's numbers, each written in the language in use. */
function numbers(error) {
  const present = FILE_NUMBERS.filter((name) => typeof error[name] === "number");
  return Object.fromEntries(present.map((name) => [name, () => formatNumber(error[name])]));
}

/** The message (it follows the language) for an answer's {error, word, suggestions, code, line, limit, …}. */
export function errorMessage(error) {
  switch (error.error) {
    case "unknown":
      return error.suggestions?.length
        ? msg("embeddings.error.unknown.suggest", { word: error.word, words: error.suggestions.join(", ") })
        : msg("embeddings.error.unknown", { word: error.word });
    case "format": // a vectors file: pizarra.embeddings.storage.FormatError's code and numbers
      return msg("embeddings.error.format", {
        reason: msg(`embeddings.error.format.${error.code}`, numbers(error)),
      });
    case "too-long":
      return msg("embeddings.error.toolong", { mb: Math.round(error.limit / 1e6) });
    default:
      return msg(`embeddings.error.${error.error}`, { word: error.word ?? "" });
  }
}
