"""The Attention page as a notebook: a Spanish sentence read as subword pieces and translated by the
four translators (three recurrent encoder–decoders and a Transformer) with the page's decoding
(greedy, or beam search with length normalisation α and coverage penalty β), the chosen variant's
attention matrix merged into words, one greedy decoding step (by hand for a recurrent variant:
``s_ij``, ``w_ij``, ``c_i``, ``u_i``, ``ŷ_i``; the Transformer's cross-attention per layer and
head), beam search's candidates, and the masked language model's guesses and one head's
``Q, K, V`` and ``softmax(QKᵀ/√d_k)``."""

from __future__ import annotations

from . import Notebook

SCORES = {  # the cell that computes s_ij for each variant, from h (S × 2H) and hd (2H)
    "dot": "scores = h @ hd                                   # s_ij = hd_i · h_j\n",
    "additive": (
        "additive = model.decoder.attention\n"
        "W_q, W_k = additive.W_q.weight.numpy(), additive.W_k.weight.numpy()\n"
        "v = additive.v.weight.numpy()[0]\n"
        "scores = np.tanh(W_q @ hd + h @ W_k.T) @ v      # s_ij = vᵀ tanh(W_q hd_i + W_k h_j)\n"
    ),
}


def build(
    notebook: Notebook,
    sentence: str,
    variant: str,
    decoding: dict,
    step: int,
    mask_sentence: str,
    layer: int,
    head: int,
) -> None:
    """Cells for ``sentence`` translated with ``decoding`` ({beam, alpha, beta}; beam 1: greedy),
    ``variant``'s attention matrix and greedy decoding step ``step`` (and beam search's candidates
    when ``beam`` ≥ 2), and ``mask_sentence`` with layer ``layer``'s head ``head``."""
    _translation_cells(notebook, sentence, decoding)
    _attention_cells(notebook, variant)
    if variant == "transformer":
        _transformer_step_cells(notebook, step)
    else:
        _decoding_step_cells(notebook, variant, step)
    if decoding["beam"] > 1:
        _beam_cells(notebook)
    _self_attention_cells(notebook, mask_sentence, layer, head)
    beam_result = (
        "None"
        if decoding["beam"] == 1
        else "{'translation': subwords.target_words(found['tokens']), 'score': found['score'],\n"
        "          'candidates': [{'pieces': subwords.target_pieces(c['ids']), 'score': c['score'],\n"
        "                          'log_p': c['log_p'], 'finished': c['finished']}\n"
        "                         for c in found['candidates'][beam_step]]}"
    )
    notebook.result(
        "## Lo que mostró la página\n\n"
        "Los números de cada sección de arriba, con todas sus cifras: las traducciones, la matriz de "
        "atención, el paso de la decodificación, la búsqueda en haz, las palabras que el modelo propone para "
        "cada `[MASK]` y los pesos de la cabeza elegida (`beam` es `None` con la decodificación voraz).",
        "## What the page showed\n\n"
        "The numbers of each section above, with all their digits: the translations, the attention matrix, "
        "the decoding step, beam search, the words the model proposes for each `[MASK]` and the chosen head's "
        "weights (`beam` is `None` with greedy decoding).",
        "{'words': read['words'], 'translations': translations,\n"
        " 'attention': None if attention is None else attention.tolist(),\n"
        " 'step': {'i': step, 'piece': piece, 'top': top,\n"
        "          'weights': None if recorded['attention'] is None else recorded['attention'][0, :len(ids)].tolist()},\n"
        f" 'beam': {beam_result},\n"
        " 'mask': {'tokens': mask_read['tokens'], 'guesses': guesses},\n"
        " 'head': {'layer': layer, 'head': head, 'weights': details[layer]['weights'][head].tolist()}}",
    )


