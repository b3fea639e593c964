// The page's words for the error codes pizarra.demos.embeddings answers with.
import { t } from "../../i18n.js";

/** A sentence for an answer's {error, word, suggestions, line, reason, limit}. */
export function errorMessage(error) {
  switch (error.error) {
    case "unknown":
      return error.suggestions?.length
        ? t("emb.error.unknown.suggest", { word: error.word, words: error.suggestions.join(", ") })
        : t("emb.error.unknown", { word: error.word });
    case "format":
      return error.line ? t("emb.error.format.line", { line: error.line, reason: error.reason }) : t("emb.error.format", { reason: error.reason });
    case "too-long":
      return t("emb.error.toolong", { mb: Math.round(error.limit / 1e6) });
    default:
      return t(`emb.error.${error.error}`, { word: error.word ?? "" });
  }
}
