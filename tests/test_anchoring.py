"""Locating quoted passages: offsets into the original text, typography forgiven."""

from hypothesis import given, strategies as st

import pytest

from ledger.errors import InvalidInput
from ledger.text.anchoring import CONTEXT_CHARS, find_all, locate

TEXT = "Il a dit\u00a0: « Nous sommes\n  amis ». L’accord — signé hier — tient.\nIl a dit : rien."


@pytest.mark.parametrize("quote, expected", [
    ('"Nous sommes amis"', "« Nous sommes\n  amis »"),
    ("L'accord - signé hier - tient", "L’accord — signé hier — tient"),
    ("Nous   sommes amis", "Nous sommes\n  amis"),
])
def test_forgiving_match_returns_original_span(quote, expected):
    a = locate(TEXT, quote)
    assert TEXT[a.start:a.end] == a.quote == expected
    assert a.prefix == TEXT[max(0, a.start - CONTEXT_CHARS):a.start]
    assert a.suffix == TEXT[a.end:a.end + CONTEXT_CHARS]


def test_ambiguous_and_absent():
    assert len(find_all(TEXT, "Il a dit :")) == 2
    with pytest.raises(InvalidInput, match="occurs 2 times"):
        locate(TEXT, "Il a dit :")
    assert locate(TEXT, "Il a dit :", occurrence=2).start == TEXT.rindex("Il a dit")
    with pytest.raises(InvalidInput, match="does not occur"):
        locate(TEXT, "Nous sommes ennemis")
    with pytest.raises(InvalidInput, match="empty"):
        locate(TEXT, "   ")


@given(st.text(min_size=1, max_size=200), st.data())
def test_any_exact_substring_is_found_at_its_offsets(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    piece = text[start:end]
    if not piece.strip():
        return
    spans = find_all(text, piece)
    assert spans, (text, piece)
    for s, e in spans:
        # every reported span folds to the same normalised passage
        assert find_all(text[s:e], piece)