def _translation_cells(notebook: Notebook, sentence: str, decoding: dict) -> None:
    """The translators, the sentence as pieces, and the four translations with the page's decoding."""
    say = notebook.say
    notebook.markdown(
        "## Los cuatro traductores entrenados\n\n"
        "Tres son codificadores–decodificadores con GRU. El codificador lee la frase en los dos sentidos y da, "
        "por cada trozo $x_j$, su anotación $h_j = [\\overrightarrow{h}_j ; \\overleftarrow{h}_j]$. El "
        "decodificador escribe el inglés trozo a trozo con su estado $hd_i$ y un contexto $c_i$: esas tres "
        "variantes solo difieren en $c_i$. **Sin atención** (el cuello de botella) "
        "$c_i = [\\overrightarrow{h}_S ; \\overleftarrow{h}_1]$, el mismo en todos los pasos; con atención "
        "$c_i = \\sum_j w_{ij} h_j$, con puntajes de **producto escalar** $s_{ij} = hd_i \\cdot h_j$ o **aditivos** "
        "(Bahdanau) $s_{ij} = v^\\top \\tanh(W_q\\, hd_i + W_k\\, h_j)$. El cuarto es un **Transformer** "
        "pequeño (2 capas de codificador y 2 de decodificador, 4 cabezas): sin recurrencia, solo atención; su "
        "atención cruzada $w_{ij} = \\mathrm{softmax}_j(q_i \\cdot k_j / \\sqrt{d_k})$ alinea las dos frases "
        "cabeza por cabeza. Los parámetros están guardados en float16 y las cuentas se hacen en float32.",
        "## The four trained translators\n\n"
        "Three are GRU encoder–decoders. The encoder reads the sentence both ways and gives, for each piece "
        "$x_j$, its annotation $h_j = [\\overrightarrow{h}_j ; \\overleftarrow{h}_j]$. The decoder writes the "
        "English piece by piece from its state $hd_i$ and a context $c_i$: those three variants differ only in "
        "$c_i$. **Without attention** (the bottleneck) $c_i = [\\overrightarrow{h}_S ; \\overleftarrow{h}_1]$, "
        "the same at every step; with attention $c_i = \\sum_j w_{ij} h_j$, with **dot-product** scores "
        "$s_{ij} = hd_i \\cdot h_j$ or **additive** ones (Bahdanau) $s_{ij} = v^\\top \\tanh(W_q\\, hd_i + W_k\\, h_j)$. "
        "The fourth is a small **Transformer** (2 encoder and 2 decoder layers, 4 heads): no recurrence, only "
        "attention; its cross-attention $w_{ij} = \\mathrm{softmax}_j(q_i \\cdot k_j / \\sqrt{d_k})$ aligns the two "
        "sentences head by head. The parameters are stored as float16 and the arithmetic is float32.",
    )
    notebook.code(
        "import numpy as np\n"
        "from pizarra.attention import decoding, explain, mlm, pretrained\n"
        "from pizarra.attention.variants import VARIANTS\n\n"
        "def show(matrix, rows, columns, digits=3):\n"
        f'    """{say("Imprime una matriz con el nombre de cada fila y de cada columna.", "Prints a matrix with each row and column named.")}"""\n'
        "    print(' ' * 10 + ''.join(f'{c[:8]:>9}' for c in columns))\n"
        "    for name, row in zip(rows, matrix):\n"
        "        print(f'{name[:10]:>10}' + ''.join(f'{x:9.{digits}f}' for x in row))\n\n"
        "subwords = pretrained.load_subwords()\n"
        "models = {name: pretrained.load_translator(name)[0] for name in VARIANTS}\n"
        f"print({say('trozos: español', 'pieces: Spanish')!r}, len(subwords.source), {say('inglés', 'English')!r}, len(subwords.target))\n"
        "for name, model in models.items():\n"
        f"    print(f'{{name:>11}}:', sum(p.numpy().size for p in model.parameters()), {say('parámetros', 'parameters')!r})"
    )
    notebook.markdown(
        "## La frase, en trozos de palabras\n\n"
        "Se separan palabras y signos, en minúsculas, y se leen a lo sumo 20 (lo más largo que los traductores "
        "vieron al entrenar). Una frase sin punto final se lee con uno, como las frases con que aprendieron. "
        "Cada palabra se parte en trozos (BPE: las uniones de letras más frecuentes del entrenamiento; `▁` marca "
        "el comienzo de una palabra), así que una palabra rara o conjugada no se pierde: se lee por partes. Solo "
        "un carácter que nunca se vio se lee como `<unk>`.",
        "## The sentence, in pieces of words\n\n"
        "Words and punctuation are split, lower-cased, and at most 20 are read (the longest the translators saw "
        "in training). A sentence without a final full stop is read with one, like the sentences they learned "
        "from. Each word is split into pieces (BPE: the most frequent joins of letters in training; `▁` marks "
        "the start of a word), so a rare or inflected word is not lost: it is read in parts. Only a character "
        "never seen is read as `<unk>`.",
    )
    notebook.code(
        f"sentence = {sentence!r}\n"
        "read = explain.read_source(sentence, subwords)\n"
        "ids = subwords.source_ids(read['pieces'])\n"
        "print(read['words'])\nprint(read['pieces'])\nprint(ids)\n"
        f"print({say('avisos:', 'notices:')!r}, read['notices'])"
    )
    beam, alpha, beta = decoding["beam"], decoding["alpha"], decoding["beta"]
    notebook.markdown(
        "## Traducir\n\n"
        "En cada paso el decodificador da una distribución $\\hat y_i$ sobre los trozos ingleses. La "
        "decodificación **voraz** (haz 1) escribe el más probable y lo usa como entrada del paso siguiente, hasta "
        "escribir `</s>`. La **búsqueda en haz** guarda las $k$ mejores traducciones parciales, prolonga cada una "
        "con todos los trozos y vuelve a quedarse con las $k$ mejores según el puntaje de GNMT (Wu et al. 2016):\n\n"
        "$$s(Y, X) = \\frac{\\log P(Y \\mid X)}{lp(Y)} + cp(X; Y), \\quad lp(Y) = \\frac{(5 + |Y|)^\\alpha}{(5 + 1)^\\alpha}, "
        "\\quad cp(X; Y) = \\beta \\sum_j \\log\\big(\\min(\\textstyle\\sum_i w_{ij}, 1)\\big)$$\n\n"
        "$\\log P(Y \\mid X) = \\sum_i \\log \\hat y_i[y_i]$ solo baja al alargarse la traducción: sin $lp$ ganan las "
        "cortas. $cp$ castiga los trozos de la frase original que ningún paso miró (una traducción que olvida media "
        "frase, o que se repite en bucle). Con $\\alpha = 0$ y $\\beta = 0$ las dos correcciones se apagan.",
        "## Translating\n\n"
        "At each step the decoder gives a distribution $\\hat y_i$ over the English pieces. **Greedy** decoding "
        "(beam 1) writes the likeliest and feeds it to the next step, until it writes `</s>`. **Beam search** keeps "
        "the $k$ best partial translations, extends each by every piece and keeps the $k$ best again by GNMT's "
        "score (Wu et al. 2016):\n\n"
        "$$s(Y, X) = \\frac{\\log P(Y \\mid X)}{lp(Y)} + cp(X; Y), \\quad lp(Y) = \\frac{(5 + |Y|)^\\alpha}{(5 + 1)^\\alpha}, "
        "\\quad cp(X; Y) = \\beta \\sum_j \\log\\big(\\min(\\textstyle\\sum_i w_{ij}, 1)\\big)$$\n\n"
        "$\\log P(Y \\mid X) = \\sum_i \\log \\hat y_i[y_i]$ only falls as a translation grows: without $lp$ short ones "
        "win. $cp$ punishes source pieces no step looked at (a translation that forgets half the sentence, or loops). "
        "With $\\alpha = 0$ and $\\beta = 0$ both corrections are off.",
    )
    notebook.code(
        f"beam, alpha, beta = {beam!r}, {alpha!r}, {beta!r}   # {say('haz 1: voraz', 'beam 1: greedy')}\n"
        "MAX_OUTPUT = explain.MAX_OUTPUT\n\n"
        "def translate(model):\n"
        f'    """{say("Los ids de la traducción (y el resultado de la búsqueda en haz, si la hubo).", "The translation’s ids (and beam search’s result, if it ran).")}"""\n'
        "    if beam == 1:\n"
        "        return decoding.greedy(model, [ids], MAX_OUTPUT)['tokens'][0], None\n"
        "    found = decoding.beam_search(model, ids, beam, MAX_OUTPUT, alpha, beta)\n"
        "    return found['tokens'], found\n\n"
        "outputs, searches, translations = {}, {}, {}\n"
        "for name, model in models.items():\n"
        "    outputs[name], searches[name] = translate(model)\n"
        "    translations[name] = subwords.target_words(outputs[name])\n"
        "    print(f'{name:>11}:', ' '.join(translations[name]))"
    )


