"""The CNN digits page as a notebook: the digit as a 28×28 array, LeNet-5 (the site's weights or
the ones trained in the browser, embedded), every layer's output shape, the feature map the page
showed large, ``ŷ = softmax(o)``; then the convolution explainer's kernel on its small "7"."""

from __future__ import annotations

from . import Notebook

# What the page's layer view calls each stage (web/js/pages/cnn/state.js: STAGES).
STAGES = {
    "conv1": ("la primera convolución (tras su ReLU)", "the first convolution (after its ReLU)"),
    "pool1": ("el primer max-pooling", "the first max-pooling"),
    "conv2": ("la segunda convolución (tras su ReLU)", "the second convolution (after its ReLU)"),
    "pool2": ("el segundo max-pooling", "the second max-pooling"),
    "fc1": (
        "la primera capa densa (120 neuronas, tras su ReLU)",
        "the first dense layer (120 neurons, after its ReLU)",
    ),
    "fc2": (
        "la segunda capa densa (84 neuronas, tras su ReLU)",
        "the second dense layer (84 neurons, after its ReLU)",
    ),
    "out": ("la capa de salida: los 10 logits $o$", "the output layer: the 10 logits $o$"),
}

# The explainer's kernels as the page names them (web/js/pages/cnn/convolution.js: KERNELS).
KERNELS = {
    "edge-v": ("borde vertical", "vertical edge"),
    "edge-h": ("borde horizontal", "horizontal edge"),
    "diagonal": ("diagonal", "diagonal"),
    "sharpen": ("realce", "sharpen"),
    "sum": ("suma (desenfoque)", "sum (blur)"),
}


def _matrix(rows, width: int, indent: str = "    ") -> str:
    """A 2-D list as one line per row, numbers right-aligned: readable as the image it is."""
    return "\n".join(f"{indent}[{', '.join(f'{v:>{width}}' for v in row)}]," for row in rows)


