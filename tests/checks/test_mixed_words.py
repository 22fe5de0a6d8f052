"""R515 finds the words of mixed scripts exactly as the one pattern «\\w*(Cyrillic-Latin pair)\\w*» did."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.checks.structure import mixed_words

# the pattern R515 used before: it backtracks through every split of every word
REFERENCE = re.compile(r"\w*(?:[а-яё][a-z]|[a-z][а-яё])\w*", re.IGNORECASE)
# Cyrillic and Latin of both cases, letters [a-z] matches under IGNORECASE (ſ, K, ı, İ), digits, _, other scripts,
# spaces and punctuation
TEXT = st.text(alphabet=st.sampled_from(list("абвЁёЯяxyzABCaſKıİ09_ -.,«»\n") + ["ä", "漢", "😀", "ӕ"]), max_size=200)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(TEXT)
def test_the_same_words_as_the_reference_pattern(text):
    found = [(word.start(), word.group()) for word in mixed_words(text)]
    assert found == [(word.start(), word.group()) for word in REFERENCE.finditer(text)]

