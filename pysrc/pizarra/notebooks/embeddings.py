"""The Embeddings page as a notebook: the vector set in use (a committed file, or the vectors trained
or loaded in the browser, carried as they are), the nearest neighbours of the query words by cosine,
the analogy ``a : b :: c : ?`` (3CosAdd and 3CosMul), the 2-D projection, the course's count table
under its weighting, and, when the page showed it, the count pipeline on a corpus."""

from __future__ import annotations

from . import Notebook

SET_NAMES = {
    "glove_en": ("GloVe 6B (inglés, preentrenado)", "GloVe 6B (English, pretrained)"),
    "sgns_en": ("SGNS · Estado de la Unión", "SGNS · State of the Union"),
    "cbow_en": ("CBOW · Estado de la Unión", "CBOW · State of the Union"),
    "ppmi_en": ("PPMI + SVD · Estado de la Unión", "PPMI + SVD · State of the Union"),
    "sgns_es": ("SGNS · Wikipedia + Congreso", "SGNS · Wikipedia + Congress"),
    "cbow_es": ("CBOW · Wikipedia + Congreso", "CBOW · Wikipedia + Congress"),
    "ppmi_es": ("PPMI + SVD · Wikipedia + Congreso", "PPMI + SVD · Wikipedia + Congress"),
}
CORPORA = {
    "en": ("los discursos del Estado de la Unión (inglés)", "the State of the Union addresses (English)"),
    "es": ("Wikipedia y el Congreso (español)", "Wikipedia and the Spanish Congress (Spanish)"),
    "text": ("el texto que pegaste", "the text you pasted"),
}
WEIGHTING_TEXT = {
    "raw": (
        "Sin ponderar: cada celda es el conteo $M[w, c]$ tal cual.",
        "Unweighted: each cell is the count $M[w, c]$ as it is.",
    ),
    "tfidf": (
        "tf-idf, con cada palabra como «documento» de sus contextos: "
        "$\\mathrm{tf}(t,d) = \\frac{f(t,d)}{\\max_{t'} f(t',d)}$, "
        "$\\mathrm{idf}(t) = \\log \\frac{|D|}{|\\{d : t \\in d\\}|}$, peso $\\mathrm{tf} \\cdot \\mathrm{idf}$.",
        'tf-idf, with each word as the "document" of its contexts: '
        "$\\mathrm{tf}(t,d) = \\frac{f(t,d)}{\\max_{t'} f(t',d)}$, "
        "$\\mathrm{idf}(t) = \\log \\frac{|D|}{|\\{d : t \\in d\\}|}$, weight $\\mathrm{tf} \\cdot \\mathrm{idf}$.",
    ),
    "ppmi": (
        "PPMI: $\\mathrm{PPMI}(w,c) = \\max\\left(\\log \\frac{P(w,c)}{P(w)\\,P(c)},\\ 0\\right)$, con "
        "$P(w,c) = M[w,c] / \\sum M$ y $P(w)$, $P(c)$ las sumas de su fila y su columna.",
        "PPMI: $\\mathrm{PPMI}(w,c) = \\max\\left(\\log \\frac{P(w,c)}{P(w)\\,P(c)},\\ 0\\right)$, with "
        "$P(w,c) = M[w,c] / \\sum M$ and $P(w)$, $P(c)$ the shares of its row and its column.",
    ),
}


