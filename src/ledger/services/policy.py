"""The audit policy a workspace sets in ``ledger.toml``: which rules run, how hard they bite.

Every rule of the pre-publication audit is on by default with the severity the newsroom
expects; a desk can switch a rule off, change its severity, tighten the strict mode or tune
its numbers::

    [audit]
    strict = true                      # unresolved claims block instead of warning

    [audit.rules.too-few-sources]
    min_sources = 3
    primary_kinds = ["official", "document"]

    [audit.rules.attribution-evidence]
    threshold = 90                     # 0-100, rapidfuzz partial_ratio

    [audit.rules.vague-attribution.phrases]
    fr = ["selon certaines sources", "aurait"]
    en = ["reportedly", "according to sources"]

    [audit.rules.stale-evidence]
    source_accessed = "30 days"        # days, weeks, months, years (or jours, semaines, mois, ans)
    claim_verified = "3 months"

    [audit.rules.uncovered-sentence]
    enabled = false

    [anchoring]
    fuzzy_threshold = 80               # how close a reworded passage must stay to keep its claim

Each setting is checked when the ledger opens; a wrong one is an error naming its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from dateutil.relativedelta import relativedelta

from ledger.errors import InvalidInput
from ledger.vocabulary import SOURCE_KINDS

SEVERITIES = ("block", "warn", "info")

DEFAULT_VAGUE_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": ("selon certaines sources", "selon des sources", "selon plusieurs sources", "d'après certaines sources",
           "de source sûre", "selon nos informations", "il semblerait", "aurait", "auraient", "serait",
           "seraient"),
    "en": ("reportedly", "according to sources", "according to some sources", "sources say", "allegedly",
           "is said to", "are said to", "is believed to", "are believed to", "unnamed sources", "rumoured",
           "rumored"),
    "es": ("según fuentes", "según algunas fuentes", "según varias fuentes", "según ciertas fuentes",
           "fuentes cercanas", "al parecer", "supuestamente", "presuntamente", "se dice que", "según se informa",
           "habría", "habrían"),
    "pt": ("segundo fontes", "segundo algumas fontes", "de acordo com fontes", "fontes próximas", "alegadamente",
           "supostamente", "ao que parece", "diz-se que", "teria", "teriam"),
    "de": ("angeblich", "laut Quellen", "einigen Quellen zufolge", "Berichten zufolge", "mutmaßlich",
           "unbestätigten Berichten", "aus informierten Kreisen", "aus gut unterrichteten Kreisen"),
    "it": ("secondo alcune fonti", "secondo fonti", "secondo indiscrezioni", "fonti vicine", "presumibilmente",
           "si dice che", "pare che", "avrebbe", "avrebbero", "sembrerebbe"),
}


@dataclass(frozen=True)
class RuleSettings:
    enabled: bool
    severity: str
    strict_severity: str
    options: dict[str, Any] = field(default_factory=dict)

    def effective(self, strict: bool) -> str:
        return self.strict_severity if strict else self.severity


# rule id -> (severity, strict severity, {option: default})
RULE_DEFAULTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "open-claim": ("block", "block", {}),
    "failed-claim": ("block", "block", {}),
    "unresolved": ("warn", "block", {}),
    "too-few-sources": ("block", "block", {"min_sources": 2, "primary_kinds": ("official", "document")}),
    "attribution-evidence": ("block", "block", {"threshold": 85}),
    "anchor-drift": ("block", "block", {"reworded_severity": "warn"}),
    "reworded-after-verdict": ("block", "block", {}),
    "vague-attribution": ("warn", "warn", {"phrases": DEFAULT_VAGUE_PHRASES}),
    "stale-evidence": ("warn", "warn", {"source_accessed": relativedelta(days=30), "claim_verified": relativedelta(days=90)}),
    "evidence-integrity": ("block", "block", {}),
    "uncovered-sentence": ("info", "info", {}),
    "repeats-failed-claim": ("warn", "warn", {"threshold": 70}),
}
RULE_IDS = tuple(RULE_DEFAULTS)


@dataclass(frozen=True)
class AuditPolicy:
    strict: bool = False
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    anchor_threshold: int = 80

    def rule(self, rule_id: str) -> RuleSettings:
        return self.rules[rule_id]

    def enabled(self, rule_id: str) -> bool:
        return self.rules[rule_id].enabled

    def severity(self, rule_id: str) -> str:
        return self.rules[rule_id].effective(self.strict)

    def option(self, rule_id: str, name: str) -> Any:
        return self.rules[rule_id].options[name]


def default_policy() -> AuditPolicy:
    return AuditPolicy(rules={rid: RuleSettings(True, sev, strict, dict(opts))
                              for rid, (sev, strict, opts) in RULE_DEFAULTS.items()})


DEFAULT_POLICY = default_policy()

# ----------------------------------------------------------------------------------- spans
_UNITS = {
    "d": "days", "day": "days", "days": "days", "jour": "days", "jours": "days", "j": "days",
    "w": "weeks", "week": "weeks", "weeks": "weeks", "semaine": "weeks", "semaines": "weeks",
    "m": "months", "month": "months", "months": "months", "mois": "months",
    "y": "years", "year": "years", "years": "years", "an": "years", "ans": "years", "année": "years",
    "années": "years", "annee": "years", "annees": "years",
}
_SPAN = re.compile(r"^\s*(\d{1,5})\s*([^\d\s]+)\s*$")


def parse_span(value: Any) -> relativedelta:
    """``30`` (days), ``"30 days"``, ``"3 months"``, ``"1 year"``, ``"2 semaines"`` -> relativedelta."""
    if isinstance(value, bool):
        raise ValueError("a span is a number of days or text such as \"30 days\"")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a span cannot be negative")
        return relativedelta(days=value)
    if isinstance(value, str):
        m = _SPAN.match(value)
        if m and m.group(2).lower() in _UNITS:
            return relativedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})
    raise ValueError(f"{value!r} is not a span; write it as \"30 days\", \"6 weeks\", \"3 months\" or \"1 year\"")


def describe_span(span: relativedelta) -> str:
    parts = [f"{n} {unit[:-1] if n == 1 else unit}"
             for unit, n in (("years", span.years), ("months", span.months), ("days", span.days)) if n]
    return ", ".join(parts) or "0 days"


# ---------------------------------------------------------------------------- line lookup
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+", key)
    return tuple(p.strip("\"'") for p in parts)


def line_of(text: str, path: tuple[str, ...]) -> int | None:
    """The line of ``ledger.toml`` that sets ``path`` (a table or a key), or the closest enclosing one."""
    best: tuple[int, int] | None = None  # (matched length, line)
    table: tuple[str, ...] = ()
    for n, line in enumerate(text.splitlines(), 1):
        h = _HEADER.match(line)
        if h:
            table = _split_key(h.group(1))
            here = table
        else:
            k = _KEY.match(line)
            if not k:
                continue
            here = table + _split_key(k.group(1))
        if here == path[: len(here)] and (best is None or len(here) > best[0]):
            best = (len(here), n)
            if len(here) == len(path):
                break
    return best[1] if best else None


# -------------------------------------------------------------------------------- parsing
class _Reader:
    def __init__(self, text: str, path: Path):
        self.text = text
        self.path = path

    def fail(self, where: tuple[str, ...], message: str) -> InvalidInput:
        line = line_of(self.text, where)
        at = f" line {line}" if line else ""
        return InvalidInput(f"{self.path}{at}: {'.'.join(where)}: {message}")

    def table(self, value: Any, where: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        return value


def _int_in(lo: int, hi: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise ValueError(f"must be a whole number from {lo} to {hi}, not {value!r}")
        return value
    return check


def _severity(value: Any) -> str:
    if value not in SEVERITIES:
        raise ValueError(f"must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


def _kinds(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or any(v not in SOURCE_KINDS for v in value):
        raise ValueError(f"must be a list of source kinds among {', '.join(SOURCE_KINDS)}")
    return tuple(value)


def _phrases(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ValueError("must be a table of language = [phrases], e.g. fr = [\"aurait\"]")
    out: dict[str, tuple[str, ...]] = {}
    for lang, words in value.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"{lang} must be a list of non-empty phrases")
        out[lang.lower()] = tuple(w.strip() for w in words)
    return out


_OPTION_CHECKS: dict[str, Callable[[Any], Any]] = {
    "min_sources": _int_in(1, 20),
    "primary_kinds": _kinds,
    "threshold": _int_in(0, 100),
    "reworded_severity": _severity,
    "phrases": _phrases,
    "source_accessed": parse_span,
    "claim_verified": parse_span,
}


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value


def parse_policy(raw: dict[str, Any], text: str, path: Path) -> AuditPolicy:
    """The audit policy from a parsed ``ledger.toml`` (``text`` is used to name lines in errors)."""
    r = _Reader(text, path)
    policy = default_policy()
    audit = r.table(raw.get("audit", {}), ("audit",))
    strict = policy.strict
    rules = dict(policy.rules)
    for key, value in audit.items():
        where = ("audit", key)
        if key == "strict":
            try:
                strict = _bool(value)
            except ValueError as exc:
                raise r.fail(where, str(exc)) from None
        elif key == "rules":
            for rule_id, settings in r.table(value, where).items():
                rules[rule_id] = _parse_rule(r, rule_id, settings, rules.get(rule_id))
        else:
            raise r.fail(where, "unknown setting; [audit] takes strict and [audit.rules.<rule>] tables")
    anchor_threshold = policy.anchor_threshold
    for key, value in r.table(raw.get("anchoring", {}), ("anchoring",)).items():
        where = ("anchoring", key)
        if key != "fuzzy_threshold":
            raise r.fail(where, "unknown setting; [anchoring] takes fuzzy_threshold")
        try:
            anchor_threshold = _int_in(0, 100)(value)
        except ValueError as exc:
            raise r.fail(where, str(exc)) from None
    return AuditPolicy(strict=strict, rules=rules, anchor_threshold=anchor_threshold)


def _parse_rule(r: _Reader, rule_id: str, settings: Any, base: RuleSettings | None) -> RuleSettings:
    where = ("audit", "rules", rule_id)
    if base is None:
        raise r.fail(where, f"unknown rule; the rules are {', '.join(RULE_IDS)}")
    table = r.table(settings, where)
    out = replace(base, options=dict(base.options))
    for key, value in table.items():
        here = where + (key,)
        try:
            if key == "enabled":
                out = replace(out, enabled=_bool(value))
            elif key == "severity":
                # a rule that hardens under strict mode (unresolved) keeps hardening; the others follow
                hardens = base.strict_severity != base.severity
                out = replace(out, severity=_severity(value),
                              strict_severity=_stricter(value, base.strict_severity) if hardens else value)
            elif key == "strict_severity":
                out = replace(out, strict_severity=_severity(value))
            elif key in out.options:
                out.options[key] = _OPTION_CHECKS[key](value)
            else:
                known = ", ".join(("enabled", "severity", "strict_severity", *base.options))
                raise ValueError(f"unknown setting for this rule; it takes {known}")
        except ValueError as exc:
            raise r.fail(here, str(exc)) from None
    if "strict_severity" in table:
        out = replace(out, strict_severity=_severity(table["strict_severity"]))
    return out


def _stricter(a: str, b: str) -> str:
    """Of two severities, the one that bites harder (block > warn > info)."""
    return a if SEVERITIES.index(a) <= SEVERITIES.index(b) else b