def _attention_cells(notebook: Notebook, variant: str) -> None:
    """The chosen variant's attention matrix, recomputed by teacher forcing and merged into words."""
    say = notebook.say
    if variant == "none":
        notebook.markdown(
            "## Sin atención no hay matriz de atención\n\n"
            "La variante elegida es el cuello de botella: el decodificador ve la frase solo a través de un vector "
            "fijo, así que no hay pesos $w_{ij}$ que mostrar.",
            "## Without attention there is no attention matrix\n\n"
            "The chosen variant is the bottleneck: the decoder sees the sentence only through one fixed vector, "
            "so there are no weights $w_{ij}$ to show.",
        )
    else:
        notebook.markdown(
            "## La matriz de atención, en palabras\n\n"
            "Volvemos a pasar la traducción por el modelo (forzando sus trozos) y guardamos los pesos: la fila $i$ "
            "dice cuánto mira el trozo inglés $i$ (o `</s>`) cada trozo español $j$, y suma 1. Del Transformer se "
            "toma la media de las cabezas de su última capa. Para leerla, los trozos se juntan en palabras: el peso "
            "de la palabra inglesa $t$ sobre la española $s$ es la media, entre los trozos de $t$, de la suma de "
            "sus pesos sobre los trozos de $s$ (cada fila sigue sumando 1).",
            "## The attention matrix, in words\n\n"
            "We feed the translation through the model again (forcing its pieces) and keep the weights: row $i$ "
            "says how much English piece $i$ (or `</s>`) looks at each Spanish piece $j$, and sums to 1. For the "
            "Transformer, the mean of its last layer's heads. To read it, the pieces are joined into words: the "
            "weight of English word $t$ on Spanish word $s$ is the mean, over $t$'s pieces, of the sum of their "
            "weights on $s$'s pieces (each row still sums to 1).",
        )
    lines = [
        f"variant = {variant!r}",
        "model = models[variant]",
        f"weights = explain.alignment(model, ids, outputs[variant])   # {say('trozos (+ </s>) × trozos de la fuente', 'pieces (+ </s>) × source pieces')}",
        "if weights is not None and weights.ndim == 4:      # "
        + say("Transformer: capas × cabezas × …", "Transformer: layers × heads × …"),
        "    weights = weights[-1].mean(axis=0)               # "
        + say("la última capa, media de sus cabezas", "the last layer, its heads averaged"),
        "out_spans = subwords.spans(subwords.target_pieces(outputs[variant]))",
        "attention = None if weights is None else explain.word_weights(weights, out_spans, read['spans'])",
    ]
    if variant != "none":
        lines += ["", "show(attention, translations[variant] + ['</s>'], read['words'])"]
    notebook.code("\n".join(lines))


