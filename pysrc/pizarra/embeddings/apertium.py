"""The Spanish–English word-form dictionary behind the mapped Spanish vectors, derived from Debian's
``apertium-eng-spa`` 0.8.1-2 (GPL-2; © Universitat d'Alacant, Generalitat de Catalunya, Universitat
Pompeu Fabra, Universitat Politècnica de Catalunya, Jimmy O'Regan, Paul Breen). Debian-only, so
it is run by hand and its output is committed (``embeddings_dictionary_es_en.tsv``); the build
only reads that file::

    apt-get download apertium-eng-spa && dpkg-deb -x apertium-eng-spa_0.8.1-2_all.deb x
    python -m pizarra.embeddings.apertium x/usr/share/apertium/apertium-eng-spa \\
        pysrc/pizarra/weights/embeddings_dictionary_es_en.tsv

(``lt-print`` and ``lt-proc`` come from Debian's ``lttoolbox``.) Steps:

1. Every Spanish entry of the Spanish→English bilingual dictionary (``spa-eng.autobil.bin``, dumped
   with ``lt-print`` and walked by :func:`att_inputs`) whose lemma is one word: lemma and tags,
   e.g. ``rey<n><f>`` (the bilingual dictionary writes "queen" as the feminine of "rey").
2. Its word forms (:data:`FORMS`): nouns singular and plural, adjectives masculine singular (or
   singular of both genders: ``feliz<adj><mf><sg>``; Apertium knows each adjective by one), verbs
   infinitive, present and preterite 3rd person singular, gerund and participle; place names and
   other proper nouns (not first names and surnames) and the other parts of speech as they are. A noun's gender, when the bilingual entry leaves it out, is the lemma's own
   (Spanish analyser, ``spa-eng.automorf.bin``).
3. Each Spanish form's English translations, in the order ``lt-proc -b`` lists them (the first
   is the one Apertium's translator uses when no lexical-selection rule applies), and the
   surface forms of both sides from Apertium's generators (``eng-spa.autogen.bin`` writes Spanish,
   ``spa-eng.autogen.bin`` English): ``rey<n><f><pl>`` → "reinas" ↔ "queens",
   ``comer<vblex><ifi><p3><sg>`` → "comió" ↔ "ate".

The output has one line per Spanish form: ``spanish  lemma  form  english`` (tab-separated;
``english`` lists the translations, default first, separated by ``|``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

# Spanish form name → (Spanish tags after the lemma's part of speech and gender, English tag strings
# to try in order after the English part of speech). "{g}" is the noun's gender.
FORMS = {
    "n": [("n.sg", "<{g}><sg>", ["<sg>"]), ("n.pl", "<{g}><pl>", ["<pl>"])],
    "adj": [("adj", "<m><sg>", ["<sint>", ""]), ("adj", "<mf><sg>", ["<sint>", ""])],
    "verb": [
        ("v.inf", "<inf>", ["<inf>"]),
        ("v.pres.3sg", "<pri><p3><sg>", ["<pri><p3><sg>"]),
        ("v.past.3sg", "<ifi><p3><sg>", ["<past><p3><sg>", "<past>"]),
        ("v.ger", "<ger>", ["<ger>"]),
        ("v.part", "<pp><m><sg>", ["<pp>"]),
    ],
}
VERBS = ("vblex", "vbser", "vbhaver", "vbmod")
AS_THEY_ARE = ("adv", "pr", "num", "det", "prn", "cnjcoo", "cnjsub", "cnjadv", "np", "ij")
_ANALYSIS = re.compile(r"([^<]+)((?:<[^<>]+>)*)$")
_WORD = re.compile(r"[^\W\d_]+(?:['·-][^\W\d_]+)*$")


def att_inputs(att: str, limit: int = 2_000_000) -> list[str]:
    """The input strings of an ``lt-print`` dump (AT&T format: ``from to input output weight`` per
    arc, a lone state number per final state, ``--`` between sections), each path walked once
    without revisiting a state; ``ε`` is the empty symbol."""
    found = []
    for section in att.split("\n--\n"):
        arcs, finals = defaultdict(list), set()
        for line in section.splitlines():
            fields = line.split("\t")
            if len(fields) >= 4:
                arcs[int(fields[0])].append((int(fields[1]), "" if fields[2] == "ε" else fields[2]))
            elif fields[0].strip():
                finals.add(int(fields[0]))
        stack = [(0, "", frozenset([0]))]
        while stack and len(found) < limit:
            state, text, seen = stack.pop()
            if state in finals:
                found.append(text)
            stack.extend(
                (target, text + symbol, seen | {target})
                for target, symbol in arcs[state]
                if target not in seen
            )
    return found


def split_analysis(analysis: str) -> tuple[str, list[str]] | None:
    """``"rey<n><f>"`` → ``("rey", ["n", "f"])``; None if it is not lemma-then-tags."""
    match = _ANALYSIS.match(analysis)
    return (match.group(1), re.findall(r"<([^<>]+)>", match.group(2))) if match else None


def lt_proc(flags: list[str], transducer: Path, lines: list[str]) -> list[str]:
    """``lt-proc`` on one stream unit per line (its answers, line for line)."""
    out = subprocess.run(
        ["lt-proc", *flags, str(transducer)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return out[: len(lines)]


def alternatives(answer: str) -> list[str]:
    """The analyses in an ``lt-proc`` answer ``^input/first/second$`` (none if unknown: ``@`` or ``*``)."""
    parts = answer.strip().strip("^$").split("/")[1:]
    return [p for p in parts if p and p[0] not in "@*#"]


def spanish_entries(folder: Path) -> list[tuple[str, list[str]]]:
    """The one-word Spanish lemmas of the bilingual dictionary with their tags, each once."""
    att = subprocess.run(
        ["lt-print", str(folder / "spa-eng.autobil.bin")], capture_output=True, text=True, check=True
    ).stdout
    entries = {}
    for text in att_inputs(att):
        parsed = split_analysis(text)
        if parsed and parsed[1] and _WORD.match(parsed[0]):
            entries.setdefault(text, parsed)
    return list(entries.values())


def noun_genders(folder: Path, lemmas: list[str]) -> dict[str, list[str]]:
    """Each noun lemma's own gender(s) by the Spanish analyser (``m``, ``f`` or ``mf``)."""
    answers = lt_proc([], folder / "spa-eng.automorf.bin", lemmas)
    genders = {}
    for lemma, answer in zip(lemmas, answers):
        found = []
        for reading in alternatives(answer):
            parsed = split_analysis(reading)
            if (
                parsed
                and parsed[0] == lemma
                and parsed[1][:1] == ["n"]
                and len(parsed[1]) > 1
                and parsed[1][1] in ("m", "f", "mf")
            ):
                found.append(parsed[1][1])
        genders[lemma] = sorted(set(found))
    return genders


