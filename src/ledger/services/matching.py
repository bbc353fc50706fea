"""Has this been checked before? New texts matched against every claim of the ledger.

Two stages. The full-text index proposes candidates for the text's content words and figures
(``store.match_candidates``: rare terms alone, common ones in pairs, planned from how many
claims hold each); each candidate is then scored in process by ``text.matching.score``
(rapidfuzz token measures over stems, name and figure overlap, the candidate's full-text score)
and the best are kept. Nothing is downloaded, nothing leaves the machine. The terms'
frequencies are looked up once and kept by the process (``match_candidates.shared``).

Suggestions are computed on demand when an article is read (``suggest``), sentence by sentence,
from its current text: nothing is stored but the rejections, so a revision or a new claim in
the ledger is taken into account the next time the article is opened. A sentence already
anchoring the claim, or whose suggestion was rejected, is not suggested again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ledger.errors import InvalidInput
from ledger.store import match_candidates, match_reads
from ledger.store.match_candidates import Term, Vocabulary
from ledger.text.matching import Normalised, figure_terms, normalise, rerank
from ledger.text.sentences import split_sentences

CANDIDATES = 40  # claims the index proposes for one text, re-ranked in process
SUGGEST_POOL = 60  # an article's sentences: fewer claims proposed, fewer and cheaper pairs of
SUGGEST_PAIRS = 2  # common words searched, so that a whole article is matched in under a second
SUGGEST_PAIR_READS = 20_000
SUGGEST_CANDIDATES = 15  # re-ranked for each sentence
MIN_STEMS = 3  # a sentence with fewer content words than this is too thin to suggest anything


@dataclass(frozen=True)
class Match:
    claim_id: int
    score: float
    status: str
    text: str


@dataclass(frozen=True)
class Suggestion:
    n: int  # its number in the article's list, for --accept N / --reject N
    start: int
    end: int
    sentence: str
    claim_id: int
    claim_text: str
    status: str
    score: float
    confirmed: bool  # above the confirm threshold: near-certain


def rank(conn: Any, query: Normalised, *, limit: int = 5, exclude: Iterable[int] = (),
         candidates: int = CANDIDATES) -> list[Match]:
    """The ``limit`` claims that best match ``query``, best first."""
    return rank_many(conn, [query], limit=limit, exclude=[exclude], candidates=candidates)[0]


def search_terms(query: Normalised) -> list[Term]:
    """What the index is searched with: each content word's prefix, each figure."""
    return [Term(t, prefix=True) for t in dict.fromkeys(query.terms)] + [Term(f) for f in figure_terms(query)]


def rank_many(conn: Any, queries: list[Normalised], *, limit: int = 5,
              exclude: list[Iterable[int]] | None = None, candidates: int = CANDIDATES,
              pool: int = match_candidates.POOL, pairs_at_most: int | None = None,
              pair_reads: float | None = None, vocabulary: Vocabulary | None = None) -> list[list[Match]]:
    """``rank`` for many queries, their candidates fetched together (batch mode)."""
    pools = match_candidates.candidates_many(conn, queries=[search_terms(q) for q in queries], limit=candidates,
                                             pool=pool, pairs_at_most=pairs_at_most, pair_reads=pair_reads,
                                             vocabulary=vocabulary)
    out: list[list[Match]] = []
    for n, (query, found) in enumerate(zip(queries, pools)):
        skip = set(exclude[n]) if exclude else set()
        # full-text ranks are read against the best candidate found, left-out claims included: a
        # claim's score for a text never depends on which others are left out (a sentence's own
        # claim left out of its suggestions once made the runner-up look like the best match)
        best = max((c.rank for c in found), default=0.0) or 1.0
        found = [c for c in found if c.claim_id not in skip]
        if not found:
            out.append([])
            continue
        scores = rerank(query, [(normalise(c.text), c.rank / best) for c in found])
        scored = [Match(c.claim_id, s, c.status, c.text) for c, s in zip(found, scores)]
        scored.sort(key=lambda m: (-m.score, m.claim_id))
        out.append(scored[:limit])
    return out


def bm25(conn: Any, text: str, *, limit: int = 5) -> list[Match]:
    """Plain full-text ranking of ``text``'s words (the baseline the benchmark compares with)."""
    import re

    from ledger.store import matching as store_matching

    words = [w.lower() for w in re.findall(r"\w+", text)]
    found = store_matching.candidates(conn, terms=words, limit=limit, prefix=False)
    return [Match(c.claim_id, c.rank, c.status, c.text) for c in found]


