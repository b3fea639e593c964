"""The Backprop page as a notebook: the expression's graph, ``backward()`` and its table of values
and gradients; then the lab's exact run (data set, network, optimiser, seed, steps)."""

from __future__ import annotations

from . import Notebook


def build(notebook: Notebook, expression: str, values: dict, lab: dict, trained: int) -> None:
    """Cells for an expression at ``values`` and a lab run of ``lab`` (``pizarra.backprop.lab.Config``'s
    fields) trained ``trained`` steps."""
    notebook.markdown(
        "## La expresión y su grafo computacional\n\n"
        "`pizarra.backprop.expression` lee la expresión (sin `eval`) y la construye con tensores de "
        "`pizarra`: cada operación es un nodo del grafo, que guarda su `forward` y su `backward`.",
        "## The expression and its computational graph\n\n"
        "`pizarra.backprop.expression` reads the expression (no `eval`) and builds it from `pizarra` "
        "tensors: every operation is a node of the graph, which keeps its `forward` and `backward`.",
    )
    notebook.code(
        "import pizarra\n"
        "from pizarra.backprop import expression\n\n"
        f"tree = expression.parse({expression!r})\n"
        f"r = expression.build(tree, {values!r})\n\n"
        "for node in pizarra.trace(r):\n"
        "    inputs = ', '.join(f'n{i}' for i in node['inputs'])\n"
        "    name = node['label'] or f\"{node['op']}({inputs})\"\n"
        "    print(f\"n{node['id']:<3} {name:<20} = {node['value']:.6g}\")"
    )
    notebook.markdown(
        "## Retropropagación: `r.backward()`\n\n"
        "Recorre el grafo de la salida a las entradas aplicando la regla de la cadena: el gradiente "
        "de cada nodo es la suma, sobre los caminos hacia `r`, de gradiente de arriba × derivada local, "
        "$\\frac{\\partial r}{\\partial x} = \\sum_k \\frac{\\partial r}{\\partial u_k}\\frac{\\partial u_k}{\\partial x}$.",
        "## Backpropagation: `r.backward()`\n\n"
        "It walks the graph from the output back to the inputs with the chain rule: each node's gradient "
        "is the sum, over the paths to `r`, of upstream gradient × local derivative, "
        "$\\frac{\\partial r}{\\partial x} = \\sum_k \\frac{\\partial r}{\\partial u_k}\\frac{\\partial u_k}{\\partial x}$.",
    )
    header = f"{notebook.say('nodo', 'node'):<25} {notebook.say('valor', 'value'):>12} {notebook.say('∂r/∂nodo', '∂r/∂node'):>12}"
    notebook.code(
        "r.backward()\n\n"
        f"print({header!r})\n"
        "for node in pizarra.trace(r):\n"
        "    name = node['label'] or node['op']\n"
        "    grad = '' if node['grad'] is None else f\"{node['grad']:.6g}\"\n"
        "    print(f\"n{node['id']:<3} {name:<20} {node['value']:>12.6g} {grad:>12}\")"
    )
    notebook.markdown(
        "## El laboratorio: la misma red, los mismos datos, la misma semilla\n\n"
        "Un perceptrón multicapa aprende a separar dos clases del plano, un mini-lote cada paso: "
        "$\\hat y = \\sigma(o)$, pérdida de entropía cruzada binaria y, si hay regularización, "
        "$J = L + \\lambda \\sum_l \\lVert W_l \\rVert^2$. La configuración y la semilla determinan el "
        f"entrenamiento entero: {trained} pasos dan los mismos pesos que en la página.",
        "## The lab: the same network, the same data, the same seed\n\n"
        "A multi-layer perceptron learns to separate two classes in the plane, one mini-batch per step: "
        "$\\hat y = \\sigma(o)$, binary cross-entropy loss and, with regularisation, "
        "$J = L + \\lambda \\sum_l \\lVert W_l \\rVert^2$. The configuration and the seed determine the "
        f"whole run: {trained} steps give the same weights as on the page.",
    )
    settings = ",\n".join(f"    {name}={value!r}" for name, value in lab.items())
    notebook.code(
        "from pizarra.backprop import lab\n\n"
        f"config = lab.Config(\n{settings},\n)\n"
        "run = lab.TrainingRun(config)\n"
        "print(run.model)\n"
        f"run.run({trained})\n\n"
        f"# {notebook.say('la última época terminada: lo que muestran la gráfica de pérdida y la exactitud de la página', 'the last finished epoch: what the page’s loss chart and accuracy show')}\n"
        "last = run.epochs[-1] if run.epochs else None\n"
        f"print(run.step_count, {notebook.say('pasos:', 'steps:')!r}, last)"
    )
    notebook.result(
        "## Lo que mostró la página\n\nLos gradientes de la expresión y la última época del laboratorio "
        "(pérdida y exactitud), con todas sus cifras.",
        "## What the page showed\n\nThe expression's gradients and the lab's last epoch (loss and accuracy), "
        "with all their digits.",
        "{'r': r.item(), 'gradients': {node['label']: node['grad'] for node in pizarra.trace(r) if node['op'] == 'input'},\n"
        "            'steps': run.step_count, 'last_epoch': last}",
    )
