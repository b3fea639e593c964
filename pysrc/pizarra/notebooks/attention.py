"""The Attention page as a notebook: a Spanish sentence translated by the three encoder–decoders,
the chosen variant's attention matrix, one decoding step computed by hand (``s_ij``, ``w_ij``,
``c_i``, ``u_i``, ``ŷ_i``), beam search, and the masked language model's guesses and one head's
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
    beam: int,
    step: int,
    mask_sentence: str,
    layer: int,
    head: int,
) -> None:
    """Cells for ``sentence`` decoded by ``variant`` (greedy, and beam search of width ``beam`` ≥ 2)
    shown at decoding step ``step``, and ``mask_sentence`` with layer ``layer``'s head ``head``."""
    say = notebook.say
    _translation_cells(notebook, sentence, variant)
    _decoding_step_cells(notebook, variant, step)
    if beam > 1:
        notebook.markdown(
            f"## Búsqueda en haz (k = {beam})\n\n"
            "En vez de quedarse con la palabra más probable, la búsqueda en haz guarda las $k$ mejores "
            "traducciones parciales según su log-probabilidad total $\\sum_i \\log \\hat y_i[y_i]$, "
            "prolonga cada una con todas las palabras y vuelve a quedarse con las $k$ mejores. Una "
            "traducción que escribe `</s>` queda aparte; entre las terminadas gana la de mayor "
            "log-probabilidad media por palabra (la suma a secas preferiría siempre las cortas).",
            f"## Beam search (k = {beam})\n\n"
            "Instead of keeping the likeliest word, beam search keeps the $k$ best partial translations "
            "by their total log-probability $\\sum_i \\log \\hat y_i[y_i]$, extends each by every word "
            "and keeps the $k$ best again. A translation that writes `</s>` is set aside; among the "
            "finished ones the best mean log-probability per word wins (the plain sum would always "
            "prefer short ones).",
        )
        notebook.code(
            f"beam = {beam}\n"
            "found = decoding.beam_search(model, ids, beam, MAX_OUTPUT)\n"
            "beam_step = min(step, len(found['candidates']) - 1)\n"
            f"print({say('traducción del haz:', 'beam translation:')!r}, ' '.join(target_vocab.decode(found['tokens'])))\n"
            "print('Σ log p =', found['score'])\n"
            f"print({say('candidatos tras el paso', 'candidates after step')!r}, beam_step + 1)\n"
            "for c in found['candidates'][beam_step]:\n"
            f"    print(f\"  {{c['score']:9.4f}}  {{' '.join(target_vocab.decode(c['ids']))}}\", "
            f"{say('(terminada)', '(finished)')!r} if c['finished'] else '')"
        )
    _self_attention_cells(notebook, mask_sentence, layer, head)
    beam_result = (
        "None"
        if beam == 1
        else "{'translation': target_vocab.decode(found['tokens']), 'score': found['score'],\n"
        "          'candidates': [{'words': target_vocab.decode(c['ids']), 'score': c['score'], "
        "'finished': c['finished']}\n"
        "                         for c in found['candidates'][beam_step]]}"
    )
    notebook.result(
        "## Lo que mostró la página\n\n"
        "Los números de cada sección de arriba, con todas sus cifras: las traducciones, la matriz de "
        "atención, el paso de la decodificación, las palabras que el modelo propone para cada `[MASK]` y los "
        "pesos de la cabeza elegida (`beam` es `None` con la decodificación voraz).",
        "## What the page showed\n\n"
        "The numbers of each section above, with all their digits: the translations, the attention matrix, "
        "the decoding step, the words the model proposes for each `[MASK]` and the chosen head's weights "
        "(`beam` is `None` with greedy decoding).",
        "{'tokens': tokens, 'translations': translations,\n"
        " 'attention': None if attention is None else attention.tolist(),\n"
        " 'step': {'i': step, 'word': word, 'top': top,\n"
        "          'scores': None if recorded['scores'] is None else recorded['scores'][0, :len(ids)].tolist(),\n"
        "          'weights': None if recorded['weights'] is None else recorded['weights'][0, :len(ids)].tolist()},\n"
        f" 'beam': {beam_result},\n"
        " 'mask': {'tokens': read['tokens'], 'guesses': guesses},\n"
        " 'head': {'layer': layer, 'head': head, 'weights': details[layer]['weights'][head].tolist()}}",
    )


