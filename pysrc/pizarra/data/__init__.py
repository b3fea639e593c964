"""Data the pages share: two-class sets in the plane (:mod:`.points`), the handwritten digits
(:mod:`.digits`), text as token ids (:mod:`.text`), and the committed artefacts (:mod:`.assets`)."""
