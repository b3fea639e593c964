"""The Language-models page as a notebook: the bigram table of the counting corpus, the sparsity
question and its smoothings, the n-gram and the recurrent model writing side by side, what the
recurrent model computed inside, the model trained on the page (as its weights), and the held-out
perplexities of the table."""

from __future__ import annotations

from . import Notebook

CELL_FORMULAS = {
    "rnn": (r"$h_t = \tanh(b + W h_{t-1} + U e_t)$"),
    "lstm": (
        r"$f_t = \sigma(W_f [h_{t-1}, e_t] + b_f)$, $i_t = \sigma(W_i [h_{t-1}, e_t] + b_i)$, "
        r"$\tilde C_t = \tanh(W_C [h_{t-1}, e_t] + b_C)$, $C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t$, "
        r"$o_t = \sigma(W_o [h_{t-1}, e_t] + b_o)$, $h_t = o_t \odot \tanh(C_t)$"
    ),
    "gru": (
        r"$r_t = \sigma(U_r e_t + W_r h_{t-1} + b_r)$, $z_t = \sigma(U_z e_t + W_z h_{t-1} + b_z)$, "
        r"$n_t = \tanh(U_n e_t + b_n + r_t \odot (W_n h_{t-1} + b'_n))$, $h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$"
    ),
}
INSIDE_NAMES = {
    "h": ("el estado oculto $h_t$", "the hidden state $h_t$"),
    "c": ("la celda $C_t$", "the cell $C_t$"),
    "f": ("la puerta de olvido $f_t$", "the forget gate $f_t$"),
    "i": ("la puerta de entrada $i_t$", "the input gate $i_t$"),
    "g": (r"el candidato $\tilde C_t$", r"the candidate $\tilde C_t$"),
    "o": ("la puerta de salida $o_t$", "the output gate $o_t$"),
    "r": ("la puerta de reinicio $r_t$", "the reset gate $r_t$"),
    "z": ("la puerta de actualización $z_t$", "the update gate $z_t$"),
    "n": ("el candidato $n_t$", "the candidate $n_t$"),
}
CORPORA = {
    "en": ("Shakespeare (inglés)", "Shakespeare (English)"),
    "es": ("Wikipedia en español", "Spanish Wikipedia"),
    "text": ("el texto que pegaste", "the text you pasted"),
}
WORD_CORPORA = {
    "en": (
        "los discursos del Estado de la Unión (1790–2021), partidos por fecha",
        "the State of the Union addresses (1790–2021), split by date",
    ),
    "es": (
        "artículos de Wikipedia, discursos del Congreso y la Biblia Reina-Valera",
        "Wikipedia articles, speeches of the Spanish Congress and the Reina-Valera Bible",
    ),
}
# How each level's text is named in the prose: (Spanish singular, plural; English singular, plural).
UNITS = {
    "char": ("carácter", "caracteres", "character", "characters"),
    "word": ("palabra", "palabras", "word", "words"),
}


def _decimal(value: float, language: str) -> str:
    """A number as the language writes it in prose (Spanish: decimal comma)."""
    text = f"{value:g}"
    return text.replace(".", ",") if language == "es" else text


