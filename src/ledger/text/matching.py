"""Text work for matching new texts against known claims: normalise, then score a pair.

Pure functions, no database. A text (a social post, a sentence of an article, a claim) is
cleaned of what carries no claim -- links, @handles, the ``#`` of hashtags, emoji, ``RT`` --
then folded (lower case, accents removed, French elisions such as ``l'``/``qu'`` split off),
split into words, stop words of its language dropped and the rest stemmed (Snowball, per
language). Figures (``1 000``, ``3,5``, ``two``/``deux``) and names (capitalised words that do
not open the sentence) are kept aside: a restatement keeps them even when it changes every other
word, so they weigh in the score.

``rerank(query, candidates)`` scores each candidate claim with a small linear model (``MODEL``)
over rapidfuzz token measures on the stems, the share of stems shared (plain and weighted by how
rare each stem is among the candidates), stem bigrams, name and figure overlap and the full-text
score, trained to put the restated claim first; ``calibrate`` then turns each score and its lead
over the best rival into a probability from 0 to 1 (``CALIBRATION``). Both are trained on
generated restatements, and texts whose claim is not in the ledger, by
``benchmarks/train_matching.py`` and measured by ``benchmarks/bench_matching.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ledger.text.stopwords import BY_LANG

LANGS = ("en", "fr")

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w+")
_HASH = re.compile(r"(?<!\w)#(?=\w)")
_RT = re.compile(r"^\s*RT\b:?", re.IGNORECASE)
_ELISION = re.compile(r"\b(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?")
_CAPITALISED = re.compile(r"(?<![\w'’-])([A-ZÀ-ÖØ-Þ][\w'’-]+)")
_SENTENCE_OPEN = re.compile(r"(?:^|[.!?…:«“\"]\s*)$")

_NUMBER_WORDS = {
    "en": {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
           "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
           "hundred": "100", "thousand": "1000", "dozen": "12"},
    "fr": {"deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6",
           "sept": "7", "huit": "8", "dix": "10", "onze": "11", "douze": "12", "vingt": "20",
           "cent": "100", "mille": "1000", "douzaine": "12"},
}

def fold(text: str) -> str:
    """Lower case with accents removed (``Corée`` -> ``coree``)."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_combining()).lower()


class _Marks(dict):
    """A ``str.translate`` table deleting combining marks, filled as characters are met (a table
    lookup in C is many times quicker than a test per character, and the first text of a process
    pays only for the characters it holds, not for the 131,072 of the first two planes)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def _combining() -> dict[int, None]:
    return _MARKS


# pictographs, dingbats, arrows and symbols, joiners and variation selectors, flags, private use
_EMOJI = re.compile("[\U0001F000-\U0001FFFF\u2190-\u21FF\u2300-\u23FF\u2500-\u27BF\u2B00-\u2BFF"
                    "\u200d\ufe0e\ufe0f\u20e3\ue000-\uf8ff\U000E0000-\U000E007F\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without links, handles, hashtag marks, emoji and a leading ``RT``."""
    text = _RT.sub(" ", text or "")
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _HASH.sub("", text)
    if not text.isascii():
        text = _EMOJI.sub(" ", text)
    return " ".join(text.split())


def stop_words(lang: str) -> frozenset[str]:
    """The language's stop words, folded (``text.stopwords``: function words only)."""
    return BY_LANG[lang]


@lru_cache(maxsize=4)
def _stemmer(lang: str):  # noqa: ANN202 - snowballstemmer.Stemmer
    """Snowball's stemmer for ``lang`` (PyStemmer's C version when installed, as it is by default)."""
    import snowballstemmer

    return snowballstemmer.stemmer({"fr": "french", "en": "english"}[lang])


def detect_language(text: str, default: str = "en") -> str:
    """``fr`` or ``en``: whichever language's stop words the text uses more."""
    words = [w for w in _WORD.findall(fold(_ELISION.sub(lambda m: m.group()[:-1] + " ", text))) if not w.isdigit()]
    if not words:
        return default
    fr = sum(w in _FR_MARKERS for w in words)
    en = sum(w in _EN_MARKERS for w in words)
    if fr == en:
        return default
    return "fr" if fr > en else "en"


_FR_MARKERS = frozenset("le la les des du de un une et est sont a ont au aux en dans pour par sur avec qui que "
                        "ne pas se ce cette il elle ils selon aurait deja l d qu".split())