def _greedy_run_cell(notebook: Notebook, step: int) -> str:
    say = notebook.say
    return (
        "import pizarra\n\n"
        "run = decoding.greedy(model, [ids], MAX_OUTPUT, details=True)\n"
        "greedy_pieces = subwords.target_pieces(run['tokens'][0])\n"
        f"step = {step}   # {say('el paso que mostraba la página, contando desde 0', 'the step the page showed, counting from 0')}\n"
        "recorded = run['steps'][step]\n"
        "piece = greedy_pieces[step] if step < len(greedy_pieces) else '</s>'\n"
    )


def _next_piece_code(notebook: Notebook) -> str:
    say = notebook.say
    return (
        "p = recorded['probabilities'][0]\n"
        "best = np.argsort(p, kind='stable')[::-1][:explain.TOP]\n"
        "top = [{'piece': subwords.target.itos[k], 'p': float(p[k])} for k in best]\n"
        f"print({say('escribe', 'writes')!r}, repr(piece), {say('— los más probables:', '— the likeliest:')!r})\n"
        "for candidate in top:\n"
        "    print(f\"  {candidate['piece']:<12} {candidate['p']:.4f}\")"
    )


def _decoding_step_cells(notebook: Notebook, variant: str, step: int) -> None:
    """Greedy decoding step ``step`` by the formulas, from the encoder's states and the decoder's ``hd_i``."""
    say = notebook.say
    if variant == "none":
        formula_es = (
            "Sin atención no hay puntajes: el contexto es el resumen de la frase, "
            "$c_i = [\\overrightarrow{h}_S ; \\overleftarrow{h}_1]$, igual en todos los pasos."
        )
        formula_en = (
            "Without attention there are no scores: the context is the sentence's summary, "
            "$c_i = [\\overrightarrow{h}_S ; \\overleftarrow{h}_1]$, the same at every step."
        )
        attend = (
            "context = summary.numpy()[0]                      # c_i = [h→_S ; h←_1]\n"
            f"print({say('¿el mismo contexto que usó el decodificador?', 'the same context the decoder used?')!r}, "
            "np.allclose(context, recorded['context'][0]))\n"
        )
    else:
        score = (
            "s_{ij} = hd_i \\cdot h_j"
            if variant == "dot"
            else "s_{ij} = v^\\top \\tanh(W_q\\, hd_i + W_k\\, h_j)"
        )
        formula_es = (
            f"Con atención se calculan los puntajes ${score}$, los pesos $w_{{ij}} = \\mathrm{{softmax}}_j(s_{{ij}}) = "
            "\\frac{e^{s_{ij}}}{\\sum_k e^{s_{ik}}}$ y el contexto $c_i = \\sum_j w_{ij} h_j$."
        )
        formula_en = (
            f"With attention we compute the scores ${score}$, the weights $w_{{ij}} = \\mathrm{{softmax}}_j(s_{{ij}}) = "
            "\\frac{e^{s_{ij}}}{\\sum_k e^{s_{ik}}}$ and the context $c_i = \\sum_j w_{ij} h_j$."
        )
        attend = (
            SCORES[variant] + "weights = np.exp(scores - scores.max())\n"
            "weights /= weights.sum()                          # w_ij = softmax_j(s_ij)\n"
            "context = weights @ h                             # c_i = Σ_j w_ij h_j\n\n"
            f"print(f\"{{'j':>3}} {{{say('trozo', 'piece')!r}:<12}} {{'s_ij':>9}} {{'w_ij':>7}}\")\n"
            "for j, source_piece in enumerate(read['pieces']):\n"
            "    print(f'{j + 1:>3} {source_piece:<12} {scores[j]:9.4f} {weights[j]:7.4f}')\n"
            f"print({say('diferencia máxima con los pesos del decodificador:', 'largest difference from the decoder’s weights:')!r}, "
            "np.abs(weights - recorded['attention'][0, :len(ids)]).max())\n"
        )
    notebook.markdown(
        f"## El paso {step + 1} de la decodificación voraz, a mano: el contexto $c_i$\n\n"
        "Repetimos con NumPy, fórmula por fórmula, lo que hizo el decodificador en ese paso. Las anotaciones "
        "$h_j$ salen del codificador; el estado $hd_i$ es el de la GRU del decodificador tras leer los "
        f"trozos anteriores. {formula_es}",
        f"## Step {step + 1} of greedy decoding by hand: the context $c_i$\n\n"
        "We repeat with NumPy, formula by formula, what the decoder did at that step. The annotations "
        "$h_j$ come from the encoder; the state $hd_i$ is the decoder GRU's after reading the previous "
        f"pieces. {formula_en}",
    )
    notebook.code(
        _greedy_run_cell(notebook, step) + "with pizarra.no_grad():\n"
        "    memory, summary, _, _ = model.encode(pizarra.tensor([ids]), [len(ids)])\n"
        f"h = memory.numpy()[0]                              # {say('h_j, una fila por trozo', 'h_j, one row per piece')} (S × 2H)\n"
        "hd = recorded['hd'][0]                             # hd_i\n\n" + attend
    )
    notebook.markdown(
        "## El trozo siguiente\n\n"
        "El contexto y el estado del decodificador, juntos, $u_i = [c_i ; hd_i]$, dan los puntajes de "
        "cada trozo inglés $o_i = V \\tanh(W_u u_i + b_u) + c$ y su distribución "
        "$\\hat y_i = \\mathrm{softmax}(o_i)$; la decodificación voraz escribe el más probable.",
        "## The next piece\n\n"
        "The context and the decoder's state together, $u_i = [c_i ; hd_i]$, give the scores of every "
        "English piece $o_i = V \\tanh(W_u u_i + b_u) + c$ and their distribution "
        "$\\hat y_i = \\mathrm{softmax}(o_i)$; greedy decoding writes the likeliest.",
    )
    notebook.code(
        "u = np.concatenate([context, hd])                  # u_i = [c_i ; hd_i]\n"
        "W_u, b_u = model.decoder.combine.weight.numpy(), model.decoder.combine.bias.numpy()\n"
        "V, c = model.decoder.out.weight.numpy(), model.decoder.out.bias.numpy()\n"
        "o = V @ np.tanh(W_u @ u + b_u) + c                 # o_i\n"
        "p_hand = np.exp(o - o.max()) / np.exp(o - o.max()).sum()   # ŷ_i = softmax(o_i)\n"
        f"print({say('diferencia máxima de ŷ_i con el decodificador:', 'largest difference of ŷ_i from the decoder’s:')!r}, "
        "np.abs(p_hand - recorded['probabilities'][0]).max())\n\n" + _next_piece_code(notebook)
    )


