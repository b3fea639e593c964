"""The Backprop page's models (course section 2).

- :mod:`.expression`: a safe parser of arithmetic expressions whose computational graph is
  pizarra's own autograd graph, so the page steps the real forward and backward passes;
- :mod:`.lab`: a small multi-layer perceptron learning a two-class set in the plane, one
  mini-batch at a time, recording what a student wants to watch at every step.
"""