def build(
    notebook: Notebook,
    set_name: str,
    source: dict,
    words: list[str],
    analogy: tuple[str, str, str],
    projection: dict,
    weighting: str,
    include_the: bool,
    corpus: dict | None,
    example: tuple | None,
) -> None:
    """Cells for vector set ``set_name`` (``source``: ``{"kind": "committed", "asset"}``, or ``"trained"`` /
    ``"mine"`` with ``weights``, an .npz file of ``words`` and ``vectors``, and for ``"trained"``
    its ``config`` and ``progress``), the neighbours of ``words``, ``analogy`` (a, b, c),
    ``projection`` (``words``, ``around``, ``k``, ``method``, ``seed``: embeddings_projection's
    arguments), the course table under ``weighting`` (with or without "the"), and ``corpus``
    (embeddings_corpus_counts' arguments, or None when the page did not count a corpus).
    ``example``: a query word and its nearest neighbour, whose cosine a cell checks by hand."""
    _vector_cells(notebook, set_name, source)
    _look_up_cells(notebook)
    _neighbour_cells(notebook, words, example)
    _analogy_cells(notebook, *analogy)
    _projection_cells(notebook, projection)
    _count_table_cells(notebook, weighting, include_the)
    if corpus is not None:
        _corpus_cells(notebook, corpus)
    notebook.result(
        "## Lo que mostró la página\n\nLos vecinos y sus cosenos, la analogía, la proyección (sus coordenadas "
        "si es PCA; con t-SNE, solo qué palabras dibuja), la tabla del curso ponderada con sus cosenos"
        + (" y los vecinos en el corpus" if corpus is not None else "")
        + ", con todas sus cifras. "
        "`null` marca una consulta a la que la página respondió con un mensaje.",
        "## What the page showed\n\nThe neighbours and their cosines, the analogy, the projection (its "
        "coordinates for PCA; for t-SNE, only which words it draws), the weighted course table with its cosines"
        + (" and the neighbours in the corpus" if corpus is not None else "")
        + ", with all their digits. "
        "`null` marks a query the page answered with a message.",
        "{'set': SET, 'neighbours': neighbours, 'analogy': analogy, 'projection': picture,\n"
        "            'count_table': {'weighted': weighted.tolist(), 'cosine': cosine.tolist(), "
        "'svd_cosine': svd_cosine.tolist()},\n"
        f"            'corpus': {'corpus_result' if corpus is not None else 'None'}}}",
    )


def _vector_cells(notebook: Notebook, set_name: str, source: dict) -> None:
    say = notebook.say
    if source["kind"] == "committed":
        name_es, name_en = SET_NAMES[set_name]
        notebook.markdown(
            f"## Los vectores: {name_es}\n\n"
            "Cada palabra del vocabulario es una fila de una matriz $V$ (palabras × dimensiones). "
            f"`storage.load` lee el archivo que usa la página, `{source['asset']}`: guarda cada vector con "
            "8 bits por número y una escala por palabra, $v \\approx s \\cdot q$ con "
            "$q = \\mathrm{round}(127\\, v / \\max|v|)$. Son exactamente los vectores de la página; la "
            "descripción dice con qué corpus, modelo y ajustes se obtuvieron.",
            f"## The vectors: {name_en}\n\n"
            "Each word of the vocabulary is a row of a matrix $V$ (words × dimensions). `storage.load` "
            f"reads the file the page uses, `{source['asset']}`: it keeps each vector as 8 bits per number and "
            "one scale per word, $v \\approx s \\cdot q$ with $q = \\mathrm{round}(127\\, v / \\max|v|)$. "
            "They are exactly the page's vectors; the description says which corpus, model and settings "
            "gave them.",
        )
        notebook.code(
            "import numpy as np\n"
            "from pizarra.data import assets\n"
            "from pizarra.embeddings import storage\n\n"
            f"SET = {set_name!r}\n"
            f"vectors, description = storage.load(assets.path({source['asset']!r}))\n"
            f"print(len(vectors), {say('palabras de', 'words of')!r}, vectors.dim, {say('dimensiones', 'dimensions')!r})\n"
            "for key in ('method', 'corpus', 'settings'):\n"
            "    print(f'{key}: {description.get(key)}')"
        )
        return
    if source["kind"] == "trained":
        _trained_markdown(notebook, source["config"], source["progress"])
    else:
        notebook.markdown(
            "## Tus vectores\n\n"
            "Los vectores que cargaste en la página (formato de texto de word2vec/GloVe: una palabra y sus "
            "números por línea) viven solo en tu navegador. Esta celda los lleva tal cual (números `float32`): "
            "las palabras y la matriz $V$ en un archivo `.npz`, en base64. No hace falta leerla: solo ejecutarla.",
            "## Your vectors\n\n"
            "The vectors you loaded on the page (word2vec/GloVe text format: a word and its numbers per line) "
            "live only in your browser. This cell carries them as they are (`float32` numbers): the words and "
            "the matrix $V$ in an `.npz` file, in base64. No need to read it: just run it.",
        )
    notebook.data("WEIGHTS", source["weights"])
    notebook.markdown(
        "Un `VectorSet` reúne las palabras y sus vectores: es el conjunto que usaba la página.",
        "A `VectorSet` puts the words and their vectors together: it is the set the page used.",
    )
    notebook.code(
        "import base64, io\n\n"
        "import numpy as np\n"
        "from pizarra.embeddings.vectors import VectorSet\n\n"
        f"SET = {set_name!r}\n"
        "with np.load(io.BytesIO(base64.b64decode(WEIGHTS))) as data:\n"
        f"    words = bytes(data['words']).decode('utf-8').split('\\n')   # {say('una palabra por línea', 'one word per line')}\n"
        "    vectors = VectorSet(words, data['vectors'])\n"
        f"print(len(vectors), {say('palabras de', 'words of')!r}, vectors.dim, {say('dimensiones', 'dimensions')!r})"
    )