def build(
    notebook: Notebook,
    text: str | None,
    sparsity: dict | None,
    generation: dict,
    show: str,
    live: dict | None,
) -> None:
    """Cells for the page's state: ``text`` (the counting corpus), ``sparsity`` (``lm_sparsity``'s
    arguments), ``generation`` (``lm_generate``'s), ``show`` (what is drawn inside the recurrent
    model) and ``live`` (the model trained on the page: ``npz``, its .npz file, ``config``, ``step``,
    ``sample``), each section left out when it is ``None``."""
    notebook.markdown(
        "## Las herramientas\n\n`pizarra.lm` tiene los dos tipos de modelo de la página: los n-gramas, que cuentan, "
        "y las redes recurrentes (RNN, LSTM, GRU) hechas con `pizarra.nn`; `pizarra.lm.reading` los hace leer y "
        "escribir un símbolo cada vez.",
        "## The tools\n\n`pizarra.lm` has the page's two kinds of model: n-grams, which count, and the recurrent "
        "networks (RNN, LSTM, GRU) built with `pizarra.nn`; `pizarra.lm.reading` makes them read and write one "
        "symbol at a time.",
    )
    notebook.code(
        "import math\n\nimport numpy as np\n\nfrom pizarra.data import assets\nfrom pizarra.data.text import words\n"
        "from pizarra.lm import NGramModel, corpus, models, word_corpus\n"
        "from pizarra.lm.ngram import bigram_table\n"
        "from pizarra.lm.reading import NGramReader, RecurrentReader, write"
    )
    sections = [lambda n: _counting(notebook, n, text)] if text is not None else []
    sections += [lambda n: _sparsity(notebook, n, sparsity)] if sparsity is not None else []
    level = generation.get("level", "char")
    sections += [
        lambda n: _side_by_side(notebook, n, generation),
        lambda n: _inside(notebook, n, generation["cell"], show, level),
    ]
    sections += [lambda n: _live(notebook, n, live)] if live is not None else []
    sections += [lambda n: _perplexity(notebook, n, level)]
    for number, section in enumerate(sections, start=1):
        section(number)
    parts = [
        (
            "counting",
            "{'rows': table['rows'], 'columns': table['columns'], 'counts': table['counts'],\n"
            "              'probabilities': table['probabilities'], 'row_totals': table['row_totals']}",
        )
        if text is not None
        else ("counting", "None"),
        (
            "sparsity",
            "{'context': list(u), 'word': w, 'ngram_count': ngram_count, 'context_count': context_count,\n"
            "              'probabilities': {s: m.prob(w, u) for s, m in smoothed.items()}}",
        )
        if sparsity is not None
        else ("sparsity", "None"),
        (
            "generation",
            "{'prompt': vocab.decode(vocab.encode(prompt_tokens)),\n"
            "                **{name: {'tokens': [t for t, _ in steps], 'p': [p for _, p in steps]} for name, steps in written.items()}}",
        ),
        (
            "inside",
            "{'what': what, 'steps': values.shape[0], 'units': values.shape[1], 'scale': scale,\n"
            "            'unit_0': values[:, 0].tolist()}",
        ),
        (
            "live",
            "{'step': live_step, 'tokens': [t for t, _ in sample], 'p': [p for _, p in sample]}"
            if live
            else "None",
        ),
        ("perplexity", "{'ngram': ngram_perplexity, 'rnn': rnn_perplexity}"),
    ]
    notebook.result(
        "## Lo que mostró la página\n\nLos números de cada sección de arriba, con todas sus cifras: los conteos, "
        "las probabilidades, el texto de cada modelo con la probabilidad de cada símbolo elegido y las "
        "perplejidades; `None` donde la página no mostraba esa sección.",
        "## What the page showed\n\nThe numbers of each section above, with all their digits: the counts, the "
        "probabilities, each model's text with the probability of every chosen symbol and the perplexities; "
        "`None` where the page did not show that section.",
        "{\n" + "".join(f"    {key!r}: {value},\n" for key, value in parts) + "}",
    )