def build(
    notebook: Notebook,
    digit,
    model: str,
    weights: bytes | None,
    training: dict | None,
    feature_map: dict | None,
    explainer: dict,
) -> None:
    """Cells for ``digit`` (28×28 uint8, or None for an empty board) read by ``model``
    ("pretrained", or "trained" with ``weights``, its .npz file, trained with ``training``),
    the page's large map ``feature_map`` ({stage, layer, channel}) and the explainer's
    ``{kernel_name, kernel, image, stride, padding, pooling}``."""
    say = notebook.say
    _digit_cells(notebook, digit)
    _model_cells(notebook, model, weights, training)
    notebook.markdown(
        "## Capa a capa\n\n"
        "`cnn.layer_outputs` pasa la imagen por cada capa y guarda su salida. La entrada es "
        "$x = \\text{píxel}/255$, con forma $(N, C, H, W) = (1, 1, 28, 28)$. Cada convolución calcula "
        "$Z_{i,j,k} = \\mathrm{ReLU}\\big(b_i + \\sum_{l,m,n} V_{l,\\,j+m-1,\\,k+n-1} K_{i,l,m,n}\\big)$ y su "
        "salida mide $\\lfloor (n + 2p - f)/s \\rfloor + 1$ por lado, con $n$ el lado de la entrada y $f$ el del filtro (28 con relleno $p = 2$; luego "
        "$14 - 5 + 1 = 10$). Cada max-pooling 2×2 parte el alto y el ancho por la mitad, `Flatten` deja "
        "$16 \\cdot 5 \\cdot 5 = 400$ valores y las capas densas calculan $h = \\mathrm{ReLU}(W x + b)$.",
        "## Layer by layer\n\n"
        "`cnn.layer_outputs` runs the image through every layer and keeps its output. The input is "
        "$x = \\text{pixel}/255$, shaped $(N, C, H, W) = (1, 1, 28, 28)$. Each convolution computes "
        "$Z_{i,j,k} = \\mathrm{ReLU}\\big(b_i + \\sum_{l,m,n} V_{l,\\,j+m-1,\\,k+n-1} K_{i,l,m,n}\\big)$ and its "
        "output is $\\lfloor (n + 2p - f)/s \\rfloor + 1$ a side, $n$ being the input's side and $f$ the filter's (28 with padding $p = 2$; then "
        "$14 - 5 + 1 = 10$). Each 2×2 max-pooling halves height and width, `Flatten` leaves "
        "$16 \\cdot 5 \\cdot 5 = 400$ values and the dense layers compute $h = \\mathrm{ReLU}(W x + b)$.",
    )
    notebook.code(
        "import pizarra\n\n"
        f"x = pizarra.tensor(digit[None, None].astype(np.float32) / 255)   # (N, C, H, W) = (1, 1, 28, 28)\n"
        "with pizarra.no_grad():\n"
        "    outputs = cnn.layer_outputs(model, x)\n\n"
        f"print(f\"{{{say('entrada', 'input')!r}:<14}} {{'':<64}} {{tuple(x.shape[1:])}}\")\n"
        "for name, layer, out in outputs:\n"
        '    print(f"{name:<14} {str(layer):<64} {tuple(out.shape[1:])}")'
    )
    if digit is not None:
        _feature_map_cells(notebook, feature_map)
        _softmax_cells(notebook)
    _convolution_cells(notebook, explainer)
    empty = digit is None
    notebook.result(
        "## Lo que mostró la página\n\n"
        + (
            "La pizarra estaba vacía: la página no predecía nada. "
            if empty
            else "La predicción y las probabilidades $\\hat y$ de las barras, con todas sus cifras; "
        )
        + "la forma de la salida de cada capa y la salida $Z$ y el pooling de la convolución paso a paso.",
        "## What the page showed\n\n"
        + (
            "The board was empty: the page predicted nothing. "
            if empty
            else "The prediction and the bars' probabilities $\\hat y$, with all their digits; "
        )
        + "the output shape of every layer and the step-by-step convolution's output $Z$ and pooling.",
        f"{{'model': {model!r},\n"
        f"            'prediction': {'None' if empty else 'prediction'},\n"
        f"            'probabilities': {'None' if empty else 'probabilities.tolist()'},\n"
        "            'shapes': {name: list(out.shape[1:]) for name, layer, out in outputs},\n"
        "            'convolution': {'output': Z.tolist(), 'pooled': P.tolist()}}",
    )


def _digit_cells(notebook: Notebook, digit) -> None:
    say = notebook.say
    if digit is None:
        notebook.markdown(
            "## El dígito\n\nLa pizarra de la página estaba vacía: aquí el dígito es una imagen en negro, "
            "28×28 ceros. Puedes poner en su lugar los píxeles de un dígito (enteros de 0 a 255).",
            "## The digit\n\nThe page's board was empty: here the digit is a black image, 28×28 zeros. "
            "You can put a digit's pixels (integers from 0 to 255) in its place.",
        )
        notebook.code("import numpy as np\n\ndigit = np.zeros((28, 28), dtype=np.uint8)")
        return
    notebook.markdown(
        "## El dígito: 28×28 píxeles\n\n"
        "El dígito de la pizarra, ya normalizado como MNIST normalizó sus escaneos (recortado a su tinta, "
        "escalado a una caja de 20×20 y centrado por su centro de masa): una matriz de 28×28 enteros, "
        "de 0 (papel) a 255 (tinta). Es el que lleva el enlace de la página (`d=…`).",
        "## The digit: 28×28 pixels\n\n"
        "The digit on the board, already normalised as MNIST normalised its scans (cropped to its ink, "
        "scaled into a 20×20 box and centred by its centre of mass): a 28×28 matrix of integers, from "
        "0 (paper) to 255 (ink). It is the one the page's link carries (`d=…`).",
    )
    notebook.code(
        "import numpy as np\n\n"
        f"digit = np.array([\n{_matrix(digit.tolist(), 3)}\n], dtype=np.uint8)\n\n"
        f"# {say('el dígito dibujado con caracteres: cuanta más tinta, más oscuro', 'the digit drawn with characters: the more ink, the darker')}\n"
        "for row in digit:\n"
        "    print(''.join(' .:-=+*#%@'[int(v) * 10 // 256] * 2 for v in row))"
    )