def _transformer_step_cells(notebook: Notebook, step: int) -> None:
    """Greedy decoding step ``step`` of the Transformer: its cross-attention per layer and head."""
    say = notebook.say
    notebook.markdown(
        f"## El paso {step + 1} de la decodificación voraz: la atención cruzada, cabeza por cabeza\n\n"
        "En cada capa $l$ del decodificador, cada cabeza compara la consulta del trozo $i$, "
        "$q_i = Y_{l-1}[i]\\, W^Q$, con las claves de la frase original, $k_j = M W^K$ ($M$: la salida del "
        "codificador), y reparte su mirada $w_{ij} = \\mathrm{softmax}_j(q_i \\cdot k_j / \\sqrt{d_k})$. El paso "
        "vuelve a pasar todo el prefijo por el decodificador; la media de las cabezas de la última capa es lo "
        "que cuenta la penalización de cobertura. Al final, $\\hat y_i = \\mathrm{softmax}(W_o Y_L[i] + b_o)$.",
        f"## Step {step + 1} of greedy decoding: the cross-attention, head by head\n\n"
        "In each decoder layer $l$, each head compares piece $i$'s query $q_i = Y_{l-1}[i]\\, W^Q$ with the "
        "source's keys $k_j = M W^K$ ($M$: the encoder's output) and spreads its look "
        "$w_{ij} = \\mathrm{softmax}_j(q_i \\cdot k_j / \\sqrt{d_k})$. Each step runs the whole prefix through the "
        "decoder again; the mean of the last layer's heads is what the coverage penalty counts. At the end, "
        "$\\hat y_i = \\mathrm{softmax}(W_o Y_L[i] + b_o)$.",
    )
    notebook.code(
        _greedy_run_cell(notebook, step)
        + f"cross = recorded['heads'][0, :, :, :len(ids)]      # {say('capas × cabezas × trozos de la fuente', 'layers × heads × source pieces')}\n"
        "names = [f'L{l + 1} H{k + 1}' for l in range(cross.shape[0]) for k in range(cross.shape[1])]\n"
        "show(cross.reshape(-1, len(ids)), names, read['pieces'])\n"
        f"print({say('¿la media de la última capa es la atención del paso?', 'is the last layer’s mean the step’s attention?')!r}, "
        "np.allclose(cross[-1].mean(axis=0), recorded['attention'][0, :len(ids)]))\n\n"
        + _next_piece_code(notebook)
    )