def _counting(notebook: Notebook, n: int, text: str) -> None:
    say = notebook.say
    notebook.markdown(
        f"## {n}. Contar bigramas\n\n"
        "Un modelo de lenguaje da $p(x_1 \\ldots x_T) = \\prod_t p(x_t \\mid x_{<t})$; un bigrama se queda solo con "
        "la palabra anterior y estima cada probabilidad contando:\n\n"
        "$$P(w_i \\mid w_{i-1}) = \\frac{c(w_{i-1}, w_i)}{c(w_{i-1})}$$\n\n"
        "Cada oración (una por línea) empieza con `<s>` y termina con `</s>`, que el modelo predice como cualquier palabra.",
        f"## {n}. Counting bigrams\n\n"
        "A language model gives $p(x_1 \\ldots x_T) = \\prod_t p(x_t \\mid x_{<t})$; a bigram keeps only the previous "
        "word and estimates each probability by counting:\n\n"
        "$$P(w_i \\mid w_{i-1}) = \\frac{c(w_{i-1}, w_i)}{c(w_{i-1})}$$\n\n"
        "Each sentence (one per line) starts with `<s>` and ends with `</s>`, which the model predicts like any word.",
    )
    notebook.code(
        "from collections import Counter\n\n"
        f"corpus_text = {text!r}\n"
        f"# {say('una oración por línea, partida en palabras (sin pasar a minúsculas)', 'one sentence per line, split into words (case kept)')}\n"
        "sentences = [s for s in (words(line, lower=False) for line in corpus_text.splitlines()) if s]\n\n"
        "bigrams, contexts = Counter(), Counter()\n"
        "for sentence in sentences:\n"
        "    padded = ['<s>'] + sentence + ['</s>']\n"
        "    for previous, word in zip(padded, padded[1:]):\n"
        "        bigrams[previous, word] += 1\n"
        "        contexts[previous] += 1\n\n"
        "for (previous, word), c in list(bigrams.items())[:20]:\n"
        "    print(f'P({word} | {previous}) = {c}/{contexts[previous]} = {c / contexts[previous]:.3f}')"
    )
    notebook.markdown(
        "La tabla de la página es `bigram_table`: el mismo conteo con `NGramModel(2)`, con filas `<s>` y las "
        "palabras (como mucho las 14 más frecuentes) y columnas las palabras y `</s>`. La última comprobación "
        "dice que coincide con nuestro conteo a mano.",
        "The page's table is `bigram_table`: the same count with `NGramModel(2)`, with rows `<s>` and the words "
        "(at most the 14 most frequent) and columns the words and `</s>`. The last check says it agrees with our "
        "count by hand.",
    )
    notebook.code(
        "table = bigram_table(sentences, max_tokens=14)\n"
        "width = max(6, *(len(t) + 2 for t in table['rows'] + table['columns']))\n\n"
        "def show_table(values, fmt):\n"
        "    print(' ' * width + ''.join(c.rjust(width) for c in table['columns']))\n"
        "    for row, line in zip(table['rows'], values):\n"
        "        print(row.rjust(width) + ''.join(fmt(v).rjust(width) for v in line))\n\n"
        f"print({say('conteos c(fila, columna):', 'counts c(row, column):')!r})\n"
        "show_table(table['counts'], str)\n"
        f"print({say('probabilidades P(columna | fila):', 'probabilities P(column | row):')!r})\n"
        "show_table(table['probabilities'], lambda p: f'{p:.2f}')\n\n"
        "assert all(table['counts'][i][j] == bigrams[r, c] for i, r in enumerate(table['rows'])\n"
        "           for j, c in enumerate(table['columns']))"
    )


def _sparsity(notebook: Notebook, n: int, sparsity: dict) -> None:
    say = notebook.say
    order, k = sparsity["order"], float(sparsity.get("k", 1.0))
    notebook.markdown(
        f"## {n}. Dispersión: un n-grama que nunca se vio\n\n"
        f"Con un modelo de orden {order}, la pregunta es $P(w \\mid u)$ con $u$ las {order - 1} palabras anteriores. "
        "Si el n-grama $u\\,w$ no aparece en el corpus, contar da $P = 0$: una sola combinación nueva hace imposible "
        "la oración entera. El suavizado reparte algo de probabilidad a lo no visto:\n\n"
        "- add-$k$ (Laplace si $k = 1$): $P(w \\mid u) = \\frac{c(u\\,w) + k}{c(u) + k\\,|V|}$, con $|V|$ las palabras que "
        "se pueden predecir (las vistas, `</s>` y `<unk>`).\n"
        "- Kneser–Ney: descuenta $D$ de cada conteo y reparte esa masa según el modelo de orden menor $u'$ "
        "(sin la palabra más antigua), $P(w \\mid u) = \\frac{\\max(c(u\\,w) - D, 0)}{c(u)} + "
        "\\frac{D\\,N_{1+}(u\\,\\bullet)}{c(u)}\\,P(w \\mid u')$.",
        f"## {n}. Sparsity: an n-gram never seen\n\n"
        f"With a model of order {order}, the question is $P(w \\mid u)$ with $u$ the {order - 1} previous words. "
        "If the n-gram $u\\,w$ does not occur in the corpus, counting gives $P = 0$: one new combination makes the "
        "whole sentence impossible. Smoothing hands some probability to what was not seen:\n\n"
        "- add-$k$ (Laplace for $k = 1$): $P(w \\mid u) = \\frac{c(u\\,w) + k}{c(u) + k\\,|V|}$, with $|V|$ the words that "
        "can be predicted (those seen, `</s>` and `<unk>`).\n"
        "- Kneser–Ney: takes a discount $D$ off every count and hands that mass out by the lower-order model $u'$ "
        "(without the oldest word), $P(w \\mid u) = \\frac{\\max(c(u\\,w) - D, 0)}{c(u)} + "
        "\\frac{D\\,N_{1+}(u\\,\\bullet)}{c(u)}\\,P(w \\mid u')$.",
    )
    notebook.code(
        f"sparse_text = {sparsity['corpus_text']!r}\n"
        f"context, word, order, k = {sparsity['context']!r}, {sparsity['word']!r}, {order!r}, {k!r}\n"
        "sparse_sentences = [s for s in (words(line, lower=False) for line in sparse_text.splitlines()) if s]\n\n"
        f"# {say('el n-grama preguntado: las n - 1 palabras anteriores (con <s> delante si faltan) y la palabra', 'the n-gram asked about: the n - 1 previous words (with <s> in front if there are fewer) and the word')}\n"
        "u = tuple((['<s>'] * (order - 1) + words(context, lower=False))[-(order - 1):])\n"
        "w = words(word, lower=False)[0]\n\n"
        "smoothed = {s: NGramModel(order, s, k=k).fit(sparse_sentences) for s in ('none', 'add-k', 'kneser-ney')}\n"
        "counts = smoothed['none'].counts()\n"
        "ngram_count = counts.get(u + (w,), 0)\n"
        "context_count = sum(c for gram, c in counts.items() if gram[:-1] == u)\n"
        "print(f\"c({' '.join(u + (w,))}) = {ngram_count}    c({' '.join(u)} ·) = {context_count}\")\n"
        "unknown = [t for t in words(context, lower=False) + [w] if t not in smoothed['none'].vocab]\n"
        "if unknown:\n"
        f"    print({say('fuera del vocabulario (se leen como <unk>):', 'outside the vocabulary (read as <unk>):')!r}, unknown)\n"
        "for s, m in smoothed.items():\n"
        "    print(f\"{s:>10}: P({w} | {' '.join(u)}) = {m.prob(w, u):.4f}\")"
    )