def _model_cells(notebook: Notebook, model: str, weights: bytes | None, training: dict | None) -> None:
    say = notebook.say
    pattern = (
        "$\\text{INPUT} \\to [[\\text{CONV} \\to \\text{RELU}]^N \\to \\text{POOL}]^M \\to \\text{flatten} "
        "\\to [\\text{FC} \\to \\text{RELU}]^K \\to \\text{FC}$, "
        + say("con", "with")
        + " $N = 1$, $M = 2$, $K = 2$"
    )
    layers = say(
        "convolución 5×5 de 6 mapas con relleno 2 → ReLU → max-pool 2×2 → convolución 5×5 de 16 mapas → "
        "ReLU → max-pool 2×2 → aplanar (400) → densa 120 → ReLU → densa 84 → ReLU → densa 10 = $o$",
        "5×5 convolution with 6 maps and padding 2 → ReLU → 2×2 max-pool → 5×5 convolution with 16 maps → "
        "ReLU → 2×2 max-pool → flatten (400) → dense 120 → ReLU → dense 84 → ReLU → dense 10 = $o$",
    )
    if model != "trained":
        notebook.markdown(
            "## La red: LeNet-5 con los pesos del sitio\n\n"
            f"LeNet-5 (LeCun et al., 1998) sigue el patrón {pattern}: {layers}. "
            "`cnn.pretrained()` la crea con los pesos que entrenó el sitio (`lenet5_mnist.npz`, dentro del paquete).",
            "## The network: LeNet-5 with the site's weights\n\n"
            f"LeNet-5 (LeCun et al., 1998) follows the pattern {pattern}: {layers}. "
            "`cnn.pretrained()` builds it with the weights the site trained (`lenet5_mnist.npz`, inside the package).",
        )
        notebook.code(
            "from pizarra import cnn\n\n"
            "model = cnn.pretrained()\n"
            "print(model)\n"
            f"print(sum(p.numel() for p in model.parameters()), {say('parámetros', 'parameters')!r})"
        )
        return
    mode = (
        say("ajuste fino desde los pesos del sitio", "fine-tuned from the site's weights")
        if training["mode"] == "finetune"
        else say("desde cero", "from scratch")
    )
    augment = say("con" if training["augment"] else "sin", "with" if training["augment"] else "without")
    epochs = training["epochs"]
    planned = say(
        f"{epochs} época prevista" if epochs == 1 else f"{epochs} épocas previstas",
        f"{epochs} epoch planned" if epochs == 1 else f"{epochs} epochs planned",
    )
    notebook.markdown(
        "## Tu modelo: los pesos que entrenaste en el navegador\n\n"
        f"Entrenaste LeNet-5 en la página: {mode}, {training['steps']} de {training['total_steps']} pasos "
        f"({planned}) con Adam, lotes de {training['batch_size']}, "
        f"$\\mathrm{{lr}} = {training['lr']}$ con caída en coseno, semilla {training['seed']}, {augment} aumento "
        "de datos; cada paso de Adam mueve los pesos en contra del gradiente de la entropía cruzada media "
        "$L = -\\frac{1}{B} \\sum_b \\log \\hat y_b[y_b]$. Esta celda guarda esos pesos tal cual: un archivo "
        "`.npz` (el `state_dict` de la red) en base64. No hace falta leerla: solo ejecutarla.",
        "## Your model: the weights you trained in the browser\n\n"
        f"You trained LeNet-5 on the page: {mode}, {training['steps']} of {training['total_steps']} steps "
        f"({planned}) with Adam, batches of {training['batch_size']}, "
        f"$\\mathrm{{lr}} = {training['lr']}$ with a cosine decay, seed {training['seed']}, {augment} data "
        "augmentation; each Adam step moves the weights against the gradient of the mean cross-entropy "
        "$L = -\\frac{1}{B} \\sum_b \\log \\hat y_b[y_b]$. This cell keeps those weights as they are: an "
        "`.npz` file (the network's `state_dict`) in base64. No need to read it: just run it.",
    )
    notebook.data("WEIGHTS", weights)
    notebook.markdown(
        f"Una LeNet-5 nueva ({layers}) recibe esos pesos con `load_state_dict`: es la red que usaba la página.",
        f"A new LeNet-5 ({layers}) takes those weights with `load_state_dict`: it is the network the page used.",
    )
    notebook.code(
        "import base64, io\n\n"
        "from pizarra import cnn\n\n"
        "model = cnn.LeNet5()\n"
        "with np.load(io.BytesIO(base64.b64decode(WEIGHTS))) as state:\n"
        "    model.load_state_dict(dict(state))\n"
        "model.eval()\n"
        "print(model)"
    )