def _translation_cells(notebook: Notebook, sentence: str, variant: str) -> None:
    """The translators, the sentence's tokens, the three greedy translations, the attention matrix."""
    say = notebook.say
    notebook.markdown(
        "## Los tres traductores entrenados\n\n"
        "Cada uno es un codificador–decodificador con GRU. El codificador lee la frase en los dos "
        "sentidos y da, por cada palabra $x_j$, su anotación $h_j = [\\overrightarrow{h}_j ; "
        "\\overleftarrow{h}_j]$. El decodificador escribe el inglés palabra por palabra con su estado "
        "$hd_i$ y un contexto $c_i$: las tres variantes solo difieren en $c_i$. **Sin atención** "
        "(el cuello de botella) $c_i = [\\overrightarrow{h}_S ; \\overleftarrow{h}_1]$, el mismo en todos "
        "los pasos; con atención $c_i = \\sum_j w_{ij} h_j$, con puntajes de **producto escalar** "
        "$s_{ij} = hd_i \\cdot h_j$ o **aditivos** (Bahdanau) $s_{ij} = v^\\top \\tanh(W_q\\, hd_i + W_k\\, h_j)$. "
        "Los parámetros están guardados en float16 (ocupan la mitad) y las cuentas se hacen en float32.",
        "## The three trained translators\n\n"
        "Each is a GRU encoder–decoder. The encoder reads the sentence both ways and gives, for each "
        "word $x_j$, its annotation $h_j = [\\overrightarrow{h}_j ; \\overleftarrow{h}_j]$. The decoder "
        "writes the English word by word from its state $hd_i$ and a context $c_i$: the three variants "
        "differ only in $c_i$. **Without attention** (the bottleneck) $c_i = [\\overrightarrow{h}_S ; "
        "\\overleftarrow{h}_1]$, the same at every step; with attention $c_i = \\sum_j w_{ij} h_j$, with "
        "**dot-product** scores $s_{ij} = hd_i \\cdot h_j$ or **additive** ones (Bahdanau) "
        "$s_{ij} = v^\\top \\tanh(W_q\\, hd_i + W_k\\, h_j)$. The parameters are stored as float16 (half the "
        "bytes) and the arithmetic is float32.",
    )
    notebook.code(
        "import numpy as np\n"
        "from pizarra.attention import corpus, decoding, explain, mlm, pretrained\n\n"
        "def show(matrix, rows, columns, digits=3):\n"
        f'    """{say("Imprime una matriz con el nombre de cada fila y de cada columna.", "Prints a matrix with each row and column named.")}"""\n'
        "    print(' ' * 10 + ''.join(f'{c[:8]:>9}' for c in columns))\n"
        "    for name, row in zip(rows, matrix):\n"
        "        print(f'{name[:10]:>10}' + ''.join(f'{x:9.{digits}f}' for x in row))\n\n"
        "models, source_vocab, target_vocab, config = pretrained.load_translators()\n"
        f"print({say('vocabularios: español', 'vocabularies: Spanish')!r}, len(source_vocab), "
        f"{say('inglés', 'English')!r}, len(target_vocab))\n"
        "for name, model in models.items():\n"
        f"    print(f'{{name:>9}}:', sum(p.numpy().size for p in model.parameters()), {say('parámetros', 'parameters')!r})"
    )
    notebook.markdown(
        "## La frase, palabra por palabra\n\n"
        "Se separan palabras y signos, en minúsculas, y se leen a lo sumo 20 (lo más largo que los "
        "traductores vieron al entrenar). Cada palabra es un número del vocabulario; las que no están "
        "se leen como `<unk>`.",
        "## The sentence, word by word\n\n"
        "Words and punctuation are split, lower-cased, and at most 20 are read (the longest the "
        "translators saw in training). Each word is a number of the vocabulary; those not in it are "
        "read as `<unk>`.",
    )
    notebook.code(
        f"sentence = {sentence!r}\n"
        "tokens = corpus.spanish_tokens(sentence)[:explain.MAX_SOURCE]\n"
        "ids = source_vocab.encode(tokens)\n"
        "print(tokens)\nprint(ids)\n"
        f"print({say('desconocidas (<unk>):', 'unknown (<unk>):')!r}, [t for t in tokens if t not in source_vocab])"
    )
    notebook.markdown(
        "## Traducir: decodificación voraz\n\n"
        "En cada paso el decodificador da una distribución sobre el vocabulario inglés, "
        "$\\hat y_i = \\mathrm{softmax}(V \\tanh(W_u u_i + b_u) + c)$ con $u_i = [c_i ; hd_i]$, escribe la "
        "palabra más probable $y_i = \\arg\\max_y \\hat y_i[y]$ y la usa como entrada del paso siguiente, "
        "hasta escribir `</s>` (o 25 palabras).",
        "## Translating: greedy decoding\n\n"
        "At each step the decoder gives a distribution over the English vocabulary, "
        "$\\hat y_i = \\mathrm{softmax}(V \\tanh(W_u u_i + b_u) + c)$ with $u_i = [c_i ; hd_i]$, writes the "
        "likeliest word $y_i = \\arg\\max_y \\hat y_i[y]$ and feeds it to the next step, until it writes "
        "`</s>` (or 25 words).",
    )
    notebook.code(
        "MAX_OUTPUT = explain.MAX_OUTPUT\n"
        "translations = {}\n"
        "for name, model in models.items():\n"
        "    out = decoding.greedy(model, [ids], MAX_OUTPUT)\n"
        "    translations[name] = target_vocab.decode(out['tokens'][0])\n"
        "    print(f'{name:>9}:', ' '.join(translations[name]))"
    )
    if variant == "none":
        notebook.markdown(
            "## Sin atención no hay matriz de atención\n\n"
            "La variante elegida es el cuello de botella: el decodificador ve la frase solo a través "
            "de un vector fijo, así que no hay pesos $w_{ij}$ que mostrar. Igual la decodificamos de nuevo "
            "guardando cada paso, para mirar uno de cerca.",
            "## Without attention there is no attention matrix\n\n"
            "The chosen variant is the bottleneck: the decoder sees the sentence only through one fixed "
            "vector, so there are no weights $w_{ij}$ to show. We still decode it again keeping every "
            "step, to look at one closely.",
        )
    else:
        notebook.markdown(
            "## La matriz de atención\n\n"
            "Decodificamos otra vez con la variante elegida, guardando cada paso. La fila $i$ son los pesos "
            "$w_{ij} = \\mathrm{softmax}_j(s_{ij})$ con que la palabra inglesa $i$ (o `</s>`) mira cada palabra "
            "española $j$: cada fila suma 1, y la matriz es un alineamiento suave entre las dos frases.",
            "## The attention matrix\n\n"
            "We decode again with the chosen variant, keeping every step. Row $i$ holds the weights "
            "$w_{ij} = \\mathrm{softmax}_j(s_{ij})$ with which English word $i$ (or `</s>`) looks at each "
            "Spanish word $j$: each row sums to 1, and the matrix is a soft alignment between the two sentences.",
        )
    lines = [
        f"variant = {variant!r}",
        "model = models[variant]",
        "run = decoding.greedy(model, [ids], MAX_OUTPUT, details=True)",
        "translation = target_vocab.decode(run['tokens'][0])",
        f"attention = run['weights'][0]   # {say('(palabras + </s>) × palabras de la fuente; None sin atención', '(words + </s>) × source words; None without attention')}",
        "print(' '.join(translation))",
    ]
    if variant != "none":
        lines += ["", "show(attention, translation + ['</s>'], tokens)"]
    notebook.code("\n".join(lines))