def _side_by_side(notebook: Notebook, n: int, g: dict) -> None:
    say = notebook.say
    language, cell, level = g["language"], g["cell"], g.get("level", "char")
    one_es, many_es, one_en, many_en = UNITS[level]
    ngram_title = say(f"{g['order']}-grama", f"{g['order']}-gram")
    if level == "char":
        corpus_es = f"El corpus es {CORPORA[language][0]}, partido por párrafos en entrenamiento, validación y prueba. "
        corpus_en = (
            f"The corpus is {CORPORA[language][1]}, split by paragraphs into training, validation and test. "
        )
        ngram_es, ngram_en = "", ""
    else:
        corpus_es = (
            f"El corpus son {WORD_CORPORA[language][0]}: documentos de palabras en minúscula y signos de "
            "puntuación, con `</s>` al final de cada oración; las 10 000 palabras más frecuentes al entrenar, "
            "y cada una de las demás se lee como `<unk>`. "
        )
        corpus_en = (
            f"The corpus is {WORD_CORPORA[language][1]}: documents of lower-case words and punctuation, "
            "`</s>` ending each sentence; the 10 000 most frequent training words, and every other word "
            "reads as `<unk>`. "
        )
        ngram_es = ", podado (sin los n-gramas de orden 3 o más vistos una sola vez)"
        ngram_en = ", pruned (without the n-grams of order 3 and up seen only once)"
    notebook.markdown(
        f"## {n}. Dos modelos escriben lado a lado\n\n"
        f"{corpus_es}Los dos modelos escriben {one_es} a {one_es} con los mismos símbolos (`vocab`):\n\n"
        f"- el {g['order']}-grama de {many_es} con suavizado Kneser–Ney{ngram_es} que usa la página, contado sobre la "
        "parte de entrenamiento (sus conteos, en un archivo);\n"
        f"- la {cell.upper()} ya entrenada que usa la página (sus pesos, guardados en float16): lee el vector "
        f"$e_t = E[x_t]$ del símbolo $x_t$ (su fila de la matriz de incrustaciones $E$), {CELL_FORMULAS[cell]}, "
        f"y da $o_t = c + V h_t$, $\\hat y_t = \\mathrm{{softmax}}(o_t)$, la distribución del símbolo siguiente.",
        f"## {n}. Two models write side by side\n\n"
        f"{corpus_en}Both models write {one_en} by {one_en} with the same symbols (`vocab`):\n\n"
        f"- the page's {one_en} {g['order']}-gram with Kneser–Ney smoothing{ngram_en}, counted on the training "
        "split (its counts, in a file);\n"
        f"- the trained {cell.upper()} the page uses (its weights, stored in float16): it reads the vector "
        f"$e_t = E[x_t]$ of the symbol $x_t$ (its row of the embedding matrix $E$), {CELL_FORMULAS[cell]}, "
        f"and gives $o_t = c + V h_t$, $\\hat y_t = \\mathrm{{softmax}}(o_t)$, the next symbol's distribution.",
    )
    notebook.code(
        f"language, cell, n, level = {language!r}, {cell!r}, {g['order']!r}, {level!r}\n"
        "rnn, vocab = models.load(cell, language, level)\n"
        "ngram = NGramModel.load(assets.path(models.ngram_file_name(level, language, n)))\n\n"
        "print(rnn)\n"
        f"print(len(vocab), {say('símbolos;', 'symbols;')!r}, sum(p.numel() for p in rnn.parameters()), "
        f"{say('parámetros en la red', 'parameters in the network')!r})"
    )
    if level == "char":
        end_es, end_en = "`</s>` (¶) termina un párrafo.", "`</s>` (¶) ends a paragraph."
    else:
        end_es = (
            "`</s>` (¶) termina una oración; el n-grama sigue con las palabras de antes, como la red, que lleva "
            "su estado de una oración a la siguiente."
        )
        end_en = (
            "`</s>` (¶) ends a sentence; the n-gram goes on from the words before it, as the network carries "
            "its state from one sentence to the next."
        )
    notebook.markdown(
        f"Cada modelo da la distribución del {one_es} siguiente, $p_i$; la temperatura $\\tau$ y top-$k$ la cambian "
        "antes de sortear: $q_i \\propto p_i^{1/\\tau}$ (más concentrada si $\\tau < 1$, más plana si $\\tau > 1$; "
        "$\\tau = 0$ es voraz, siempre el más probable), y top-$k$ deja solo los $k$ más probables. "
        f"Cada modelo sortea con su propio generador, con la misma semilla. {end_es}\n\n"
        "Con la misma semilla sale el mismo texto que en la página. (La página calcula en el Python del navegador; "
        "las últimas cifras de una cuenta pueden diferir de las de este Python, y solo si un sorteo cayera justo en "
        f"el borde entre dos {many_es} el texto cambiaría desde ahí: no es de esperar.)",
        f"Each model gives the next {one_en}'s distribution, $p_i$; the temperature $\\tau$ and top-$k$ change it "
        "before drawing: $q_i \\propto p_i^{1/\\tau}$ (sharper for $\\tau < 1$, flatter for $\\tau > 1$; "
        "$\\tau = 0$ is greedy, always the most probable), and top-$k$ keeps only the $k$ most probable. "
        f"Each model draws with its own generator, with the same seed. {end_en}\n\n"
        "The same seed gives the same text as on the page. (The page computes in the browser's Python; the last "
        "digits of a sum may differ from this Python's, and only if a draw fell right on the border between two "
        f"{many_en} would the text change from there on: not to be expected.)",
    )
    tokens = "list(prompt)" if level == "char" else "words(prompt)"
    tokens_note = say(
        "sus caracteres" if level == "char" else "sus palabras en minúscula y sus signos",
        "its characters" if level == "char" else "its lower-case words and punctuation",
    )
    joined = "''.join" if level == "char" else "' '.join"
    notebook.code(
        f"prompt = {g['prompt']!r}\n"
        f"prompt_tokens = {tokens}          # {tokens_note}\n"
        f"temperature, top_k, length, seed = {g['temperature']!r}, {g['top_k']!r}, {g['length']!r}, {g['seed']!r}\n\n"
        f"readers = {{'ngram': NGramReader(ngram, prompt_tokens, restart_at_end={level == 'char'!r}),\n"
        f"           'rnn': RecurrentReader(rnn, vocab, prompt_tokens, record=True)}}   # {say('record: guarda lo que calcula dentro', 'record: keeps what it computes inside')}\n"
        "written, tops = {}, {}\n"
        "for name, reader in readers.items():\n"
        "    generator = np.random.default_rng(seed)\n"
        "    steps = list(write(reader, length, temperature, top_k or None, generator, keep=10))\n"
        f"    written[name] = [(vocab.itos[token], p) for token, p, top, _ in steps]   # {say('el símbolo y su p', 'the symbol and its p')}\n"
        "    tops[name] = [top for _, _, top, _ in steps]\n\n"
        "def readable(tokens):\n"
        f"    return {joined}({{'</s>': '¶\\n', '<unk>': '�'}}.get(t, t) for t in tokens)\n\n"
        "unknown = sorted({t for t in prompt_tokens if t not in vocab})\n"
        "if unknown:\n"
        f"    print({say('símbolos que los modelos no conocen (se leen como <unk>):', 'symbols the models do not know (read as <unk>):')!r}, unknown)\n"
        f"titles = {{'ngram': {ngram_title!r}, 'rnn': cell.upper()}}\n"
        "for name, title in titles.items():\n"
        "    print(f'--- {title} ---')\n"
        "    print(readable(vocab.decode(vocab.encode(prompt_tokens)) + [t for t, _ in written[name]]))"
    )
    notebook.markdown(
        f"Detrás de cada {one_es} hay una distribución. En la página se ve al elegir uno; aquí, la del primero "
        f"que escribió cada modelo: sus 10 {many_es} más probables antes de aplicar temperatura y top-$k$.",
        f"Behind each {one_en} there is a distribution. On the page it shows when you pick one; here, the one "
        f"behind the first {one_en} each model wrote: its 10 most probable {many_en} before temperature and top-$k$.",
    )
    notebook.code(
        "for name, title in titles.items():\n"
        "    chosen, p = written[name][0]\n"
        f"    print(title, {say('eligió', 'chose')!r}, repr(chosen), f'(p = {{p:.3f}}):')\n"
        "    print('   ', '  '.join(f'{vocab.itos[i]!r} {q:.3f}' for i, q in tops[name][0]))"
    )


