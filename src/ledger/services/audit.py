"""The pre-publication audit: claim by claim, can this article go out?

The rules (``RULE_IDS``), each a function over one article's loaded facts, each switchable and tunable in
``ledger.toml`` (see ``services.policy``). The article is loaded in a fixed number of queries —
its text, its appearances with their claims, the citations of those claims with their sources,
the time of each claim's latest verdict, and the re-anchoring history — so an article with a
thousand claims audits as fast as one with ten. Findings say what to do, not only what is wrong.

    report = audit_article(ledger, article_id)
    report.publishable          # False when any finding blocks
"""

from __future__ import annotations

from bisect import bisect_right

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from rapidfuzz.fuzz import partial_ratio, ratio
from rapidfuzz.utils import default_process
from sqlalchemy import Connection, func, select

from ledger.errors import NotFound
from ledger.models import Appearance, Article, Citation, Claim, Event, Source
from ledger.services.integrity import FileProblem, check_archived_file
from ledger.services.policy import RULE_IDS, SEVERITIES, AuditPolicy, describe_span
from ledger.text.hedging import hedges, phrase_pattern, phrases_for
from ledger.text.sentences import SentenceIndex
from ledger.text.worth import merged, uncovered
from ledger.vocabulary import Vocabulary

if TYPE_CHECKING:
    from ledger.services.ledger import Ledger

ARTICLE = Article.__table__
APPEARANCE = Appearance.__table__
CLAIM = Claim.__table__
CITATION = Citation.__table__
SOURCE = Source.__table__
EVENT = Event.__table__

VERDICT_ACTIONS = ("claim.status", "claim.add", "claim.import", "claim.confirm")
REANCHOR_ACTION = "appearance.reanchor"


@dataclass(frozen=True)
class Finding:
    severity: str  # "block" | "warn" | "info"
    rule: str
    message: str
    claim_id: int | None = None
    appearance_id: int | None = None
    quote: str | None = None
    command: str | None = None  # the command line that acts on the finding, for the CLI and exports
    text: str = ""  # the message as the CLI words it, the command in its place (defaults to message)

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", self.message)


@dataclass(frozen=True)
class AuditReport:
    article_id: int
    as_of: date
    findings: list[Finding]
    publishable: bool

    def counts(self) -> dict[str, int]:
        """How many findings of each severity (block, warn, info), zeros included."""
        out = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            out[f.severity] += 1
        return out

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "block"]


# ------------------------------------------------------------------------ loaded facts
@dataclass(frozen=True)
class Item:
    """One appearance in the article with its claim."""
    appearance_id: int
    claim_id: int
    quote: str
    start: int
    end: int
    orphaned: bool
    kind: str
    status: str
    category: str
    claimant: str | None
    needs_confirm: bool = False  # reworded after the verdict, not yet confirmed


@dataclass(frozen=True)
class Cited:
    claim_id: int
    stance: str
    excerpt: str | None
    source_id: int
    source_kind: str
    publisher: str | None
    title: str
    accessed: date | None
    sha256: str | None
    file_name: str | None


