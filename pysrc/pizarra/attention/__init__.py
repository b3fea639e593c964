"""The attention page's models (course section 4): an encoder–decoder translator in three variants
(no attention, dot-product, additive) and a small BERT-style masked language model.

- :mod:`.translator`: the encoder–decoder and its loss; :mod:`.decoding`: greedy and beam search;
- :mod:`.mlm`: the transformer encoder, BERT's masking, and each head's ``Q, K, V`` and weights;
- :mod:`.corpus`: the verse pairs and Spanish sentences, cleaned and split;
- :mod:`.evaluate`: BLEU by source length, masked accuracy; :mod:`.explain`: what the page shows;
- :mod:`.pretrained`: the committed files; :mod:`.train` and :mod:`.cards`: ``build.py train attention``.
"""