def _feature_map_cells(notebook: Notebook, feature_map: dict) -> None:
    stage, layer, channel = feature_map["stage"], feature_map["layer"], feature_map["channel"]
    what_es, what_en = STAGES[stage]
    if channel is None:
        notebook.markdown(
            f"## La capa que mirabas\n\nLa página mostraba en grande {what_es}: su salida, `{layer}`, es un vector.",
            f"## The layer you were looking at\n\nThe page showed {what_en} large: its output, `{layer}`, is a vector.",
        )
        pick = f"maps[{layer!r}]"
    else:
        notebook.markdown(
            f"## El mapa que mirabas\n\nLa página mostraba en grande el canal {channel} (contando desde 0; "
            f"la página lo numera {channel + 1}) de {what_es}, la salida de `{layer}`: un mapa de "
            "características, cuánto se activa ese filtro en cada posición de la imagen.",
            f"## The map you were looking at\n\nThe page showed large channel {channel} (counting from 0; "
            f"the page numbers it {channel + 1}) of {what_en}, the output of `{layer}`: a feature map, how "
            "strongly that filter fires at each position of the image.",
        )
        pick = f"maps[{layer!r}][{channel}]"
    notebook.code(
        "maps = {name: out.numpy()[0] for name, layer, out in outputs}\n"
        f"feature_map = {pick}\n\n"
        "np.set_printoptions(precision=2, suppress=True, linewidth=200)\n"
        "print(feature_map.shape)\n"
        "print(feature_map)"
    )


def _softmax_cells(notebook: Notebook) -> None:
    say = notebook.say
    notebook.markdown(
        "## La salida: $\\hat y = \\mathrm{softmax}(o)$\n\n"
        "La última capa da 10 puntuaciones $o$ (logits), una por dígito; softmax las convierte en "
        "probabilidades, $\\hat y_i = e^{o_i} / \\sum_j e^{o_j}$, que suman 1. La predicción es la clase "
        "más probable, $\\arg\\max_i \\hat y_i$: las barras de la página.",
        "## The output: $\\hat y = \\mathrm{softmax}(o)$\n\n"
        "The last layer gives 10 scores $o$ (logits), one per digit; softmax turns them into probabilities, "
        "$\\hat y_i = e^{o_i} / \\sum_j e^{o_j}$, which add up to 1. The prediction is the most likely "
        "class, $\\arg\\max_i \\hat y_i$: the page's bars.",
    )
    notebook.code(
        "from pizarra.nn import functional as F\n\n"
        f"o = outputs[-1][2]   # {say('los logits: la salida de classifier.5, (1, 10)', 'the logits: the output of classifier.5, (1, 10)')}\n"
        "probabilities = F.softmax(o, dim=1).numpy()[0]\n"
        "prediction = int(probabilities.argmax())\n\n"
        "for k, p in enumerate(probabilities):\n"
        "    print(f\"{k}  {p:8.3%}  {'█' * round(40 * p)}\")\n"
        f"print({say('predicción:', 'prediction:')!r}, prediction)"
    )