def _trained_markdown(notebook: Notebook, config: dict, progress: float) -> None:
    """What the page trained, with its configuration and seed."""
    cbow = config["model"] == "cbow"
    loss = (
        "h = \\frac{1}{|C_i|} \\sum_{w \\in C_i} V_w, \\quad "
        "L = -\\log \\sigma(V'_{w_i} \\cdot h) - \\sum_{k=1}^{K} \\log \\sigma(-V'_k \\cdot h)"
        if cbow
        else "L = -\\log \\sigma(V_i \\cdot V'_j) - \\sum_{k=1}^{K} \\log \\sigma(-V_i \\cdot V'_k)"
    )
    es_corpus, en_corpus = CORPORA[config["source"]]
    settings = ", ".join(f"`{k}` = {v}" for k, v in config.items() if k not in ("source", "model"))
    reached = (
        ("Terminó el entrenamiento", "It finished the training")
        if progress >= 1
        else (
            f"Se detuvo al {100 * progress:.0f} % del entrenamiento",
            f"It stopped at {100 * progress:.0f}% of the training",
        )
    )
    notebook.markdown(
        "## Los vectores que entrenaste en la página\n\n"
        f"La página entrenó {'CBOW' if cbow else 'skip-gram con muestreo negativo (SGNS)'} sobre {es_corpus}: "
        f"${loss}$, con $K$ negativos sacados de $P_n(w) \\propto \\mathrm{{count}}(w)^\\alpha$ y SGD. "
        f"Configuración y semilla: {settings}. {reached[0]} "
        "(`pizarra.embeddings.word2vec_training.Word2VecRun`).\n\n"
        "Esta celda lleva los vectores tal cual (números `float32`): las palabras y la matriz $V$ en un archivo "
        "`.npz`, en base64. Entrenar de nuevo con la misma configuración y la misma semilla da vectores casi "
        "iguales, pero no idénticos en todas sus cifras (el navegador y tu Python suman en otro orden), así que "
        "el cuaderno usa los de la página. No hace falta leer la celda: solo ejecutarla.",
        "## The vectors you trained on the page\n\n"
        f"The page trained {'CBOW' if cbow else 'skip-gram with negative sampling (SGNS)'} on {en_corpus}: "
        f"${loss}$, with $K$ negatives drawn from $P_n(w) \\propto \\mathrm{{count}}(w)^\\alpha$ and SGD. "
        f"Configuration and seed: {settings}. {reached[1]} "
        "(`pizarra.embeddings.word2vec_training.Word2VecRun`).\n\n"
        "This cell carries the vectors as they are (`float32` numbers): the words and the matrix $V$ in an "
        "`.npz` file, in base64. Training again with the same configuration and seed gives nearly the same "
        "vectors, but not identical in every digit (the browser and your Python add up in another order), "
        "so the notebook uses the page's. No need to read the cell: just run it.",
    )


