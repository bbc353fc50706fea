"""Verdict labels as fact-checkers publish them, reduced to a key that can be looked up.

``label_key("  FALSO: as imagens são de 2019. ")`` → ``"falso as imagens sao de 2019"``;
``verdict_heads`` gives the short forms worth trying when the whole key is not known ("falso").

What folds: HTML entities and tags, compatibility forms (full-width letters), case, accents on
Latin, Greek, Arabic and Hebrew letters (optional marks there), Devanagari nukta, Arabic-script
letter variants (alef forms, Persian/Arabic yeh and kaf, teh marbuta, tatweel), Cyrillic ё,
Turkish dotless ı, apostrophes (joined: "isn't" → "isnt"), every other punctuation mark,
symbol and emoji (a space), underscores and hyphens (a space), and runs of spaces.

What does not fold: vowel signs and other marks of Indic, Thai and other scripts, where
dropping them changes the word (Hindi सही is not सह), and Cyrillic й (not и).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_TAGS = re.compile(r"<[^<>]{0,200}>")
_APOSTROPHES = "'\u2019\u2018\u02bc\u02b9`\u00b4\u2032\uff07"
_FOLD_MARKS_OF = ("LATIN", "GREEK", "ARABIC", "HEBREW")
_LETTERS = str.maketrans({
    "ı": "i", "ё": "е", "ـ": "",  # Turkish dotless i, Cyrillic yo, Arabic tatweel
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ة": "ه", "ۃ": "ه", "ہ": "ه",
    "\u093c": "",  # Devanagari nukta: फ़र्ज़ी and फर्जी are one word
    "\u200c": " ",  # zero-width non-joiner: Persian compounds written joined or apart read alike
})
# Separators after which a fact-checker's explanation usually follows the verdict word
_HEAD_SPLIT = re.compile(r"\s*[:：|｜—–]\s*|\s+[-‐]\s+|[.!?。！？](?:\s+|$)|[,，、;；]\s*|\s*[(（\[]")


@lru_cache(maxsize=4096)
def _script_of(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return ""


def clean_label(label: object) -> str:
    """A label as published, tidied for display: HTML entities decoded, spaces collapsed."""
    text = label if label.__class__ is str else str(label)
    if "&" not in text and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already tidy (the usual case): whitespace other than lone spaces is never printable
    text = html.unescape(html.unescape(text))
    return " ".join(text.split())


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_LETTERS)
    out: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFD", text):
        cat = unicodedata.category(ch)
        if cat == "Mn":
            if _script_of(base) in _FOLD_MARKS_OF:
                continue
            out.append(ch)
            continue
        if ch in _APOSTROPHES:
            continue
        if cat[0] in "PSZC":
            out.append(" ")
            base = ""
            continue
        out.append(ch)
        base = ch
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


def label_key(label: object) -> str:
    """The lookup key of a label (see the module's doc for what folds)."""
    return _fold(_TAGS.sub(" ", clean_label(label)))


def verdict_heads(label: object) -> list[str]:
    """Keys of the leading segments of a label that goes on after its verdict word
    ("FALSO: …", "False. The photo…", "Misleading – the video…"), first segment first."""
    text = _TAGS.sub(" ", clean_label(label))
    parts = [p for p in _HEAD_SPLIT.split(text) if p and p.strip()]
    if len(parts) < 2:
        return []
    return [k for k in (_fold(p) for p in parts) if k]


def words(key: str) -> list[str]:
    return key.split()