def _beam_cells(notebook: Notebook) -> None:
    """Beam search's candidates at the step shown, with log P and GNMT's score."""
    say = notebook.say
    notebook.markdown(
        "## La búsqueda en haz, paso a paso\n\n"
        "Los candidatos que la búsqueda en haz de la variante elegida guardaba tras ese paso (o el último, si "
        "terminó antes), con su $\\log P(Y \\mid X)$ y su puntaje $s(Y, X)$, por el que se ordenan.",
        "## Beam search, step by step\n\n"
        "The candidates the chosen variant's beam search kept after that step (or its last, if it ended "
        "earlier), with their $\\log P(Y \\mid X)$ and score $s(Y, X)$, by which they are ranked.",
    )
    notebook.code(
        "found = searches[variant]\n"
        "beam_step = min(step, len(found['candidates']) - 1)\n"
        f"print({say('traducción del haz:', 'beam translation:')!r}, ' '.join(subwords.target_words(found['tokens'])))\n"
        "print('log P =', found['log_p'], '  s(Y, X) =', found['score'])\n"
        f"print({say('candidatos tras el paso', 'candidates after step')!r}, beam_step + 1)\n"
        "for c in found['candidates'][beam_step]:\n"
        "    print(f\"  log P = {c['log_p']:9.4f}  s = {c['score']:9.4f}  {' '.join(subwords.target_pieces(c['ids']))}\", "
        f"{say('(terminada)', '(finished)')!r} if c['finished'] else '')"
    )