def _look_up_cells(notebook: Notebook) -> None:
    say = notebook.say
    notebook.markdown(
        "## Buscar una palabra\n\n"
        "Como en la página, una consulta que no es una palabra, o una palabra que no está en el vocabulario, "
        "no detiene el cuaderno: `look_up` da un mensaje (con las palabras de escritura más parecida) y la "
        "consulta queda en `None`. Una palabra se busca tal cual y, si no está, en minúsculas.",
        "## Looking a word up\n\n"
        "As on the page, a query that is not a word, or a word outside the vocabulary, does not stop the "
        "notebook: `look_up` gives a message (with the words spelled most alike) and the query stays `None`. "
        "A word is looked up as it is and, if absent, in lower case.",
    )
    doc = say(
        "La fila de `word` en `vectors`, o None (y el mensaje de la página).",
        "The row of `word` in `vectors`, or None (and the page’s message).",
    )
    empty = say("Escribe una palabra.", "Type a word.")
    not_a_word = say(
        "«{word}» no es una palabra: escribe una sola palabra, con letras o cifras.",
        "“{word}” is not a word: type a single word, of letters or digits.",
    )
    maybe = say(' ¿Quizás: {", ".join(unknown.suggestions)}?', ' Perhaps: {", ".join(unknown.suggestions)}?')
    unknown = say("«{word}» no está en el vocabulario.", "“{word}” is not in the vocabulary.")
    notebook.code(
        "from pizarra.embeddings import corpus\n"
        "from pizarra.embeddings.vectors import UnknownWord, VectorSet\n\n\n"
        "def look_up(vectors, word):\n"
        f'    """{doc}"""\n'
        "    word = word.strip()\n"
        "    if not word:\n"
        f"        print({empty!r})\n"
        "        return None\n"
        "    if len(corpus.tokens(word)) != 1:\n"
        f"        print(f{not_a_word!r})\n"
        "        return None\n"
        "    try:\n"
        "        return vectors.id(word)\n"
        "    except UnknownWord as unknown:\n"
        f"        maybe = f{maybe!r} if unknown.suggestions else ''\n"
        f"        print(f{unknown!r} + maybe)\n"
        "        return None"
    )


def _neighbour_cells(notebook: Notebook, words: list[str], example: tuple | None) -> None:
    notebook.markdown(
        "## Vecinos más cercanos\n\n"
        "La similitud entre dos palabras es el coseno de sus vectores, "
        "$\\cos(a, b) = \\frac{a \\cdot b}{|a|\\,|b|}$: 1 si apuntan igual, 0 si son perpendiculares. "
        "`vectors.neighbours(w, 10)` lo calcula contra todo el vocabulario de una vez (las filas "
        "normalizadas, $\\hat V = V / |V|$, por $\\hat w$) y se queda con las 10 mayores, sin la propia palabra.",
        "## Nearest neighbours\n\n"
        "The similarity of two words is the cosine of their vectors, "
        "$\\cos(a, b) = \\frac{a \\cdot b}{|a|\\,|b|}$: 1 if they point the same way, 0 if perpendicular. "
        "`vectors.neighbours(w, 10)` computes it against the whole vocabulary at once (the normalised rows, "
        "$\\hat V = V / |V|$, times $\\hat w$) and keeps the 10 largest, leaving out the word itself.",
    )
    notebook.code(
        f"QUERIES = {list(words)!r}\n\n"
        "neighbours = {}\n"
        "for word in QUERIES:\n"
        "    row = look_up(vectors, word)\n"
        "    if row is None:\n"
        "        neighbours[word] = None\n"
        "        continue\n"
        "    neighbours[word] = vectors.neighbours(vectors.words[row], 10)\n"
        "    print(f'\\n{vectors.words[row]}:')\n"
        "    for other, similarity in neighbours[word]:\n"
        "        print(f'  {other:<16} {similarity:.3f}')"
    )
    if example is None:
        return
    word, nearest = example
    notebook.markdown(
        "Comprobación: el coseno del primer vecino con la fórmula escrita a mano, $a \\cdot b / (|a|\\,|b|)$, "
        "da lo mismo (salvo el redondeo de `float32`).",
        "A check: the cosine of the first neighbour with the formula written by hand, $a \\cdot b / (|a|\\,|b|)$, "
        "gives the same (up to `float32` rounding).",
    )
    notebook.code(
        f"a, b = vectors.vectors[vectors.id({word!r})], vectors.vectors[vectors.id({nearest!r})]\n"
        "print(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))"
    )


