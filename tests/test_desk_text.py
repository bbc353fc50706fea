"""The pure text work behind the checker's desk: who said it, the sentences worth checking, the
sentence key's selection, finding an excerpt from a few words and naming where it stands."""

from __future__ import annotations

import pytest

from ledger.text.attribution import attribution
from ledger.text.locating import find_words, locator_at
from ledger.text.sentences import SentenceIndex
from ledger.text.worth import next_uncovered, uncovered
from tests.desk import HARBOUR_EN, PORT_FR


@pytest.mark.parametrize("sentence, cue, claimant", [
    ("Le port a accueilli 40 cargos au mois de mars, selon la capitainerie.", "selon", "la capitainerie"),
    ("« Le trafic a doublé depuis l’an dernier », a déclaré le commandant du port.", "a déclaré",
     "le commandant du port"),
    ("Le ministre a déclaré que la grue était livrée.", "a déclaré", "Le ministre"),
    ("Kim Jong-un a affirmé mercredi que les troupes resteraient.", "a affirmé", "Kim Jong-un"),
    ("The port authority said on Tuesday that 40 cargo ships docked.", "said", "The port authority"),
    ("“Traffic has doubled since last year,” the harbour master said at the annual meeting.", "said",
     "the harbour master"),
    ('"We will win," said John Smith, the mayor.', "said", "John Smith"),
    ("According to the agency, 12 people died.", "According to", "the agency"),
    ("Les missiles ont frappé Kharkiv, d’après le renseignement ukrainien.", "d’après", "le renseignement ukrainien"),
])
def test_a_named_speaker_is_proposed(sentence, cue, claimant):
    found = attribution(sentence)
    assert found is not None and (found.cue, found.claimant) == (cue, claimant)


@pytest.mark.parametrize("sentence", [
    "« C’est faux », a-t-il dit.",
    "She said it was over.",
    "Russia received shells, according to sources in Washington and Seoul.",
])
def test_reported_words_without_a_name_propose_no_claimant(sentence):
    found = attribution(sentence)
    assert found is not None and found.claimant is None


@pytest.mark.parametrize("sentence", [
    "The city council met to discuss the budget.",
    "La nouvelle grue aurait été livrée avec six mois de retard.",
])
def test_a_plain_assertion_is_not_an_attribution(sentence):
    assert attribution(sentence) is None


def test_uncovered_sentences_are_those_the_audit_names():
    index = SentenceIndex(HARBOUR_EN)
    first = index.sentences[0]
    found = uncovered(index.sentences, [(first.start + 4, first.start + 20)])
    assert [w.sentence.text[:12] for w in found] == ["“Traffic has"]
    assert found[0].signals == ("a quotation",)
    everything = uncovered(index.sentences, [])
    assert next_uncovered(everything, 0, here=True).sentence == first
    assert next_uncovered(everything, 0).sentence.text.startswith("“Traffic")
    assert next_uncovered(everything, len(HARBOUR_EN)).sentence == first  # round to the top


def test_the_sentence_key_selects_then_extends():
    index = SentenceIndex(PORT_FR)
    s = index.sentences
    assert index.extend(s[1].start + 5, s[1].start + 5) == (s[1].start, s[1].end)
    assert index.extend(s[1].start, s[1].end) == (s[1].start, s[2].end)
    assert index.extend(s[1].start, s[1].start + 3) == (s[1].start, s[1].end)  # finish the sentence first
    last = s[-1]
    assert index.extend(last.start, last.end) == (last.start, last.end)
    assert SentenceIndex("").extend(0, 0) == (0, 0)


def test_words_find_the_excerpt_whatever_the_case_and_punctuation():
    text = "Minutes.\n\nThe harbour master said 40 cargo ships docked, in March.\n"
    start, end = find_words(text, "CARGO ships   docked in")
    assert text[start:end] == "cargo ships docked, in"
    assert find_words(text, "nowhere to be found") is None
    assert find_words(text, "  ,, ") is None
    assert find_words(text, "minutes", start=20) == (0, 7)  # wraps round


def test_the_locator_names_the_paragraph_and_the_page():
    text = "Title\n\nFirst para. Second.\n\nThird para here.\n"
    assert [locator_at(text, text.index(w)) for w in ("Title", "Second", "Third")] == ["¶ 1", "¶ 2", "¶ 3"]
    lines = "one\ntwo\nthree"
    assert locator_at(lines, lines.index("three")) == "¶ 3"
    pages = "a\n\nb\fc\n\nd"
    assert locator_at(pages, pages.index("b")) == "p. 1, ¶ 2"
    assert locator_at(pages, pages.index("d")) == "p. 2, ¶ 2"