def _self_attention_cells(notebook: Notebook, mask_sentence: str, layer: int, head: int) -> None:
    """The masked language model's guesses and one head's Q, K, V and weights by the formulas."""
    say = notebook.say
    notebook.markdown(
        "## Autoatención: un modelo de lenguaje enmascarado\n\n"
        "Un transformador pequeño entrenado como BERT: tapa palabras con `[MASK]` y aprende a adivinarlas. "
        "La entrada es $X_0 = \\mathrm{LayerNorm}(E[w_t] + P[t])$ (palabra más posición); cada capa aplica "
        "autoatención de varias cabezas, conexiones residuales y LayerNorm, y al final "
        "$\\hat y_t = \\mathrm{softmax}(W_o X[t] + b_o)$ es la distribución de la palabra de la posición $t$. "
        "Cada posición mira a todas las demás, a los dos lados del hueco.",
        "## Self-attention: a masked language model\n\n"
        "A small transformer trained like BERT: it covers words with `[MASK]` and learns to guess them. "
        "The input is $X_0 = \\mathrm{LayerNorm}(E[w_t] + P[t])$ (word plus position); each layer applies "
        "multi-head self-attention, residual connections and LayerNorm, and at the end "
        "$\\hat y_t = \\mathrm{softmax}(W_o X[t] + b_o)$ is the distribution of the word at position $t$. "
        "Every position looks at all the others, on both sides of the gap.",
    )
    notebook.code(
        "masked_lm, mlm_vocab, mlm_config = pretrained.load_mlm()\n"
        f"mask_sentence = {mask_sentence!r}\n"
        f"mask_read = explain.mask_tokens(mask_sentence, mlm_vocab, masked_lm.max_length)   # {say('las palabras, con [MASK] donde se escribió', 'the words, with [MASK] where it was written')}\n"
        "mask_ids = mlm_vocab.encode(mask_read['tokens'])\n"
        "print(mask_read['tokens'])\n\n"
        "p = mlm.predict(masked_lm, mask_ids[None])[0]      # ŷ_t, (T × V)\n"
        "guesses = []\n"
        "for position in mask_read['masks']:\n"
        f"    # {say('las más probables, sin contar <pad>, <unk> ni [MASK]', 'the likeliest, leaving out <pad>, <unk> and [MASK]')}\n"
        "    best = [k for k in np.argsort(p[position], kind='stable')[::-1] if k >= len(mlm.SPECIALS)][:explain.TOP]\n"
        "    guesses.append({'position': position, 'words': [{'word': mlm_vocab.itos[k], 'p': float(p[position, k])} for k in best]})\n"
        f"    print({say('[MASK] en la posición', '[MASK] at position')!r}, position + 1)\n"
        "    for guess in guesses[-1]['words']:\n"
        "        print(f\"  {guess['word']:<12} {guess['p']:.4f}\")"
    )
    notebook.markdown(
        f"## Capa {layer + 1}, cabeza {head + 1}: $Q$, $K$, $V$ y $\\mathrm{{softmax}}(QK^\\top/\\sqrt{{d_k}})$\n\n"
        "Cada cabeza proyecta la entrada de la capa $X$ (una fila por palabra) en consultas $Q = X W^Q + b^Q$, "
        "claves $K = X W^K + b^K$ y valores $V = X W^V + b^V$ de $d_k$ columnas; compara cada consulta con todas las "
        "claves, $QK^\\top/\\sqrt{d_k}$, y el softmax de cada fila da cuánto mira cada palabra a cada otra: "
        "$Z = \\mathrm{softmax}(QK^\\top/\\sqrt{d_k})\\,V$. Lo calculamos a mano con los pesos de la capa "
        "(PyTorch guarda $W^Q, W^K, W^V$ traspuestas y apiladas en `in_proj_weight`).",
        f"## Layer {layer + 1}, head {head + 1}: $Q$, $K$, $V$ and $\\mathrm{{softmax}}(QK^\\top/\\sqrt{{d_k}})$\n\n"
        "Each head projects the layer's input $X$ (one row per word) into queries $Q = X W^Q + b^Q$, keys "
        "$K = X W^K + b^K$ and values $V = X W^V + b^V$ of $d_k$ columns; it compares every query with every key, "
        "$QK^\\top/\\sqrt{d_k}$, and each row's softmax says how much each word looks at every other: "
        "$Z = \\mathrm{softmax}(QK^\\top/\\sqrt{d_k})\\,V$. We compute it by hand from the layer's weights "
        "(PyTorch keeps $W^Q, W^K, W^V$ transposed and stacked in `in_proj_weight`).",
    )
    notebook.code(
        f"layer, head = {layer}, {head}   # {say('contando desde 0', 'counting from 0')}\n"
        f"details = mlm.attention_details(masked_lm, mask_ids)   # {say('por capa: su entrada X y, por cabeza, Q, K, V, puntajes y pesos', 'per layer: its input X and, per head, Q, K, V, scores and weights')}\n"
        "X = details[layer]['X']\n"
        "self_attn = masked_lm.layers[layer].self_attn\n"
        "E = self_attn.embed_dim\n"
        "d_k = E // self_attn.num_heads\n"
        "W, b = self_attn.in_proj_weight.numpy(), self_attn.in_proj_bias.numpy()\n"
        f"mine = slice(head * d_k, (head + 1) * d_k)        # {say('las filas de esta cabeza', 'this head’s rows')}\n"
        "Q = X @ W[0:E][mine].T + b[0:E][mine]             # Q = X W^Q + b^Q\n"
        "K = X @ W[E:2 * E][mine].T + b[E:2 * E][mine]     # K = X W^K + b^K\n"
        "V = X @ W[2 * E:][mine].T + b[2 * E:][mine]       # V = X W^V + b^V\n"
        "scores = Q @ K.T / np.sqrt(d_k)                   # QKᵀ/√d_k\n"
        "weights = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
        f"weights /= weights.sum(axis=1, keepdims=True)     # softmax, {say('fila por fila', 'row by row')}\n"
        "Z = weights @ V                                   # Z = softmax(QKᵀ/√d_k) V\n\n"
        "show(weights, mask_read['tokens'], mask_read['tokens'])\n"
        f"print('Q, K, V:', Q.shape, {say('· Z de esta cabeza:', '· this head’s Z:')!r}, Z.shape)\n"
        f"print({say('diferencia máxima con los pesos del modelo:', 'largest difference from the model’s weights:')!r}, "
        "np.abs(weights - details[layer]['weights'][head]).max())"
    )