def _analogy_cells(notebook: Notebook, a: str, b: str, c: str) -> None:
    notebook.markdown(
        "## Analogías: $a : b :: c : ?$\n\n"
        "3CosAdd busca la palabra $v$ más cercana a $b - a + c$: $\\arg\\max_v \\hat v \\cdot "
        "(\\hat b - \\hat a + \\hat c)$, con los vectores normalizados (la puntuación es el coseno por "
        "$|\\hat b - \\hat a + \\hat c|$, igual para toda $v$: el mismo ganador). 3CosMul multiplica en vez de "
        "sumar: $\\arg\\max_v \\frac{\\cos'(v,b)\\,\\cos'(v,c)}{\\cos'(v,a) + \\varepsilon}$ con "
        "$\\cos' = (\\cos + 1)/2$ y $\\varepsilon = 0.001$. Las tres palabras de la consulta no pueden ser la respuesta.",
        "## Analogies: $a : b :: c : ?$\n\n"
        "3CosAdd looks for the word $v$ closest to $b - a + c$: $\\arg\\max_v \\hat v \\cdot "
        "(\\hat b - \\hat a + \\hat c)$, on normalised vectors (the score is the cosine times "
        "$|\\hat b - \\hat a + \\hat c|$, the same for every $v$: the same winner). 3CosMul multiplies instead of "
        "adding: $\\arg\\max_v \\frac{\\cos'(v,b)\\,\\cos'(v,c)}{\\cos'(v,a) + \\varepsilon}$ with "
        "$\\cos' = (\\cos + 1)/2$ and $\\varepsilon = 0.001$. The three query words cannot be the answer.",
    )
    notebook.code(
        f"A, B, C = {a!r}, {b!r}, {c!r}\n\n"
        "rows = [look_up(vectors, word) for word in (A, B, C)]\n"
        "if None in rows:\n"
        "    analogy = None\n"
        "else:\n"
        "    analogy = {method: vectors.analogy(A, B, C, 5, method) for method in ('add', 'mul')}\n"
        "    for method, answers in analogy.items():\n"
        f"        print(f'3Cos{{method.capitalize()}}:', ', '.join(f'{{w}} ({{s:.3f}})' for w, s in answers))"
    )


