"""What suggesting reads besides the claims, in plain SQL (``store.plain``): an article's text
and language, the passages already anchoring a claim, the suggestions rejected. So a read-only
``ledger suggest`` on an up-to-date ledger loads no database layer (``services.reading``)."""

from __future__ import annotations

from ledger.errors import NotFound
from ledger.store.plain import Run


def article_text(run: Run, article_id: int) -> tuple[str | None, str]:
    """(language, body) of the article, as ``store.articles`` reads them."""
    rows = run("SELECT lang, body FROM article WHERE id = ?", (article_id,))
    if not rows or rows[0][1] is None:
        raise NotFound(f"no article with id {article_id}")
    return rows[0][0], rows[0][1]


def anchored(run: Run, article_id: int) -> list[tuple[int, int, int]]:
    """(claim id, start, end) of the article's appearances that are not orphaned."""
    return [(c, a, b) for c, a, b in run('SELECT claim_id, start, "end" FROM appearance WHERE article_id = ? '
                                         "AND NOT orphaned ORDER BY start, id", (article_id,))]


def rejected(run: Run, article_id: int) -> set[tuple[int, str]]:
    """(claim id, sentence) pairs rejected in this article."""
    return {(c, s) for c, s in run("SELECT claim_id, sentence FROM match_rejection WHERE article_id = ?",
                                   (article_id,))}
