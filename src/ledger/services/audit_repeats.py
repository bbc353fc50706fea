"""Audit rule ``repeats-failed-claim``: the article repeats a claim the desk already found false.

Every sentence of the article is matched against the ledger's claims not already anchored in
this article (the ``failed-claim`` rule speaks for those). When the claim it matches best, with
a score of at least the rule's ``threshold`` (0-100, default 70), is in a failing status
(``false``, ``misleading``, or whatever the vocabulary puts in the ``fail`` category), the
sentence is a warning naming the claim::

    [audit.rules.repeats-failed-claim]
    threshold = 80
    severity = "block"
"""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import Connection

from ledger.services.audit import ArticleFacts, Finding, Located, rule
from ledger.services.matching import sentence_matches
from ledger.vocabulary import Vocabulary

RULE = "repeats-failed-claim"


def failed_repeats(conn: Connection, facts: ArticleFacts, vocabulary: Vocabulary) -> list[tuple[object, object]]:
    """(sentence, match) for the article's sentences that restate a failed claim from elsewhere."""
    failing = tuple(s for s in vocabulary.statuses if vocabulary.category(s) == "fail")
    if not failing:
        return []
    threshold = facts.policy.option(RULE, "threshold") / 100
    here = {i.claim_id for i in facts.items}
    return [(s, m) for s, m in sentence_matches(conn, facts.body, facts.lang, threshold=threshold, skip=here)
            if m.status in failing]


@rule(RULE)
def repeats_failed_claim(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    for sentence, m in facts.repeats:
        yield sentence.start, Finding(
            severity=severity, rule=RULE, claim_id=m.claim_id, quote=sentence.text,
            command=f"ledger claim show {m.claim_id}",
            message=f"this sentence repeats claim {m.claim_id}, already found {m.status} "
                    f"(match {m.score:.2f}): “{m.text}”",
            text=f"this sentence repeats claim {m.claim_id}, already found {m.status} "
                 f"(match {m.score:.2f}, ledger claim show {m.claim_id}): “{m.text}”")