@dataclass
class ArticleFacts:
    article_id: int
    title: str
    lang: str | None
    body: str
    items: list[Item]
    citations: dict[int, list[Cited]]
    verdict_at: dict[int, datetime]
    reworded: dict[int, tuple[datetime, float | None]]  # appearance id -> last fuzzy re-anchoring
    policy: AuditPolicy
    as_of: date
    sources_dir: Path
    file_checks: dict[tuple[int, str], FileProblem | None] = field(default_factory=dict)
    repeats: list = field(default_factory=list)  # sentences restating a failed claim (``audit_repeats``)

    @cached_property
    def present(self) -> list[Item]:
        """Appearances still anchored in the text (orphans are the drift rule's business)."""
        return [i for i in self.items if not i.orphaned]

    @cached_property
    def claims(self) -> list[Item]:
        """The first appearance of each claim still in the text."""
        seen: set[int] = set()
        out = []
        for i in self.present:
            if i.claim_id not in seen:
                seen.add(i.claim_id)
                out.append(i)
        return out

    @cached_property
    def sentences(self) -> SentenceIndex:
        return SentenceIndex(self.body)


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def load_facts(conn: Connection, article_id: int, *, policy: AuditPolicy, vocabulary: Vocabulary,
               sources_dir: Path, as_of: date) -> ArticleFacts:
    article = conn.execute(select(ARTICLE.c.id, ARTICLE.c.title, ARTICLE.c.lang, ARTICLE.c.body)
                           .where(ARTICLE.c.id == article_id)).first()
    if article is None:
        raise NotFound(f"no article with id {article_id}")
    in_article = select(APPEARANCE.c.claim_id).where(APPEARANCE.c.article_id == article_id)
    rows = conn.execute(
        select(APPEARANCE.c.id, APPEARANCE.c.claim_id, APPEARANCE.c.quote, APPEARANCE.c.start, APPEARANCE.c.end,
               APPEARANCE.c.orphaned, CLAIM.c.kind, CLAIM.c.status, CLAIM.c.claimant, APPEARANCE.c.needs_confirm)
        .join(CLAIM, CLAIM.c.id == APPEARANCE.c.claim_id)
        .where(APPEARANCE.c.article_id == article_id)
        .order_by(APPEARANCE.c.start, APPEARANCE.c.id))
    items = [Item(r.id, r.claim_id, r.quote, r.start, r.end, bool(r.orphaned), r.kind, r.status,
                  vocabulary.category(r.status), r.claimant, bool(r.needs_confirm)) for r in rows]
    citations: dict[int, list[Cited]] = {}
    for r in conn.execute(
            select(CITATION.c.claim_id, CITATION.c.stance, CITATION.c.excerpt, SOURCE.c.id, SOURCE.c.kind,
                   SOURCE.c.publisher, SOURCE.c.title, SOURCE.c.accessed, SOURCE.c.sha256, SOURCE.c.file_name)
            .join(SOURCE, SOURCE.c.id == CITATION.c.source_id)
            .where(CITATION.c.claim_id.in_(in_article) & CITATION.c.retracted_at.is_(None))
            .order_by(CITATION.c.claim_id, CITATION.c.id)):
        citations.setdefault(r.claim_id, []).append(Cited(r.claim_id, r.stance, r.excerpt, r.id, r.kind,
                                                          r.publisher, r.title, r.accessed, r.sha256, r.file_name))
    verdict_at = {cid: _stamp(at) for cid, at in conn.execute(
        select(EVENT.c.claim_id, func.max(EVENT.c.at))
        .where(EVENT.c.claim_id.in_(in_article) & EVENT.c.action.in_(VERDICT_ACTIONS))
        .group_by(EVENT.c.claim_id))}
    reworded: dict[int, tuple[datetime, float | None]] = {}
    for r in conn.execute(select(EVENT.c.entity_id, EVENT.c.at, EVENT.c.payload)
                          .where((EVENT.c.article_id == article_id) & (EVENT.c.action == REANCHOR_ACTION))
                          .order_by(EVENT.c.id)):
        payload = json.loads(r.payload)
        if payload.get("method") == "fuzzy":  # a later exact move keeps the new wording: still reworded
            reworded[r.entity_id] = (_stamp(r.at), payload.get("score"))
    return ArticleFacts(article.id, article.title, article.lang, article.body, items, citations, verdict_at,
                        reworded, policy, as_of, sources_dir)


# ------------------------------------------------------------------------------- rules
Located = tuple[int, Finding]  # a finding and where in the text it is, for reading order
Rule = Callable[[ArticleFacts, str], Iterator[Located]]
RULES: dict[str, Rule] = {}


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[rule_id] = fn
        return fn
    return register


def _finding(severity: str, rule_id: str, message: str, item: Item, *commands: str) -> Located:
    """A finding on ``item``. Each ``{}`` in ``message`` is where the CLI wording shows the matching
    command, in parentheses; the plain message (what a screen shows) leaves them out."""
    plain = message.format(*("" for _ in commands)) if commands else message
    text = message.format(*(f" ({c})" for c in commands)) if commands else message
    return item.start, Finding(severity=severity, rule=rule_id, message=plain, claim_id=item.claim_id,
                               appearance_id=item.appearance_id, quote=item.quote,
                               command=" or ".join(commands) or None, text=text)