def _inside(notebook: Notebook, n: int, cell: str, show: str, level: str) -> None:
    say = notebook.say
    name_es, name_en = INSIDE_NAMES[show]
    one_es, _, one_en, _ = UNITS[level]
    top_es = " (con palabras, la capa de arriba de las dos)" if level == "word" else ""
    top_en = " (at word level, the top one of its two layers)" if level == "word" else ""
    notebook.markdown(
        f"## {n}. Dentro de la red\n\n"
        f"Mientras leía la entrada y escribía, la {cell.upper()} guardó en cada paso lo que calculó{top_es}; la página "
        f"dibuja {name_es}: una fila por unidad, una columna por {one_es} leído ({CELL_FORMULAS[cell]}). "
        f"Aquí, el tamaño de esa matriz, su mayor valor absoluto y la unidad 0 a lo largo del texto, con el {one_es} "
        "leído en cada paso.",
        f"## {n}. Inside the network\n\n"
        f"While it read the prompt and wrote, the {cell.upper()} kept what it computed at every step{top_en}; the page "
        f"draws {name_en}: one row per unit, one column per {one_en} read ({CELL_FORMULAS[cell]}). "
        f"Here, the size of that matrix, its largest absolute value and unit 0 along the text, with the {one_en} "
        "read at each step.",
    )
    notebook.code(
        f"what = {show!r}\n"
        f"records = readers['rnn'].records[1:]          # {say('el primer paso lee el </s> con el que empieza todo texto', 'the first step reads the </s> every text starts with')}\n"
        f"values = np.array([r[what] for r in records])   # ({say('pasos, unidades', 'steps, units')})\n"
        "read = vocab.decode(vocab.encode(prompt_tokens)) + [t for t, _ in written['rnn']]\n"
        "scale = float(np.abs(values).max())\n"
        f"print(what, values.shape, {say('mayor |valor|:', 'largest |value|:')!r}, round(scale, 4))\n"
        "for start in range(0, min(len(values), 48), 8):\n"
        "    print('  '.join(f'{readable([t])!r:>6} {v:+.2f}' for t, v in zip(read[start:start + 8], values[start:start + 8, 0])))"
    )


