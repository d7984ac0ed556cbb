"""The model judge: a local (or served) instruction model's P(supported) for a claim against the
best-matching windows of its evidence, with cheap checks as vetoes, calibrated on human labels.

`windows` picks the evidence, `checks` holds the vetoes, `judge` ties them to a `ChatModel`.
"""