def spanish_analyses(folder: Path, entries) -> list[tuple[str, str, str, list[str]]]:
    """``(lemma, form, Spanish analysis, English tag strings to try)`` for every form of every entry."""
    genders = noun_genders(folder, sorted({lemma for lemma, tags in entries if tags[0] == "n"}))
    out = []
    for lemma, tags in entries:
        pos = tags[0]
        if pos == "n":
            given = [t for t in tags[1:2] if t in ("m", "f", "mf")]
            for gender in given or genders.get(lemma, []):
                out += [
                    (lemma, form, f"{lemma}<n><{gender}>" + es.replace("<{g}>", ""), en)
                    for form, es, en in FORMS["n"]
                ]
        elif pos == "adj":
            out += [(lemma, form, f"{lemma}<adj>{es}", en) for form, es, en in FORMS["adj"]]
        elif pos in VERBS:
            out += [(lemma, form, f"{lemma}<{pos}>{es}", en) for form, es, en in FORMS["verb"]]
        elif pos == "np" and tags[1:2] in (["loc"], ["al"]):
            out.append((lemma, f"np.{tags[1]}", f"{lemma}<{'><'.join(tags)}>", [""]))
        elif pos in AS_THEY_ARE and pos != "np":
            out.append((lemma, pos, f"{lemma}<{'><'.join(tags)}>", [""]))
    return sorted(set((a, b, c, tuple(d)) for a, b, c, d in out))


def english_request(translation: str, tag_strings) -> list[str]:
    """Generator requests for one English translation (``queen<n><sg>``): its lemma and part of
    speech followed by each tag string to try; ``as they are`` forms are their lemma."""
    parsed = split_analysis(translation)
    if not parsed or not parsed[1]:
        return []
    lemma, tags = parsed
    if tag_strings == ("",):
        return [lemma]
    return [f"^{lemma}<{tags[0]}>{t}$" for t in tag_strings]


def derive(folder: Path) -> list[tuple[str, str, str, str]]:
    """``(spanish, lemma, form, english)`` rows (see the module's docstring)."""
    analyses = spanish_analyses(folder, spanish_entries(folder))
    spanish = lt_proc(["-g"], folder / "eng-spa.autogen.bin", [f"^{a}$" for _, _, a, _ in analyses])
    translations = lt_proc(["-b"], folder / "spa-eng.autobil.bin", [f"^{a}$" for _, _, a, _ in analyses])
    requests = sorted(
        {
            r
            for (_, _, _, tags), answer in zip(analyses, translations)
            for t in alternatives(answer)
            for r in english_request(t, tags)
            if r.startswith("^")
        }
    )
    english = dict(zip(requests, lt_proc(["-g"], folder / "spa-eng.autogen.bin", requests)))
    rows = []
    for (lemma, form, _, tags), surface, answer in zip(analyses, spanish, translations):
        surface = lemma if form.split(".")[0] in AS_THEY_ARE else surface.strip()
        if not _WORD.match(surface):
            continue
        words = []
        for translation in alternatives(answer):
            for request in english_request(translation, tags):
                word = english.get(request, request).strip()
                if _WORD.match(word):
                    words.append(word)
                    break
        words = list(dict.fromkeys(words))
        if words:
            rows.append((surface, lemma, form, "|".join(words)))
    return sorted(set(rows), key=lambda row: (row[0].lower(), row))


HEADER = (
    "# Spanish word forms and their English translations (default first), derived by "
    "pizarra.embeddings.apertium from Debian's apertium-eng-spa 0.8.1-2 (GPL-2). Columns: spanish, lemma, form, english."
)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Derive the Spanish–English word-form dictionary from apertium-eng-spa."
    )
    parser.add_argument("folder", type=Path, help="the package's usr/share/apertium/apertium-eng-spa")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    rows = derive(args.folder)
    args.out.write_text(HEADER + "\n" + "".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} Spanish forms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
