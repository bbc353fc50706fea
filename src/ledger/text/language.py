"""Language tags: any BCP 47 tag checked and normalised with langcodes, detected with py3langid
when a text comes without one.

    check_tag("pt-br")   -> "pt-BR"
    check_tag("xx-!!")   -> InvalidInput
    detect("Le sommet s'est tenu à Pyongyang …") -> "fr"
    primary("pt-BR")     -> "pt"   (what phrase lists and month names are keyed by)
"""

from __future__ import annotations

from ledger.errors import InvalidInput

MIN_DETECT_CHARS = 40  # below this a guess is noise: no language rather than a wrong one
_MIN_CONFIDENCE = 0.5


def check_tag(tag: str | None, *, field: str = "language") -> str | None:
    """``tag`` as a valid, normalised BCP 47 tag (``pt-br`` -> ``pt-BR``), None when empty;
    refuses anything langcodes does not recognise as a language tag."""
    if tag is None or not str(tag).strip():
        return None
    import langcodes

    text = str(tag).strip()
    try:
        valid = langcodes.tag_is_valid(text)
        normal = langcodes.standardize_tag(text) if valid else None
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        valid, normal = False, None
    if not valid or not normal or normal == "und":
        raise InvalidInput(f"{field} {text!r} is not a BCP 47 language tag (try fr, en, es, pt-BR, de)")
    return normal


def valid_or_none(tag: str | None) -> str | None:
    """``tag`` normalised when it is a valid BCP 47 tag, else None (for tags read from files)."""
    try:
        return check_tag(tag)
    except InvalidInput:
        return None


def primary(tag: str | None) -> str | None:
    """The primary language subtag, lower case: ``pt-BR`` -> ``pt``."""
    if not tag:
        return None
    return tag.split("-")[0].lower() or None


def detect(text: str) -> str | None:
    """The language of ``text`` (an ISO 639-1 tag), or None when it is too short to tell or the
    guess is unsure."""
    sample = " ".join(text.split())[:5000]
    if len(sample) < MIN_DETECT_CHARS:
        return None
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    lang, confidence = _IDENTIFIER.classify(sample)
    return str(lang) if confidence >= _MIN_CONFIDENCE else None


_IDENTIFIER = None