def _convolution_cells(notebook: Notebook, explainer: dict) -> None:
    say = notebook.say
    stride, same, mean = explainer["stride"], explainer["padding"] == "same", explainer["pooling"] == "mean"
    size = len(explainer["image"])
    name = notebook.say(*KERNELS[explainer["kernel_name"]])
    notebook.markdown(
        "## La convolución paso a paso\n\n"
        f"El «7» de {size}×{size} de la página ($V$, 1 = tinta) y su núcleo $K$ de 3×3, «{name}», con paso $s = {stride}$ y "
        + (
            "relleno «same», $p = (k - 1)/2 = 1$ (ceros alrededor). "
            if same
            else "relleno «valid», $p = 0$. "
        )
        + "Cada celda de la salida es la suma de los productos de la ventana por el núcleo (una correlación "
        "cruzada), $Z_{j,k} = \\sum_{m,n} V_{js + m - p,\\, ks + n - p}\\, K_{m,n}$, y la salida mide "
        f"$\\lfloor ({size} + 2p - 3)/s \\rfloor + 1$ por lado. Después, el pooling 2×2 "
        + (
            "promedia cada ventana, $P_{j,k} = \\frac{1}{4} \\sum_{0 \\le m,n < 2} Z_{2j+m,\\,2k+n}$."
            if mean
            else "se queda con el máximo de cada ventana, $P_{j,k} = \\max_{0 \\le m,n < 2} Z_{2j+m,\\,2k+n}$."
        ),
        "## The convolution step by step\n\n"
        f"The page's {size}×{size} “7” ($V$, 1 = ink) and its 3×3 kernel $K$, “{name}”, with stride $s = {stride}$ and "
        + ("“same” padding, $p = (k - 1)/2 = 1$ (zeros around). " if same else "“valid” padding, $p = 0$. ")
        + "Each output cell is the sum of the window's products with the kernel (a cross-correlation), "
        "$Z_{j,k} = \\sum_{m,n} V_{js + m - p,\\, ks + n - p}\\, K_{m,n}$, and the output is "
        f"$\\lfloor ({size} + 2p - 3)/s \\rfloor + 1$ a side. Then 2×2 pooling "
        + (
            "averages each window, $P_{j,k} = \\frac{1}{4} \\sum_{0 \\le m,n < 2} Z_{2j+m,\\,2k+n}$."
            if mean
            else "keeps each window's maximum, $P_{j,k} = \\max_{0 \\le m,n < 2} Z_{2j+m,\\,2k+n}$."
        ),
    )
    pool = "F.avg_pool2d" if mean else "F.max_pool2d"
    by_hand = say(
        "una celda a mano, la de mayor valor absoluto: su ventana de 3×3 de V (con el relleno de ceros) por K, sumada",
        "one cell by hand, the largest in absolute value: its 3×3 window of V (with the zero padding) times K, summed",
    )
    notebook.code(
        "import pizarra\n"
        "from pizarra.nn import functional as F\n\n"
        f"V = np.array([\n{_matrix(explainer['image'], 1)}\n], dtype=np.float32)\n"
        f"K = np.array([\n{_matrix(explainer['kernel'], 2)}\n], dtype=np.float32)   # {name}\n"
        f"s, p = {stride}, {1 if same else 0}\n\n"
        "Z = F.conv2d(pizarra.tensor(V[None, None]), pizarra.tensor(K[None, None]), stride=s, padding=p)\n"
        f"P = {pool}(Z, 2)\n"
        "Z, P = Z.numpy()[0, 0], P.numpy()[0, 0]\n"
        "print('Z =', Z, sep='\\n')\n"
        "print('P =', P, sep='\\n')\n\n"
        f"# {by_hand}\n"
        "padded = np.pad(V, p)\n"
        "j, k = np.unravel_index(np.abs(Z).argmax(), Z.shape)\n"
        "window = padded[j * s:j * s + 3, k * s:k * s + 3]\n"
        "print(f'Z[{j}, {k}] =', (window * K).sum(), '=', Z[j, k])"
    )
