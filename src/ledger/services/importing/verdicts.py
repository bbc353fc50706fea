"""Reading the verdicts fact-checkers publish onto the ledger's statuses.

Fact-checkers label their ratings in their own words and languages ("False", "Faux",
"Trompeur", "Partly false", "Pas de preuve"…). A label is normalised — HTML entities decoded,
accents, case, hyphens, surrounding punctuation and extra spaces dropped — and looked up in the
verdict map: the defaults below (English and French), overridden or extended by the workspace's
``ledger.toml``::

    [import.verdicts]
    "Sans fondement" = "unverifiable"
    "Four Pinocchios" = "false"

A label the map does not know becomes the workspace's initial status (``unverified``) and is
kept, as published, in the claim's ``status_label``; so is every mapped label.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ledger.errors import InvalidInput
from ledger.vocabulary import Vocabulary

DEFAULT_VERDICTS: dict[str, str] = {
    # English
    "true": "verified", "correct": "verified", "accurate": "verified", "mostly true": "verified",
    "mostly correct": "verified", "mostly accurate": "verified", "verified": "verified",
    "false": "false", "pants on fire": "false", "fake": "false", "incorrect": "false", "wrong": "false",
    "fabricated": "false", "not true": "false", "mostly false": "false", "altered": "false",
    "four pinocchios": "false", "baseless": "false", "hoax": "false", "scam": "false",
    "misleading": "misleading", "partly false": "misleading", "partially false": "misleading",
    "partly true": "misleading", "half true": "misleading", "missing context": "misleading",
    "lacks context": "misleading", "needs context": "misleading", "out of context": "misleading",
    "exaggerated": "misleading", "exaggeration": "misleading", "distorted": "misleading",
    "cherry picks": "misleading", "spins the facts": "misleading",
    "unproven": "unverifiable", "unsupported": "unverifiable", "no evidence": "unverifiable",
    "unverifiable": "unverifiable", "not enough evidence": "unverifiable", "insufficient evidence": "unverifiable",
    "unsubstantiated": "unverifiable", "cannot be verified": "unverifiable",
    "disputed": "disputed", "mixed": "disputed", "mixture": "disputed", "contested": "disputed",
    "in dispute": "disputed",
    # French
    "vrai": "verified", "c'est vrai": "verified", "exact": "verified", "plutot vrai": "verified",
    "vrai mais": "misleading", "juste": "verified", "confirme": "verified",
    "faux": "false", "fausse": "false", "c'est faux": "false", "totalement faux": "false",
    "plutot faux": "false", "infox": "false", "intox": "false", "montage": "false", "fake news": "false",
    "trompeur": "misleading", "trompeuse": "misleading", "partiellement faux": "misleading",
    "en partie faux": "misleading", "partiellement vrai": "misleading", "a nuancer": "misleading",
    "exagere": "misleading", "exageree": "misleading", "imprecis": "misleading", "hors contexte": "misleading",
    "sorti de son contexte": "misleading", "manque de contexte": "misleading", "contexte manquant": "misleading",
    "detourne": "misleading", "detournement": "misleading", "approximatif": "misleading",
    "pas de preuve": "unverifiable", "pas de preuves": "unverifiable", "sans preuve": "unverifiable",
    "aucune preuve": "unverifiable", "inverifiable": "unverifiable", "non prouve": "unverifiable",
    "non demontre": "unverifiable", "infonde": "unverifiable", "sans fondement": "unverifiable",
    "conteste": "disputed", "controverse": "disputed", "discute": "disputed", "debattu": "disputed",
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_SPACES = re.compile(r"[\s\-_\u00a0\u202f]+")
_EDGES = " .!?:;,\"'«»“”()[]"


def clean_label(label: str) -> str:
    """A label as published, tidied for display: HTML entities decoded, spaces collapsed."""
    text = html.unescape(html.unescape(str(label)))
    return " ".join(text.split())


def normalise(label: str) -> str:
    """The lookup key of a label: no entities, accents, case, hyphens or edge punctuation."""
    text = clean_label(label).translate(_APOSTROPHES)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text.casefold()).strip(_EDGES).strip()
    return text


@dataclass(frozen=True)
class VerdictMap:
    table: dict[str, str]
    initial: str

    def lookup(self, label: str | None) -> tuple[str, bool]:
        """(status, whether the label was recognised)."""
        if not label:
            return self.initial, False
        status = self.table.get(normalise(label))
        return (status, True) if status else (self.initial, False)


def verdict_map(config_raw: dict[str, Any], vocabulary: Vocabulary) -> VerdictMap:
    """The defaults (for the statuses the workspace has) plus ``[import.verdicts]``."""
    table = {k: v for k, v in DEFAULT_VERDICTS.items() if v in vocabulary.statuses}
    custom = (config_raw.get("import") or {}).get("verdicts") if isinstance(config_raw.get("import"), dict) else None
    if custom is not None:
        if not isinstance(custom, dict):
            raise InvalidInput("ledger.toml: [import.verdicts] must be a table of \"label\" = \"status\"")
        for label, status in custom.items():
            if not isinstance(status, str) or status.strip().lower() not in vocabulary.statuses:
                raise InvalidInput(f"ledger.toml: [import.verdicts] maps {label!r} to {status!r}, which is not a "
                                   f"status; statuses: {', '.join(vocabulary.statuses)}")
            key = normalise(label)
            if not key:
                raise InvalidInput(f"ledger.toml: [import.verdicts] has an empty label {label!r}")
            table[key] = status.strip().lower()
    return VerdictMap(table=table, initial=vocabulary.initial)
