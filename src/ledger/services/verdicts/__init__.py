"""Reading fact-checkers' verdicts onto the ledger's statuses, in every language they publish in.

A verdict comes as a label ("Falso", "Pants on Fire!", "錯誤", "FALSO: as imagens são de 2019")
and sometimes a rating on a scale (``ratingValue`` between ``worstRating`` and ``bestRating``).
``VerdictReader.read(label, rating)`` gives a ``Reading``: the status, and how it was read:

- ``map``: the workspace's own map, ``[import.verdicts]`` in ``ledger.toml`` (it wins);
- ``label``: the lexicon (``lexicon/*.toml``: labels of about seventy languages and of the
  well-known vocabularies — PolitiFact, Snopes, Full Fact, AFP, The Washington Post, FEVER), by the
  whole label, or by its verdict word when an explanation follows ("FALSO: …") or an intensifier
  or a "Verdict:" prefix stands before it;
- ``rating``: the scale, when the label is unknown or free text and the scale is sane (both
  ends given, at least three steps apart, the value between them);
- ``None``: not read; the claim stays open (the workspace's initial status) and keeps its label.

The rule above all: never read a verdict as its opposite. A label is read from its parts only when
no negation or contrast word stands in the way (``lexicon/_guards.toml``): "not false", "no es
falso", "nicht falsch", "true but…" are not in the lexicon as such, so they stay open — and then
the scale does not decide for them either. Lexicon statuses the workspace's vocabulary lacks are
read as the first status of the same category it has.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ledger.errors import InvalidInput
from ledger.text.labels import clean_label, label_key, verdict_heads
from ledger.vocabulary import DEFAULT_STATUSES, Vocabulary

__all__ = ["Reading", "VerdictReader", "clean_label", "label_key", "lexicon", "verdict_reader"]

OPEN = "open"
LEXICON_STATUSES = ("verified", "false", "misleading", "disputed", "unverifiable", OPEN)


@dataclass(frozen=True)
class Lexicon:
    table: dict[str, str]  # normalised label -> lexicon status
    origins: dict[str, str]  # normalised label -> the first table (language or vocabulary) naming it
    conflicts: list[str]  # keys two tables read differently (dropped from ``table``)
    languages: tuple[str, ...]
    negations: frozenset[str]
    negation_marks: tuple[str, ...]
    contrasts: frozenset[str]
    contrast_marks: tuple[str, ...]
    prefixes: tuple[str, ...]
    intensifiers: tuple[str, ...]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    folder = resources.files(__package__) / "lexicon"
    table: dict[str, str] = {}
    origins: dict[str, str] = {}
    conflicts: set[str] = set()
    languages: list[str] = []
    guards: dict[str, Any] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        if entry.name == "_guards.toml":
            guards = data
            continue
        for lang, statuses in data.items():
            languages.append(lang)
            for status, labels in statuses.items():
                if status not in LEXICON_STATUSES:
                    raise ValueError(f"lexicon {entry.name} [{lang}]: unknown status {status!r}")
                for label in labels:
                    key = label_key(label)
                    if not key:
                        continue
                    if key in table and table[key] != status:
                        conflicts.add(key)
                    table.setdefault(key, status)
                    origins.setdefault(key, lang)
    for key in conflicts:
        table.pop(key, None)

    def keys(name: str) -> list[str]:
        return [k for k in (label_key(w) for w in guards.get(name, ())) if k]

    return Lexicon(table=table, origins=origins, conflicts=sorted(conflicts), languages=tuple(languages),
                   negations=frozenset(keys("negations")), negation_marks=tuple(guards.get("negation_marks", ())),
                   contrasts=frozenset(keys("contrasts")), contrast_marks=tuple(guards.get("contrast_marks", ())),
                   prefixes=tuple(sorted(keys("prefixes"), key=len, reverse=True)),
                   intensifiers=tuple(sorted(keys("intensifiers"), key=len, reverse=True)))


@dataclass(frozen=True)
class Reading:
    status: str
    basis: str | None  # "map" | "label" | "rating" | None (not read: the claim stays open)
    label: str | None = None  # as published, tidied


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        n = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return n if n == n and abs(n) != float("inf") else None


def scale_status(value: Any, best: Any, worst: Any) -> str | None:
    """The status a sane scale gives: both ends and the value numbers, the ends at least three
    steps apart (a two-point scale says too little), the value between them."""
    v, b, w = _number(value), _number(best), _number(worst)
    if v is None or b is None or w is None or abs(b - w) < 2 or not min(b, w) <= v <= max(b, w):
        return None
    f = (v - w) / (b - w)
    if f <= 0:
        return "false"
    if f < 0.5:
        return "misleading"
    if f == 0.5:
        return "disputed"
    if f < 0.75:
        return "disputed"
    return "verified"


@dataclass(frozen=True)
class VerdictReader:
    vocabulary: Vocabulary
    custom: dict[str, str] = field(default_factory=dict)  # normalised label -> workspace status

    @property
    def initial(self) -> str:
        return self.vocabulary.initial

    def fit(self, status: str) -> str | None:
        """A lexicon status in the workspace's vocabulary (None: the workspace has no such category)."""
        if status == OPEN:
            return self.vocabulary.initial
        if status in self.vocabulary.statuses:
            return status
        same = self.vocabulary.in_category(DEFAULT_STATUSES[status])
        return same[0] if same else None

    def _known(self, key: str) -> tuple[str, str] | None:
        if key in self.custom:
            return self.custom[key], "map"
        status = lexicon().table.get(key)
        if status is not None:
            fitted = self.fit(status)
            if fitted is not None:
                return fitted, "label"
        return None

    def _negated(self, key: str) -> bool:
        lx = lexicon()
        return bool(set(key.split()) & lx.negations) or any(m in key for m in lx.negation_marks)

    def _contrasted(self, key: str) -> bool:
        lx = lexicon()
        return bool(set(key.split()) & lx.contrasts) or any(m in key for m in lx.contrast_marks)

    def _strip(self, key: str) -> str:
        """The key without a leading "Verdict:"-like prefix or an intensifier ("totally")."""
        lx = lexicon()
        changed = True
        while changed:
            changed = False
            for word in lx.prefixes + lx.intensifiers:
                if key.startswith(word + " "):
                    key = key[len(word) + 1:]
                    changed = True
        return key

    def read_label(self, label: str | None) -> tuple[Reading | None, bool]:
        """(the reading of the label, or None; whether the label is unsure — a negation or a
        contrast stands in it, so neither its parts nor a scale may decide)."""
        if not label:
            return None, False
        text = clean_label(label)
        key = label_key(text)
        if not key:
            return None, False
        known = self._known(key)
        if known:
            return Reading(known[0], known[1], text), False
        stripped = self._strip(key)
        if stripped != key and not self._contrasted(stripped):
            known = self._known(stripped)
            if known:
                return Reading(known[0], known[1], text), False
        heads = verdict_heads(text)
        lx = lexicon()
        while heads and heads[0] in lx.prefixes:
            heads = heads[1:]
        if heads:
            head, rest = self._strip(heads[0]), " ".join(heads[1:])
            first_rest = rest.split()[:1]
            if rest and not self._contrasted(rest) and not (set(first_rest) & lx.negations):
                known = self._known(head)
                if known:
                    return Reading(known[0], known[1], text), False
        return None, self._negated(key) or self._contrasted(key)

    def _leanings(self, key: str) -> set[str]:
        """The categories (pass, fail) of the verdict words inside a label not known as a whole."""
        table = lexicon().table
        words = key.split()
        found = set()
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                status = table.get(" ".join(words[i:i + n]))
                if status and status != OPEN:
                    found.add(DEFAULT_STATUSES[status])
        return found & {"pass", "fail"}

    def read(self, label: str | None, *, value: Any = None, best: Any = None, worst: Any = None) -> Reading:
        reading, unsure = self.read_label(label)
        if reading is not None:
            return reading
        text = clean_label(label) if label else None
        if not unsure:
            status = scale_status(value, best, worst)
            fitted = self.fit(status) if status else None
            # a scale never contradicts the words of its own label ("half false" rated 5 of 5)
            leanings = self._leanings(label_key(text)) if text else set()
            against = {"pass": "fail", "fail": "pass"}.get(DEFAULT_STATUSES.get(status or "", ""))
            if fitted is not None and against not in leanings:
                return Reading(fitted, "rating", text)
        return Reading(self.vocabulary.initial, None, text)

    def lookup(self, label: str | None) -> tuple[str, bool]:
        """(status, whether the label was recognised) — the label alone, no scale."""
        reading, _ = self.read_label(label)
        return (reading.status, True) if reading else (self.vocabulary.initial, False)


def custom_map(config_raw: dict[str, Any], vocabulary: Vocabulary) -> dict[str, str]:
    """``[import.verdicts]`` of ``ledger.toml``: normalised label -> status, checked."""
    section = config_raw.get("import")
    custom = section.get("verdicts") if isinstance(section, dict) else None
    out: dict[str, str] = {}
    if custom is None:
        return out
    if not isinstance(custom, dict):
        raise InvalidInput("ledger.toml: [import.verdicts] must be a table of \"label\" = \"status\"")
    for label, status in custom.items():
        if not isinstance(status, str) or status.strip().lower() not in vocabulary.statuses:
            raise InvalidInput(f"ledger.toml: [import.verdicts] maps {label!r} to {status!r}, which is not a "
                               f"status; statuses: {', '.join(vocabulary.statuses)}")
        key = label_key(label)
        if not key:
            raise InvalidInput(f"ledger.toml: [import.verdicts] has an empty label {label!r}")
        out[key] = status.strip().lower()
    return out


def verdict_reader(config_raw: dict[str, Any], vocabulary: Vocabulary) -> VerdictReader:
    return VerdictReader(vocabulary=vocabulary, custom=custom_map(config_raw, vocabulary))
