"""Who said it: a sentence that reports someone's words — a quotation with its speaker, a reporting
verb ("a déclaré", "said", "told"), "selon …", "according to …" — and the speaker it names.

Pure heuristics for French and English news prose, to prefill a claim's kind and claimant; the
checker corrects them when they guess wrong. Speakers named by a pronoun alone ("a-t-il dit",
"she said") are not names: no claimant is proposed for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FR_VERBS = ("déclaré|dit|affirmé|indiqué|assuré|expliqué|annoncé|souligné|précisé|estimé|ajouté|confirmé|"
             "reconnu|rappelé|martelé|insisté|averti|prévenu|déploré|promis|jugé|répondu|raconté|confié|"
             "lancé|assené|admis|nié|démenti|soutenu|avancé|fait savoir")
_EN_VERBS = ("said|says|told|stated|announced|added|explained|confirmed|claimed|insisted|warned|argued|noted|"
             "wrote|declared|asserted|acknowledged|admitted|denied|maintained|reported|estimated|tweeted|posted")
_PRONOUNS = frozenset("il elle ils elles on nous je tu vous he she they we i you it who qui".split())
# where a speaker's name stops: punctuation, quotes, or the words that start what follows it
_STOP = re.compile(r"[,.;:!?«»“”\"()\[\]—–]|\s(?:que|qu['’]|lors|devant|dans|pendant|depuis|mardi|lundi|mercredi|"
                   r"jeudi|vendredi|samedi|dimanche|hier|ce|cette|au|aux|à|en|sur|that|on|at|in|during|before|after|"
                   r"last|this|yesterday|today|to|when|while|about|of the meeting)(?=\s|$)", re.IGNORECASE)
_ACCORDING = re.compile(r"(?<!\w)(?:selon|d['’]après|according to|cité par|quoted by)\s+(?P<who>.+)", re.IGNORECASE)
_FR_AFTER = re.compile(rf"(?<!\w)a(?:-t-(?:il|elle|on))?\s+(?:{_FR_VERBS})\s+(?P<who>.+)", re.IGNORECASE)
_FR_BEFORE = re.compile(rf"(?P<who>[^,.;:!?«»“”\"]+?)\s+(?:a|ont)\s+(?:{_FR_VERBS})(?!\w)", re.IGNORECASE)
_EN_AFTER = re.compile(rf"[,”\"»]\s*(?:{_EN_VERBS})\s+(?P<who>.+)", re.IGNORECASE)
_EN_BEFORE = re.compile(rf"(?P<who>[^,.;:!?«»“”\"]+?)\s+(?:has\s+|had\s+)?(?:{_EN_VERBS})(?!\w)", re.IGNORECASE)
_INCISE = re.compile(rf"(?<!\w)a-t-(?:il|elle|on)\s+(?:{_FR_VERBS})(?!\w)", re.IGNORECASE)
_MAX_WORDS = 8
# who is not named: "sources", "officials" alone are a vague attribution, not a claimant
_UNNAMED = re.compile(r"^(?:des |les |some |the |other |several |plusieurs )?(?:sources?|officials?|experts?|analysts?|"
                      r"observers?|diplomats?|people|responsables?|observateurs?|analystes?|diplomates?|"
                      r"spécialistes?|témoins?|witnesses?)(?:\s+(?:in|at|from|close to|à|de|du|des|proches?)\b.*)?$",
                      re.IGNORECASE)


@dataclass(frozen=True)
class Attribution:
    """A sentence reporting someone's words: the cue that says so, and the speaker when named."""

    cue: str  # the reporting words found ("a déclaré", "selon", "said")
    claimant: str | None


def _name(text: str, *, before: bool) -> str | None:
    """The speaker's name in ``text``: up to a stop (after the verb) or from the last stop (before it)."""
    text = text.strip()
    if before:
        pieces = re.split(r"[,;:!?«»“”\"()\[\]—–]|\.\s", text)
        text = pieces[-1].strip()
        words = text.split()
        if len(words) > _MAX_WORDS:
            return None  # a whole clause, not a speaker
    else:
        m = _STOP.search(" " + text)
        text = (text[:max(0, m.start() - 1)] if m else text).strip()
        words = text.split()[:_MAX_WORDS]
        text = " ".join(words)
    if not text or text.lower() in _PRONOUNS or (len(words) == 1 and words[0].lower() in _PRONOUNS):
        return None
    if not any(ch.isalpha() for ch in text) or _UNNAMED.match(text):
        return None
    return text.rstrip(".")


def attribution(sentence: str) -> Attribution | None:
    """Whether ``sentence`` reports someone's words, and whose; None for a plain assertion."""
    for pattern, before in ((_ACCORDING, False), (_FR_AFTER, False), (_EN_AFTER, False),
                            (_FR_BEFORE, True), (_EN_BEFORE, True)):
        for m in pattern.finditer(sentence):
            who = _name(m.group("who"), before=before)
            cue = (sentence[m.start():m.start("who")] if not before else sentence[m.end("who"):m.end()]).strip(" ,”\"»")
            if who is not None:
                return Attribution(cue=cue, claimant=who)
    for pattern in (_INCISE, _ACCORDING, _FR_AFTER, _EN_AFTER, _FR_BEFORE, _EN_BEFORE):
        m = pattern.search(sentence)
        if m:
            cue = sentence[m.start():m.start("who")] if "who" in pattern.groupindex and pattern in (
                _ACCORDING, _FR_AFTER, _EN_AFTER) else sentence[m.start():m.end()]
            return Attribution(cue=cue.strip(" ,”\"»"), claimant=None)
    return None