def _decoding_step_cells(notebook: Notebook, variant: str, step: int) -> None:
    """Decoding step ``step`` by the formulas, from the encoder's states and the decoder's ``hd_i``."""
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
            f"print(f\"{{'j':>3}} {{{say('palabra', 'word')!r}:<12}} {{'s_ij':>9}} {{'w_ij':>7}}\")\n"
            "for j, token in enumerate(tokens):\n"
            "    print(f'{j + 1:>3} {token:<12} {scores[j]:9.4f} {weights[j]:7.4f}')\n"
            f"print({say('diferencia máxima con los pesos del decodificador:', 'largest difference from the decoder’s weights:')!r}, "
            "np.abs(weights - recorded['weights'][0, :len(ids)]).max())\n"
        )
    notebook.markdown(
        f"## El paso {step + 1}, a mano: el contexto $c_i$\n\n"
        "Repetimos con NumPy, fórmula por fórmula, lo que hizo el decodificador en ese paso. Las anotaciones "
        "$h_j$ salen del codificador; el estado $hd_i$ es el de la GRU del decodificador tras leer las "
        f"palabras anteriores. {formula_es}",
        f"## Step {step + 1} by hand: the context $c_i$\n\n"
        "We repeat with NumPy, formula by formula, what the decoder did at that step. The annotations "
        "$h_j$ come from the encoder; the state $hd_i$ is the decoder GRU's after reading the previous "
        f"words. {formula_en}",
    )
    notebook.code(
        "import pizarra\n\n"
        f"step = {step}   # {say('el paso que mostraba la página, contando desde 0', 'the step the page showed, counting from 0')}\n"
        "recorded = run['steps'][step]\n"
        "word = translation[step] if step < len(translation) else '</s>'\n"
        "with pizarra.no_grad():\n"
        "    memory, summary, _, _ = model.encode(pizarra.tensor([ids]), [len(ids)])\n"
        f"h = memory.numpy()[0]                              # {say('h_j, una fila por palabra', 'h_j, one row per word')} (S × 2H)\n"
        "hd = recorded['hd'][0]                             # hd_i\n\n" + attend
    )
    notebook.markdown(
        "## La palabra siguiente\n\n"
        "El contexto y el estado del decodificador, juntos, $u_i = [c_i ; hd_i]$, dan los puntajes de "
        "cada palabra inglesa $o_i = V \\tanh(W_u u_i + b_u) + c$ y su distribución "
        "$\\hat y_i = \\mathrm{softmax}(o_i)$; la decodificación voraz escribe la más probable.",
        "## The next word\n\n"
        "The context and the decoder's state together, $u_i = [c_i ; hd_i]$, give the scores of every "
        "English word $o_i = V \\tanh(W_u u_i + b_u) + c$ and their distribution "
        "$\\hat y_i = \\mathrm{softmax}(o_i)$; greedy decoding writes the likeliest.",
    )
    notebook.code(
        "u = np.concatenate([context, hd])                  # u_i = [c_i ; hd_i]\n"
        "W_u, b_u = model.decoder.combine.weight.numpy(), model.decoder.combine.bias.numpy()\n"
        "V, c = model.decoder.out.weight.numpy(), model.decoder.out.bias.numpy()\n"
        "o = V @ np.tanh(W_u @ u + b_u) + c                 # o_i\n"
        "p_hand = np.exp(o - o.max()) / np.exp(o - o.max()).sum()   # ŷ_i = softmax(o_i)\n"
        "p = recorded['probabilities'][0]\n"
        f"print({say('diferencia máxima de ŷ_i con el decodificador:', 'largest difference of ŷ_i from the decoder’s:')!r}, np.abs(p_hand - p).max())\n\n"
        "best = np.argsort(p, kind='stable')[::-1][:explain.TOP]\n"
        "top = [{'word': target_vocab.itos[k], 'p': float(p[k])} for k in best]\n"
        f"print({say('escribe', 'writes')!r}, repr(word), {say('— las más probables:', '— the likeliest:')!r})\n"
        "for candidate in top:\n"
        "    print(f\"  {candidate['word']:<12} {candidate['p']:.4f}\")"
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
        f"read = explain.mask_tokens(mask_sentence, mlm_vocab, masked_lm.max_length)   # {say('las palabras, con [MASK] donde se escribió', 'the words, with [MASK] where it was written')}\n"
        "mask_ids = mlm_vocab.encode(read['tokens'])\n"
        "print(read['tokens'])\n\n"
        "p = mlm.predict(masked_lm, mask_ids[None])[0]      # ŷ_t, (T × V)\n"
        "guesses = []\n"
        "for position in read['masks']:\n"
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
        "show(weights, read['tokens'], read['tokens'])\n"
        f"print('Q, K, V:', Q.shape, {say('· Z de esta cabeza:', '· this head’s Z:')!r}, Z.shape)\n"
        f"print({say('diferencia máxima con los pesos del modelo:', 'largest difference from the model’s weights:')!r}, "
        "np.abs(weights - details[layer]['weights'][head]).max())"
    )