def _braces(text: str) -> str:
    """``text`` (which may hold user words) made safe to carry ``{}`` command places."""
    return text.replace("{", "{{").replace("}", "}}")


@rule("open-claim")
def open_claim(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    for i in facts.present:
        if i.category == "open":
            yield _finding(severity, "open-claim", _braces(f"claim {i.claim_id} is still {i.status}: check it and "
                           "set its status") + "{}, or take the passage out", i,
                           f"ledger status {i.claim_id} STATUS --note …")


@rule("failed-claim")
def failed_claim(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    for i in facts.present:
        if i.category == "fail":
            yield _finding(severity, "failed-claim", f"claim {i.claim_id} is {i.status} and still in the text: "
                           "correct the passage or remove it", i)


@rule("unresolved")
def unresolved(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    for i in facts.present:
        if i.category == "unresolved":
            yield _finding(severity, "unresolved", f"claim {i.claim_id} is {i.status}: say so in the text "
                           "(attribute it, give the doubt) or take it out", i)


def _publisher_key(c: Cited) -> str:
    name = " ".join((c.publisher or "").casefold().split())
    return name or f"source:{c.source_id}"


@rule("too-few-sources")
def too_few_sources(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    needed = facts.policy.option("too-few-sources", "min_sources")
    primary = set(facts.policy.option("too-few-sources", "primary_kinds"))
    for i in facts.claims:
        if i.kind != "assertion" or i.category != "pass":
            continue
        supporting = [c for c in facts.citations.get(i.claim_id, ()) if c.stance == "supports"]
        if any(c.source_kind in primary for c in supporting):
            continue
        publishers = {_publisher_key(c) for c in supporting}
        if len(publishers) < needed:
            kinds = "/".join(sorted(primary)) or "primary"
            yield _finding(severity, "too-few-sources",
                           f"claim {i.claim_id} is {i.status} on {len({c.source_id for c in supporting})} "
                           "supporting source(s) from "
                           f"{len(publishers)} publisher(s); it needs {needed} from distinct publishers, or one "
                           f"primary {kinds} source: cite another independent source", i)


_QUOTED = re.compile(r"«\s*(.+?)\s*»|“(.+?)”|„(.+?)[“”]|\"(.+?)\"", re.S)
_OPENING = re.compile(r"[«“„\"]\s*(.+)$", re.S)


def quoted_words(quote: str) -> list[str]:
    """The words inside quotation marks in a passage, or the whole passage when it has none."""
    found = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(quote)]
    if not found:
        opening = _OPENING.search(quote)  # a passage cut inside a quotation
        found = [opening.group(1)] if opening else []
    found = [f.strip() for f in found if len(f.strip()) >= 3]
    return found or [quote.strip()]


def match_score(words: str, excerpt: str) -> float:
    """How well ``excerpt`` carries ``words`` (0-100): the best-aligned part of a longer excerpt, or the
    whole of a shorter one — a short excerpt cannot vouch for a long quotation."""
    a, b = default_process(words), default_process(excerpt)
    if not a or not b:
        return 0.0
    return partial_ratio(a, b) if len(b) >= len(a) else ratio(a, b)


@rule("attribution-evidence")
def attribution_evidence(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    threshold = facts.policy.option("attribution-evidence", "threshold")
    for i in facts.present:
        if i.kind != "attribution" or i.category != "pass":
            continue
        excerpts = [c.excerpt for c in facts.citations.get(i.claim_id, ()) if c.stance == "supports" and c.excerpt]
        who = f" ({i.claimant})" if i.claimant else ""
        if not excerpts:
            yield _finding(severity, "attribution-evidence",
                           f"attribution claim {i.claim_id}{who} is {i.status} but no supporting citation quotes "
                           "what was said: cite the primary record (transcript, recording, statement) with the "
                           "exact excerpt", i)
            continue
        worst = min(max(match_score(words, e) for e in excerpts) for words in quoted_words(i.quote))
        if worst < threshold:
            yield _finding(severity, "attribution-evidence",
                           f"attribution claim {i.claim_id}{who} is {i.status} but no supporting excerpt matches "
                           f"the quoted words (best match {int(worst)} < {threshold}): cite the primary record of "
                           "the words as printed, or correct the quotation", i)


@rule("anchor-drift")
def anchor_drift(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    reworded_severity = facts.policy.option("anchor-drift", "reworded_severity")
    if facts.policy.strict:
        reworded_severity = severity
    for i in facts.items:
        if i.orphaned:
            yield _finding(severity, "anchor-drift",
                           f"the passage of claim {i.claim_id} is no longer in the text (orphaned by a revision): "
                           "link the claim to its new wording{} or drop the passage from the article{}", i,
                           f"ledger claim link {i.claim_id} --article {facts.article_id} --quote …",
                           f"ledger claim unlink {i.appearance_id} --note …")
        elif facts.body[i.start:i.end] != i.quote:
            yield _finding(severity, "anchor-drift",
                           f"the passage of claim {i.claim_id} no longer stands at characters {i.start}-{i.end}: "
                           "re-anchor the article{}", i, f"ledger article update {facts.article_id} FILE")
        elif i.appearance_id in facts.reworded and i.category in ("pass", "fail") and not i.needs_confirm:
            when, score = facts.reworded[i.appearance_id]
            verdict = facts.verdict_at.get(i.claim_id)
            if verdict is None or verdict < when:
                shown = f" (similarity {score:.0f})" if isinstance(score, (int, float)) else ""
                yield _finding(reworded_severity, "anchor-drift",
                               f"the passage of claim {i.claim_id} was reworded on {when.date()}{shown} after it "
                               f"was judged {i.status}: re-check the new wording and set the status again", i)


@rule("reworded-after-verdict")
def reworded_after_verdict(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    """A revision reworded the passage of a claim already judged: the verdict was given on other
    words, so it waits until a checker confirms it still holds, or changes it."""
    for i in facts.present:
        if i.needs_confirm:
            yield _finding(severity, "reworded-after-verdict",
                           _braces(f"the passage of claim {i.claim_id} was reworded by a revision after it was "
                                   f"judged {i.status}: confirm the verdict holds for the new words") + "{}"
                           " or set its status again{}", i,
                           f"ledger claim confirm {i.claim_id} --note …", f"ledger status {i.claim_id} STATUS --note …")


@rule("vague-attribution")
def vague_attribution(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    """Hedged sourcing in the article's language: around each claim, and in every sentence no
    claim covers (the matching itself is ``text.hedging``)."""
    pattern = phrase_pattern(phrases_for(facts.policy.option("vague-attribution", "phrases"), facts.lang))
    if pattern is None:
        return
    claimed: list[tuple[int, int]] = []
    for i in facts.present:
        start, end = facts.sentences.around(i.start, i.end)
        claimed.append((start, end))
        hits = hedges(pattern, facts.body, start, end)
        if hits:
            shown = ", ".join(f"“{h}”" for h in hits)
            yield _finding(severity, "vague-attribution",
                           f"hedged sourcing {shown} in or around claim {i.claim_id}: name the source, or state "
                           "only what is established", i)
    starts, ends = merged(claimed)
    for s in facts.sentences.sentences:
        k = bisect_right(starts, s.end - 1) - 1
        if k >= 0 and ends[k] > s.start:
            continue
        hits = hedges(pattern, facts.body, s.start, s.end)
        if hits:
            shown = ", ".join(f"“{h}”" for h in hits)
            yield s.start, Finding(severity=severity, rule="vague-attribution", quote=s.text,
                                   message=f"hedged sourcing {shown} and no claim covers this sentence: name the "
                                           "source, or record the claim it makes and check it")


@rule("stale-evidence")
def stale_evidence(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    accessed_span = facts.policy.option("stale-evidence", "source_accessed")
    verified_span = facts.policy.option("stale-evidence", "claim_verified")
    source_limit = facts.as_of - accessed_span
    verdict_limit = facts.as_of - verified_span
    for i in facts.claims:
        if i.category not in ("pass", "fail"):
            continue
        verdict = facts.verdict_at.get(i.claim_id)
        if verdict is not None and verdict.date() < verdict_limit:
            yield _finding(severity, "stale-evidence",
                           f"claim {i.claim_id} was judged {i.status} on {verdict.date()}, more than "
                           f"{describe_span(verified_span)} before {facts.as_of}: check it is still true and "
                           "set its status again", i)
        seen: set[int] = set()
        stale = []
        for c in facts.citations.get(i.claim_id, ()):
            if c.stance == "context" or c.source_id in seen or c.accessed is None:
                continue
            seen.add(c.source_id)
            if c.accessed < source_limit:
                stale.append(f"source {c.source_id} ({c.title}) on {c.accessed}")
        if stale:
            # one finding per claim, naming every stale source behind it
            them = "it" if len(stale) == 1 else "them"
            yield _finding(severity, "stale-evidence",
                           f"the evidence behind claim {i.claim_id} was consulted more than "
                           f"{describe_span(accessed_span)} before {facts.as_of}: {'; '.join(stale)}: "
                           f"consult {them} again and archive the current version", i)


@rule("evidence-integrity")
def evidence_integrity(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    for i in facts.claims:
        for c in facts.citations.get(i.claim_id, ()):
            if not c.file_name:
                continue
            key = (c.source_id, c.file_name)
            if key not in facts.file_checks:
                facts.file_checks[key] = check_archived_file(facts.sources_dir, source_id=c.source_id,
                                                             file_name=c.file_name, sha256=c.sha256)
            problem = facts.file_checks[key]
            if problem is not None:
                yield _finding(severity, "evidence-integrity",
                               f"evidence for claim {i.claim_id}: {problem.describe()}; restore the file from a "
                               "backup, or archive the source again and cite the new copy", i)


@rule("uncovered-sentence")
def uncovered_sentence(facts: ArticleFacts, severity: str) -> Iterator[Located]:
    covered = [(i.start, i.end) for i in facts.present if facts.body[i.start:i.end] == i.quote]
    for w in uncovered(facts.sentences.sentences, covered):
        yield w.sentence.start, Finding(severity=severity, rule="uncovered-sentence", quote=w.sentence.text,
                                        message=f"this sentence has {' and '.join(w.signals)} but no claim "
                                                "covers it: record the claim it makes, or leave it if there is "
                                                "nothing to check")


# ------------------------------------------------------------------------------ running
def run_rules(facts: ArticleFacts) -> list[Finding]:
    """Every enabled rule, findings in order: blocking first, then by place in the text, then by rule."""
    policy = facts.policy
    located: list[tuple[int, int, int, Finding]] = []
    for n, rule_id in enumerate(RULE_IDS):
        if policy.enabled(rule_id):
            for where, f in RULES[rule_id](facts, policy.severity(rule_id)):
                located.append((SEVERITIES.index(f.severity), where, n, f))
    located.sort(key=lambda t: t[:3])
    return [t[3] for t in located]


def audit_connection(conn: Connection, article_id: int, *, policy: AuditPolicy, vocabulary: Vocabulary,
                     sources_dir: Path, as_of: date | None = None) -> AuditReport:
    """The audit inside an open transaction (publishing runs it in the same one that changes the state)."""
    when = as_of or date.today()
    facts = load_facts(conn, article_id, policy=policy, vocabulary=vocabulary, sources_dir=sources_dir, as_of=when)
    if policy.enabled("repeats-failed-claim"):
        facts.repeats = audit_repeats.failed_repeats(conn, facts, vocabulary)
    findings = run_rules(facts)
    return AuditReport(article_id=article_id, as_of=when, findings=findings,
                       publishable=not any(f.severity == "block" for f in findings))


def audit_article(ledger: Ledger, article_id: int, *, as_of: date | None = None) -> AuditReport:
    with ledger.db.read() as conn:
        return audit_connection(conn, article_id, policy=ledger.config.policy, vocabulary=ledger.vocabulary,
                                sources_dir=ledger.workspace.sources_dir, as_of=as_of)


from ledger.services import audit_repeats  # noqa: E402 - registers its rule, which uses the names above