def _live(notebook: Notebook, n: int, live: dict) -> None:
    say = notebook.say
    c, sample = live["config"], live["sample"]
    clip_es = "recortando la norma del gradiente a 1" if c["clip"] else "sin recortar el gradiente"
    clip_en = "clipping the gradient norm to 1" if c["clip"] else "without clipping the gradient"
    optimizer = {"adam": "Adam", "sgd": "SGD"}[c.get("optimizer", "adam")]
    notebook.markdown(
        f"## {n}. La red que entrenaste en la página\n\n"
        f"Una {c['cell'].upper()} de {c['hidden_size']} unidades entrenada en el navegador sobre {CORPORA[c['source']][0]}: "
        f"{live['step']} pasos de retropropagación truncada en el tiempo (BPTT de {c['bptt']} pasos, {c['batch_size']} "
        f"secuencias en paralelo, {optimizer} con tasa {_decimal(c['lr'], 'es')}, {clip_es}, semilla {c['seed']}). "
        "Cada paso minimiza la media de las pérdidas por paso, $L = -\\frac{1}{T}\\sum_t \\log \\hat y_t[x_{t+1}]$. "
        "Repetir ese entrenamiento aquí no daría exactamente los mismos pesos, así que esta celda los trae tal cual "
        "(float32, en un `.npz` comprimido y en base64): solo guarda datos.",
        f"## {n}. The network you trained on the page\n\n"
        f"A {c['cell'].upper()} of {c['hidden_size']} units trained in the browser on {CORPORA[c['source']][1]}: "
        f"{live['step']} steps of truncated backpropagation through time (BPTT of {c['bptt']} steps, {c['batch_size']} "
        f"parallel sequences, {optimizer} with rate {_decimal(c['lr'], 'en')}, {clip_en}, seed {c['seed']}). "
        "Each step minimises the mean of the per-step losses, $L = -\\frac{1}{T}\\sum_t \\log \\hat y_t[x_{t+1}]$. "
        "Training again here would not give exactly the same weights, so this cell brings them as they are "
        "(float32, in a compressed `.npz`, in base64): it only holds data.",
    )
    notebook.data("WEIGHTS", live["npz"])
    notebook.markdown(
        f"`models.read` rehace la red con su configuración y su vocabulario, y la red escribe como en la página: "
        f"{sample['length']} caracteres desde el principio de un párrafo, temperatura {_decimal(sample['temperature'], 'es')}, sin top-$k$.",
        f"`models.read` rebuilds the network with its configuration and vocabulary, and it writes as on the page: "
        f"{sample['length']} characters from a paragraph's start, temperature {_decimal(sample['temperature'], 'en')}, no top-$k$.",
    )
    notebook.code(
        "import base64, io\n\n"
        f"live_step = {live['step']!r}\n"
        "live, live_vocab = models.read(io.BytesIO(base64.b64decode(WEIGHTS)))\n"
        "print(live)\n"
        f"generator = np.random.default_rng({sample['seed']!r})\n"
        f"sample = [(live_vocab.itos[token], p) for token, p, *_ in write(RecurrentReader(live, live_vocab), "
        f"{sample['length']!r}, {sample['temperature']!r}, None, generator)]\n"
        f"print({say('paso', 'step')!r}, live_step, '→', readable([t for t, _ in sample]))"
    )