def _projection_cells(notebook: Notebook, projection: dict) -> None:
    method, around, words, k = (
        projection["method"],
        projection["around"],
        projection["words"],
        projection["k"],
    )
    say = notebook.say
    drawn = say(
        f"la consultada y sus {k} vecinos más cercanos" if around else "tu lista",
        f"the query and its {k} nearest neighbours" if around else "your list",
    )
    then = say(", y después tu lista", ", then your list") if around and words else ""
    if method == "pca":
        how = say(
            "PCA centra los vectores, $X_c = X - \\bar x$, y los proyecta sobre sus dos primeras direcciones "
            "principales, los dos primeros vectores singulares derechos de $X_c = U \\Sigma V^\\top$: "
            "$y_i = x_i^c\\,[v_1\\ v_2]$ (el signo de cada eje, fijado para que su coordenada de mayor valor absoluto sea positiva).",
            "PCA centres the vectors, $X_c = X - \\bar x$, and projects them on their first two principal "
            "directions, the first two right singular vectors of $X_c = U \\Sigma V^\\top$: "
            "$y_i = x_i^c\\,[v_1\\ v_2]$ (each axis’s sign fixed so that its coordinate of largest absolute value is positive).",
        )
    else:
        how = say(
            "t-SNE coloca las palabras en el plano de modo que sus vecindarios se parezcan a los del espacio "
            "original: minimiza $\\mathrm{KL}(P \\| Q)$ con $q_{ij} \\propto (1 + |y_i - y_j|^2)^{-1}$ por "
            f"descenso de gradiente (500 pasos, semilla {projection['seed']}). Ese descenso amplifica "
            "cualquier diferencia: el último decimal de una suma, que cambia entre el navegador y tu Python, "
            "mueve el dibujo entero tras unas decenas de pasos. Por eso sus coordenadas pueden salir distintas "
            "de las de la página y no entran en la comparación: solo qué palabras se dibujan.",
            "t-SNE places the words in the plane so that their neighbourhoods resemble those of the original "
            "space: it minimises $\\mathrm{KL}(P \\| Q)$ with $q_{ij} \\propto (1 + |y_i - y_j|^2)^{-1}$ by "
            f"gradient descent (500 steps, seed {projection['seed']}). That descent amplifies any "
            "difference: the last digit of a sum, which changes between the browser and your Python, moves the "
            "whole picture after a few dozen steps. So its coordinates may come out different from the page's "
            "and are left out of the comparison: only which words are drawn.",
        )
    text = (
        "## "
        + say("Proyección en 2-D", "2-D projection")
        + "\n\n"
        + say(
            f"Las palabras que dibujaba la página: {drawn}{then} (hacen falta al menos tres conocidas). ",
            f"The words the page drew: {drawn}{then} (at least three known ones are needed). ",
        )
        + how
    )
    notebook.markdown(text, text)
    lines = ["from pizarra.embeddings import projection", "", "rows = []"]
    if around:
        lines += [
            f"AROUND, K = {around!r}, {k}",
            "centre = look_up(vectors, AROUND)",
            "if centre is not None:",
            "    rows = [centre] + [vectors.index[w] for w, _ in vectors.neighbours(vectors.words[centre], K)]",
        ]
    if words:
        lines += [
            f"for word in {list(words)!r}:",
            "    row = look_up(vectors, word)",
            "    if row is not None and row not in rows:",
            "        rows.append(row)",
        ]
    lines += [
        "if len(rows) < 3:",
        f"    print({notebook.say('Hacen falta al menos tres palabras conocidas para dibujar.', 'At least three known words are needed to draw.')!r})",
        "    picture = None",
        "else:",
        (
            "    xy = projection.pca(vectors.vectors[rows])"
            if method == "pca"
            else f"    xy = projection.tsne(vectors.vectors[rows], seed={projection['seed']})"
        ),
        "    for row, (x, y) in zip(rows, xy):",
        "        print(f'{vectors.words[row]:<16} {x:9.4f} {y:9.4f}')",
        (
            "    picture = {'method': 'pca', 'points': [[vectors.words[r], float(x), float(y)] for r, (x, y) in zip(rows, xy)]}"
            if method == "pca"
            else "    picture = {'method': 'tsne', 'words': [vectors.words[r] for r in rows]}"
        ),
    ]
    notebook.code("\n".join(lines))


def _count_table_cells(notebook: Notebook, weighting: str, include_the: bool) -> None:
    es, en = WEIGHTING_TEXT[weighting]
    notebook.markdown(
        "## Contar: la tabla del curso\n\n"
        "Cuántas veces aparece cada contexto cerca de cada palabra, $M[w, c]$"
        + ("" if include_the else ", sin la columna «the»")
        + f". {es} Después, los cosenos entre las cuatro "
        "palabras, y los mismos cosenos tras reducir la tabla con SVD truncada a $d = 2$: "
        "la tabla ponderada $\\approx W \\times C$, con los vectores de palabra en las filas de $W$ (de $d$ columnas).",
        "## Counting: the course's table\n\n"
        "How often each context appears near each word, $M[w, c]$"
        + ("" if include_the else ', without the "the" column')
        + f". {en} Then the cosines between the four words, and the same cosines after "
        "reducing the table with a truncated SVD to $d = 2$: the weighted table $\\approx W \\times C$, the word "
        "vectors being the rows of $W$ ($d$ columns).",
    )
    notebook.code(
        "from pizarra.embeddings import counts\n\n"
        f"WEIGHTING, WITH_THE = {weighting!r}, {include_the!r}\n"
        "contexts = [c for c in counts.COURSE_CONTEXTS if WITH_THE or c != 'the']\n"
        "table = counts.COURSE_COUNTS[:, [counts.COURSE_CONTEXTS.index(c) for c in contexts]]\n"
        "weighted = counts.weigh(counts.Sparse.from_dense(table), WEIGHTING).to_dense()\n"
        "cosine = counts.cosine_matrix(weighted)\n"
        "reduced, singular = counts.truncated_svd(weighted, 2)\n"
        "svd_cosine = counts.cosine_matrix(reduced)\n\n"
        "print(' ' * 11 + ''.join(f'{c:>10}' for c in contexts))\n"
        "for word, row in zip(counts.COURSE_WORDS, weighted):\n"
        "    print(f'{word:<11}' + ''.join(f'{v:10.2f}' for v in row))\n"
        f"print({notebook.say('cosenos', 'cosines')!r})\n"
        "print(np.round(cosine, 3))\n"
        f"print({notebook.say('cosenos tras SVD (d = 2)', 'cosines after SVD (d = 2)')!r})\n"
        "print(np.round(svd_cosine, 3))"
    )


