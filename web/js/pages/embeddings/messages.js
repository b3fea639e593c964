// The page's words for the error codes pizarra.demos.embeddings answers with.
import { msg } from "../../i18n.js";

/** The message (it follows the language) for an answer's {error, word, suggestions, line, reason, limit}. */
export function errorMessage(error) {
  switch (error.error) {
    case "unknown":
      return error.suggestions?.length
        ? msg("embeddings.error.unknown.suggest", { word: error.word, words: error.suggestions.join(", ") })
        : msg("embeddings.error.unknown", { word: error.word });
    case "format":
      return error.line
        ? msg("embeddings.error.format.line", { line: error.line, reason: error.reason })
        : msg("embeddings.error.format", { reason: error.reason });
    case "too-long":
      return msg("embeddings.error.toolong", { mb: Math.round(error.limit / 1e6) });
    default:
      return msg(`embeddings.error.${error.error}`, { word: error.word ?? "" });
  }
}