_EN_MARKERS = frozenset("the a an of and is are was were has have to in on for by with that which who not "
                        "this it its from as at be been said says".split())


def _number(raw: str) -> str:
    digits = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):  # 1,000 / 1.000: thousands
        return re.sub(r"[.,]", "", digits)
    return digits.replace(",", ".").lstrip("0") or "0"


@dataclass(frozen=True)
class Normalised:
    lang: str
    stems: tuple[str, ...]  # content words, stemmed and folded, in text order
    terms: tuple[str, ...]  # one full-text prefix per content word (see ``search_terms``)
    numbers: frozenset[str]
    names: frozenset[str]  # folded capitalised words that do not open a sentence

    @property
    def joined(self) -> str:
        return " ".join(self.stems)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


@lru_cache(maxsize=200_000)
def normalise(text: str, lang: str | None = None) -> Normalised:
    """The matching form of ``text`` (language detected when not given)."""
    cleaned = clean(text)
    lang = lang if lang in LANGS else detect_language(cleaned)
    numbers = {_number(m.group()) for m in _NUMBER.finditer(cleaned)}
    names = set()
    for m in _CAPITALISED.finditer(cleaned):
        if not _SENTENCE_OPEN.search(cleaned[max(0, m.start() - 3):m.start()]):
            word = fold(m.group(1))
            names.add(word.split("'")[-1].split("’")[-1])
    unelided = _ELISION.sub(lambda m: m.group()[:-1] + " ", cleaned) if lang == "fr" else cleaned
    stems: list[str] = []
    terms: list[str] = []
    for w in _WORD.findall(unelided.lower()):
        kind, stem, term = _word(w, lang)
        if kind == "number":
            numbers.add(stem)
        elif kind == "word":
            stems.append(stem)
            terms.append(term)
    stops = stop_words(lang)
    names -= stops
    return Normalised(lang=lang, stems=tuple(stems), terms=tuple(terms), numbers=frozenset(numbers), names=frozenset(names))


@lru_cache(maxsize=100_000)
def _word(word: str, lang: str) -> tuple[str, str, str]:
    """(``word``, stem, full-text prefix), (``number``, figure, "") or (``skip``, "", "")."""
    folded = fold(word)
    figure = _NUMBER_WORDS[lang].get(folded)
    if figure is not None:
        return "number", figure, ""
    if folded[0].isdigit() or folded in stop_words(lang) or len(folded) < 2:
        return "skip", "", ""
    stem = fold(_stemmer(lang).stemWord(word))
    return "word", stem, search_term(folded, stem)


def search_term(word: str, stem: str) -> str:
    """The prefix a full-text index (which does not stem) is searched with for one word: what the
    word and its stem share (``supplied``/``suppli`` -> ``suppli``, ``supply``/``suppli`` ->
    ``suppl``), never shorter than four letters unless the word is."""
    prefix = _common_prefix(word, stem)
    return prefix if len(prefix) >= 4 else word[: max(4, len(prefix))]


def figure_terms(n: Normalised) -> list[str]:
    """Full-text terms for the text's figures: ``24318`` as written together, and as the phrase
    ``24 318`` an index makes of ``24,318`` or ``24 318``."""
    out: list[str] = []
    for figure in sorted(n.numbers):
        whole = figure.split(".")[0]
        out.append(whole)
        if len(whole) > 3 and "." not in figure:
            head = len(whole) % 3 or 3
            out.append(" ".join([whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)]))
    return list(dict.fromkeys(out))


# ------------------------------------------------------------------------------ scoring
# A linear model over the features below, trained to put the restated claim first among the
# candidates of a text (softmax over them) on generated restatements
# (``benchmarks/train_matching.py`` prints these numbers; the benchmark measures them on claims
# and queries it did not see).
MODEL = {
    "bias": 0.000,
    "token_set": 2.394,
    "token_sort": 1.394,
    "coverage": -3.851,
    "precision": -3.165,
    "idf_coverage": 12.010,
    "names": 3.985,
    "names_missing": 0.043,
    "numbers": 16.575,
    "number_clash": -1.652,
    "bigrams": -3.814,
    "bm25": 8.682,
}
FEATURES = tuple(k for k in MODEL if k != "bias")