def _corpus_cells(notebook: Notebook, corpus: dict) -> None:
    source, window, weighting, dim = (
        corpus[k] for k in ("count_source", "count_window", "count_weighting", "count_dim")
    )
    es_corpus, en_corpus = CORPORA[source]
    es, en = WEIGHTING_TEXT[weighting]
    notebook.markdown(
        "## El mismo camino en un corpus real\n\n"
        f"Las 3000 palabras más frecuentes de {es_corpus}. $M[w, c]$ cuenta cuántas veces el contexto $c$ "
        f"aparece a {window} posiciones o menos de $w$ (la ventana). {es} Luego una SVD truncada "
        f"aleatorizada (Halko, Martinsson y Tropp, semilla 0) a $d = {dim}$, con $W = U_d \\Sigma_d^{{1/2}}$. "
        "Tarda unos segundos.",
        "## The same pipeline on a real corpus\n\n"
        f"The 3000 most frequent words of {en_corpus}. $M[w, c]$ counts how often the context $c$ appears "
        f"within {window} positions of $w$ (the window). {en} Then a randomised truncated "
        f"SVD (Halko, Martinsson and Tropp, seed 0) to $d = {dim}$, with $W = U_d \\Sigma_d^{{1/2}}$. "
        "It takes a few seconds.",
    )
    notebook.code(
        "from pizarra.data import assets\n"
        "from pizarra.data.text import Vocab\n\n"
        f"text = assets.path({f'embeddings_corpus_{source}.txt'!r}).read_text(encoding='utf-8')\n"
        f"documents = [line.split() for line in text.splitlines() if line]   # {notebook.say('ya en tokens, separados por espacios', 'already tokens, split by spaces')}\n"
        "vocab = Vocab.build(documents, max_size=3000, specials=())\n"
        f"# {notebook.say('las palabras fuera del vocabulario valen -1: ocupan su lugar en la ventana, pero no cuentan', 'words outside the vocabulary are -1: they keep their place in the window but do not count')}\n"
        "ids = np.concatenate([np.array([vocab.stoi.get(t, -1) for t in d], np.int64) for d in documents])\n"
        f"M = counts.cooccurrence(ids, len(vocab), window={window})\n"
        f"W, _ = counts.truncated_svd(counts.weigh(M, {weighting!r}), {dim}, power=0.5)\n"
        "corpus_vectors = VectorSet(vocab.itos, W)\n"
        f"print(len(vocab), {notebook.say('palabras,', 'words,')!r}, len(ids), 'tokens')\n\n"
        "corpus_neighbours = {}\n"
        f"for word in {list(corpus['words'])!r}:\n"
        "    row = look_up(corpus_vectors, word)\n"
        "    corpus_neighbours[word] = None if row is None else corpus_vectors.neighbours(corpus_vectors.words[row], 8)\n"
        "    if row is not None:\n"
        "        print(corpus_vectors.words[row] + ':', ', '.join(f'{w} ({s:.3f})' for w, s in corpus_neighbours[word]))\n"
        "corpus_result = {'vocabulary': len(vocab), 'tokens': len(ids), 'neighbours': corpus_neighbours}"
    )