def match_texts(conn: Any, texts: Iterable[tuple[object, str]], *, limit: int = 5,
                lang: str | None = None, batch: int = 200) -> Iterable[tuple[object, list[Match]]]:
    """(id, matches) for each (id, text), in order, ``batch`` texts searched at a time."""
    pending: list[tuple[object, str]] = []
    for key, body in texts:
        if not isinstance(body, str) or not body.strip():
            raise InvalidInput(f"text {key!r} is empty")
        pending.append((key, body))
        if len(pending) == batch:
            yield from _match_batch(conn, pending, limit, lang)
            pending = []
    yield from _match_batch(conn, pending, limit, lang)


def _match_batch(conn: Any, items: list[tuple[object, str]], limit: int,
                 lang: str | None) -> list[tuple[object, list[Match]]]:
    found = rank_many(conn, [normalise(body, lang) for _, body in items], limit=limit)
    return [(key, matches) for (key, _), matches in zip(items, found)]


def similar_claims(conn: Any, claim_id: int, *, limit: int = 10, threshold: float = 0.0) -> list[Match]:
    """Claims that read like ``claim_id``'s (near-duplicates first), itself left out."""
    from ledger.store import matching as store_matching

    claim = store_matching.claims_by_id(conn, ids=[claim_id]).get(claim_id)
    if claim is None:
        from ledger.errors import NotFound

        raise NotFound(f"no claim with id {claim_id}")
    found = rank(conn, normalise(claim.text), limit=limit, exclude=[claim_id], candidates=CANDIDATES + 1)
    return [m for m in found if m.score >= threshold]


def _sentences(body: str, lang: str | None) -> list[tuple[object, Normalised]]:
    """The sentences of ``body`` with enough content words to match, and their matching form."""
    out = []
    for s in split_sentences(body):
        query = normalise(s.text, lang)
        if len(set(query.stems)) >= MIN_STEMS:
            out.append((s, query))
    return out


def suggest(conn: Any, article_id: int, *, threshold: float, confirm: float) -> list[Suggestion]:
    """Sentence -> claim suggestions for an article, in reading order (best claim per sentence);
    ``conn``: a SQLAlchemy connection or a plain ``Run`` (``services.reading``)."""
    conn = match_candidates.as_run(conn)
    lang, body = match_reads.article_text(conn, article_id)
    anchored = match_reads.anchored(conn, article_id)
    rejected = match_reads.rejected(conn, article_id)
    sentences = _sentences(body, lang)
    here = [{cid for cid, a, b in anchored if a < s.end and b > s.start} for s, _ in sentences]
    ranked = rank_many(conn, [q for _, q in sentences], limit=3, exclude=here, pool=SUGGEST_POOL,
                       pairs_at_most=SUGGEST_PAIRS, pair_reads=SUGGEST_PAIR_READS,
                       candidates=SUGGEST_CANDIDATES)
    out: list[Suggestion] = []
    for (s, _), found in zip(sentences, ranked):
        for m in found:
            if m.score < threshold:
                break
            if (m.claim_id, s.text) in rejected:
                continue
            out.append(Suggestion(len(out) + 1, s.start, s.end, s.text, m.claim_id, m.text, m.status, m.score,
                                  m.score >= confirm))
            break
    return out


def sentence_matches(conn: Any, body: str, lang: str | None, *, threshold: float,
                     skip: Iterable[int] = ()) -> Iterable[tuple[object, Match]]:
    """(sentence, best match at or above ``threshold``) for each sentence of ``body`` that has one
    (claims in ``skip`` left out)."""
    skip = set(skip)
    sentences = _sentences(body, lang)
    # frequencies looked up afresh: an audit issues the same statements whatever was read before
    ranked = rank_many(conn, [q for _, q in sentences], limit=1, exclude=[skip] * len(sentences),
                       pool=SUGGEST_POOL, pairs_at_most=SUGGEST_PAIRS, pair_reads=SUGGEST_PAIR_READS,
                       candidates=SUGGEST_CANDIDATES, vocabulary=Vocabulary())
    for (s, _), found in zip(sentences, ranked):
        if found and found[0].score >= threshold:
            yield s, found[0]


def pick(suggestions: list[Suggestion], n: int) -> Suggestion:
    for s in suggestions:
        if s.n == n:
            return s
    if not suggestions:
        raise InvalidInput("this article has no suggestion to act on")
    raise InvalidInput(f"no suggestion {n}; the article has suggestions 1 to {len(suggestions)}")
