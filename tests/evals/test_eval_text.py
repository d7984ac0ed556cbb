"""Text helpers behind the metrics: numbers, dates and names as the hard checks see them."""

from __future__ import annotations

from evals.metrics.faithfulness import judge_pair
from evals.metrics.text import dates_in, names_in, normalise_answer, numbers_in


def test_numbers_and_number_words():
    assert numbers_in("At least seven died; 1,200 homes and 3.5% of roads") == {"7", "1200", "3.5"}
    assert normalise_answer("The Twelve  people!") == "12 people"


def test_months_need_a_month_word():
    assert dates_in("Mayor Ann said in May 2026") == {"may", "2026"}
    assert dates_in("Mayor Ann said you may go") == set()
    assert dates_in("on Sept. 3 and Dec 1") == {"september", "december"}


def test_names_fold_accents_digits_and_skip_lone_sentence_starts():
    assert names_in("Officials said Inès Calloway spoke at COP26.") == {"ines", "calloway", "cop26"}
    assert names_in("The Kestrels won.") == {"kestrels"}


def test_verbatim_text_with_odd_names_is_supported():
    for text in ("Such was his impact, Pelé became a symbol.",
                 "Rihanna, A$AP Rocky welcome a child", "It would damage our COP26 Presidency."):
        assert judge_pair(text, text).verdict == "supported", text