def _perplexity(notebook: Notebook, n: int, level: str) -> None:
    say = notebook.say
    _, many_es, _, many_en = UNITS[level]
    formula = "$$PP = \\exp\\Big(-\\frac{1}{N}\\sum_{t=1}^{N} \\log p(x_t \\mid x_{<t})\\Big)$$\n\n"
    if level == "char":
        how_es = (
            "sobre los $N$ caracteres de todos los párrafos y el `</s>` de cada uno (menos es mejor; un modelo que "
            "dudara por igual entre $m$ caracteres tendría $PP = m$). La red lee los párrafos de prueba en 128 "
            "flujos de párrafos seguidos, cada uno desde el estado cero, llevando el estado de un párrafo al "
            "siguiente, como la tabla; aquí paso a paso con `RecurrentReader`, en float64 (la tabla usó float32 "
            "por lotes: coinciden en unas 7 cifras). Tarda unos segundos."
        )
        how_en = (
            "over the $N$ characters of every paragraph and each one's `</s>` (lower is better; a model unsure among "
            "$m$ characters alike would have $PP = m$). The network reads the test paragraphs as 128 streams of "
            "consecutive paragraphs, each from the zero state, carrying the state from one paragraph to the next, "
            "as the table did; here step by step with `RecurrentReader`, in float64 (the table used float32 in "
            "batches: they agree to about 7 digits). It takes a few seconds."
        )
        code = (
            "parts = corpus.load(language)          # "
            + say("párrafos: train / validation / test", "paragraphs: train / validation / test")
            + "\n"
            "test = [list(p) for p in parts['test']]\n"
            "ngram_perplexity = ngram.perplexity(test)\n\n"
            "boundary = vocab.stoi['</s>']\n"
            "paragraphs = [vocab.encode(p).tolist() for p in test]\n"
            "bounds = np.linspace(0, len(paragraphs), min(128, len(paragraphs)) + 1).round().astype(int)\n"
            "log_likelihood, count = 0.0, 0\n"
            "for begin, end in zip(bounds[:-1], bounds[1:]):\n"
            "    reader = RecurrentReader(rnn, vocab)          # "
            + say("estado cero, y lee el </s> inicial", "zero state, and it reads the opening </s>")
            + "\n"
            "    for paragraph in paragraphs[begin:end]:\n"
            "        for token in paragraph + [boundary]:\n"
            "            log_likelihood += math.log(reader.distribution()[token])\n"
            "            reader.advance(token)\n"
            "            count += 1\n"
            "rnn_perplexity = math.exp(-log_likelihood / count)\n\n"
        )
    else:
        from ..lm.train import CHECK_DOCUMENTS, CHECK_TOKENS

        how_es = (
            "sobre las $N$ palabras de todos los documentos de prueba y el `</s>` final de cada uno (menos es "
            "mejor; un modelo que dudara por igual entre $m$ palabras tendría $PP = m$). El n-grama, sobre toda la "
            "prueba; la red, paso a paso con `RecurrentReader` en NumPy, tardaría mucho en toda: aquí, sobre las "
            f"{CHECK_TOKENS} primeras palabras de los {CHECK_DOCUMENTS} primeros documentos, cada uno desde el "
            "estado cero, como comprueban las pruebas del proyecto (la tabla de la página da la prueba entera)."
        )
        how_en = (
            "over the $N$ words of every test document and each one's closing `</s>` (lower is better; a model unsure "
            "among $m$ words alike would have $PP = m$). The n-gram on the whole test split; the network, step by "
            "step with `RecurrentReader` in NumPy, would take long on all of it: here, on the first "
            f"{CHECK_TOKENS} words of the first {CHECK_DOCUMENTS} documents, each from the zero state, as the "
            "project's tests check it (the page's table has the whole test split)."
        )
        code = (
            "test = word_corpus.read_documents(assets.path(word_corpus.test_file(language)))\n"
            "ngram_perplexity = ngram.perplexity(test)\n\n"
            "boundary = vocab.stoi['</s>']\n"
            "log_likelihood, count = 0.0, 0\n"
            f"for document in test[:{CHECK_DOCUMENTS}]:\n"
            "    reader = RecurrentReader(rnn, vocab)          # "
            + say("estado cero, y lee el </s> inicial", "zero state, and it reads the opening </s>")
            + "\n"
            f"    for token in vocab.encode(document[:{CHECK_TOKENS}]).tolist() + [boundary]:\n"
            "        log_likelihood += math.log(reader.distribution()[token])\n"
            "        reader.advance(token)\n"
            "        count += 1\n"
            "rnn_perplexity = math.exp(-log_likelihood / count)\n\n"
        )
    notebook.markdown(
        f"## {n}. ¿Cuál predice mejor? La perplejidad\n\n"
        "La tabla de la página mide cada modelo en la parte de prueba, texto que ninguno vio al entrenar:\n\n"
        f"{formula}{how_es}",
        f"## {n}. Which predicts better? Perplexity\n\n"
        "The page's table measures each model on the test split, text neither saw in training:\n\n"
        f"{formula}{how_en}",
    )
    notebook.code(
        code
        + f"print(f'{{n}}-{say('grama', 'gram')} Kneser–Ney: {{ngram_perplexity:.2f}}    {{cell.upper()}}: {{rnn_perplexity:.2f}}    '\n"
        f"      f'({{count}} {say(many_es, many_en)} {say('para la red', 'for the network')})')"
    )
