"""Seeded news-like text for the synthetic collection of the latency section."""

from __future__ import annotations

import numpy as np

_NEWS_TEXT = """
government president minister officials police court judge election vote voters campaign party
senate congress council mayor governor state city county country nation federal local report
reports reported statement spokesperson agency department authorities investigation charges trial
jury verdict lawsuit settlement company market shares stocks prices inflation rates bank economy
jobs workers union strike wages budget tax taxes plan proposal bill law rule ruling policy health
hospital patients doctors virus vaccine disease study research scientists university school students
teachers parents children families residents community neighborhood storm flood fire wildfire
hurricane tornado earthquake heat weather rain snow winds damage power outage evacuation rescue
crews emergency shelter victims survivors deaths injured killed missing team game season coach
players fans league championship final match win loss score record title tournament stadium
film movie music album singer actor show series award festival concert tour museum art book author
technology software phone internet users data privacy security hackers platform app artificial
intelligence energy oil gas climate emissions electric vehicles cars airline flights airport train
bridge road traffic crash driver border immigration migrants war troops military attack ceasefire
talks deal agreement leaders summit sanctions allies protest protesters rally crowd march water
drought farmers food restaurant price sales retail store holiday travel tourists beach park river
island coast mountain village downtown north south east west monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december week month year million billion percent people officials announced according
expected including during after before while since could would about more than early late major
new first last second third former current public private national international global regional
"""
_NEWS_WORDS = _NEWS_TEXT.split()


_SYLLABLES = "ba ker lo mi tan dor vel si ra gon pe lin stro qua ne fi mar zu hol den ca tri vo lem"


class WordSource:
    """Seeded news-like text: the news words first (most frequent), then pseudo-words, drawn
    with Zipf(1.05) probabilities. Words are drawn a million at a time (fast)."""

    def __init__(self, rng: np.random.Generator, size: int = 20000) -> None:
        syll = _SYLLABLES.split()
        words = list(dict.fromkeys(_NEWS_WORDS))
        seen = set(words)
        while len(words) < size:
            w = "".join(rng.choice(syll, size=int(rng.integers(2, 5))))
            if w not in seen:
                seen.add(w)
                words.append(w)
        probs = np.arange(1, size + 1, dtype=np.float64) ** -1.05
        self.vocab = np.array(words)
        self._cdf = np.cumsum(probs / probs.sum())
        self._rng = rng
        self._buf: list[str] = []
        self._pos = 0

    def take(self, n: int) -> list[str]:
        if self._pos + n > len(self._buf):
            draws = np.searchsorted(self._cdf, self._rng.random(1_000_000) * self._cdf[-1])
            self._buf = self.vocab[np.minimum(draws, len(self.vocab) - 1)].tolist()
            self._pos = 0
        out = self._buf[self._pos : self._pos + n]
        self._pos += n
        return out

    def sentence(self, n: int, end: str = ".") -> str:
        return " ".join(self.take(n)).capitalize() + end

    def paragraph(self) -> str:
        lengths = self._rng.integers(12, 26, size=5)
        return " ".join(self.sentence(int(n)) for n in lengths)