def _overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    if not a and not b:
        return None
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _bigrams(stems: tuple[str, ...]) -> set[tuple[str, str]]:
    return set(zip(stems, stems[1:]))


def pool_weights(claims: list[Normalised]) -> dict[str, float]:
    """How telling each stem is among the candidates themselves: a stem every candidate shares
    (the words of a common phrasing) tells them apart less than one only a few have."""
    import math

    df: dict[str, int] = {}
    for c in claims:
        for stem in set(c.stems):
            df[stem] = df.get(stem, 0) + 1
    n = len(claims) + 1
    return {stem: math.log(n / k) + 0.1 for stem, k in df.items()}


def features(query: Normalised, claim: Normalised, bm25: float = 0.0,
             weights: dict[str, float] | None = None) -> dict[str, float]:
    """Each signal from 0 to 1 (``bm25``: the candidate's full-text rank relative to the best one;
    ``weights``: ``pool_weights`` of the candidates, for ``idf_coverage``)."""
    from rapidfuzz import fuzz

    q, c = set(query.stems), set(claim.stems)
    shared = q & c
    names = _overlap(query.names, claim.names)
    numbers = _overlap(query.numbers, claim.numbers)
    weights = weights or {}
    top = max(weights.values(), default=1.0)
    union = sum(weights.get(s, top) for s in q | c)
    qb, cb = _bigrams(query.stems), _bigrams(claim.stems)
    return {
        "token_set": fuzz.token_set_ratio(query.joined, claim.joined) / 100.0,
        "token_sort": fuzz.token_sort_ratio(query.joined, claim.joined) / 100.0,
        "coverage": len(shared) / len(c) if c else 0.0,
        "precision": len(shared) / len(q) if q else 0.0,
        "idf_coverage": sum(weights.get(s, top) for s in shared) / union if union else 0.0,
        "names": 0.5 if names is None else names,
        "names_missing": len(claim.names - query.names) / len(claim.names) if claim.names else 0.0,
        # a text that states no figure says nothing against the claim's: judged on its words
        "numbers": 1.0 if not query.numbers else 0.5 if numbers is None else numbers,
        "number_clash": 1.0 if query.numbers and claim.numbers and not (query.numbers & claim.numbers) else 0.0,
        "bigrams": len(qb & cb) / len(qb | cb) if qb | cb else 0.0,
        "bm25": bm25,
    }


def logit(f: dict[str, float], model: dict[str, float] = MODEL) -> float:
    """The model's score for one (text, claim) pair: higher reads more alike."""
    return model["bias"] + sum(model[k] * f[k] for k in FEATURES)


def score(query: Normalised, claim: Normalised, bm25: float = 0.0,
          weights: dict[str, float] | None = None) -> float:
    """How much ``query`` reads like ``claim``, on its own (see ``calibrate`` for a probability)."""
    return logit(features(query, claim, bm25, weights))


# How sure a match is depends on its rivals too: a text restating a fact that is not in the ledger
# still reads somewhat like many claims of the same kind, and the best of forty such scores is
# high. A second logistic model (Platt scaling, fitted by ``benchmarks/train_matching.py`` on texts
# whose claim is in the ledger and texts whose claim is not) turns a candidate's score and its
# lead over the best other candidate into the probability that it is the claim restated.
CALIBRATION = {"bias": -13.431, "score": 0.378, "lead": 0.327}


def calibration_features(scores: list[float]) -> list[tuple[float, float]]:
    """(score, lead over the best other score) for each candidate of one text."""
    if not scores:
        return []
    order = sorted(scores, reverse=True)
    first, second = order[0], (order[1] if len(order) > 1 else order[0] - 10.0)
    return [(s, s - (second if s == first else first)) for s in scores]


def calibrate(scores: list[float], model: dict[str, float] = CALIBRATION) -> list[float]:
    """The probability that each candidate of one text is the claim it restates."""
    import math

    out = []
    for value, lead in calibration_features(scores):
        z = model["bias"] + model["score"] * value + model["lead"] * lead
        out.append(round(1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))), 4))
    return out


def rerank(query: Normalised, candidates: list[tuple[Normalised, float]]) -> list[float]:
    """Calibrated scores for (claim, relative full-text rank) candidates of one query, in their order."""
    weights = pool_weights([c for c, _ in candidates])
    return calibrate([score(query, c, bm25, weights) for c, bm25 in candidates])
