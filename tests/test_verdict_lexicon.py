"""The verdict reader: labels in every language family land in the right status, and none is
ever read as its opposite."""

from __future__ import annotations

import pytest

from ledger.services.verdicts import lexicon, scale_status, verdict_reader
from ledger.text.labels import label_key
from ledger.vocabulary import DEFAULT_VOCABULARY, Vocabulary

READER = verdict_reader({}, DEFAULT_VOCABULARY)

FAMILIES = {
    "english and the well-known vocabularies": [
        ("False", "false"), ("Pants on Fire!", "false"), ("pants-fire", "false"), ("barely-true", "false"),
        ("half-true", "misleading"), ("mostly-true", "verified"), ("Mostly False", "false"),
        ("Mixture", "disputed"), ("Miscaptioned", "misleading"), ("Correct Attribution", "verified"),
        ("Labeled Satire", "unverified"), ("Four Pinocchios", "false"), ("SUPPORTS", "verified"),
        ("REFUTES", "false"), ("NOT ENOUGH INFO", "unverifiable"), ("Missing context", "misleading"),
        ("False context", "misleading"), ("Manipulated", "false"), ("No evidence", "unverifiable"),
        ("Altered photo", "false"), ("really_false", "false"), ("Needs context", "misleading"),
    ],
    "romance": [
        ("Faux", "false"), ("Trompeur", "misleading"), ("Falso", "false"), ("Engañoso", "misleading"),
        ("Verdad a medias", "misleading"), ("Inchequeable", "unverifiable"), ("Enganoso", "misleading"),
        ("Verdadeiro", "verified"), ("Não é bem assim", "misleading"), ("Fuorviante", "misleading"),
        ("C'eri quasi", "verified"), ("Parțial adevărat", "misleading"), ("Fals", "false"), ("Enganyós", "misleading"),
        ("C'est plus compliqué", "disputed"), ("Sans preuve", "unverifiable"),
    ],
    "germanic": [
        ("Falsch", "false"), ("Irreführend", "misleading"), ("Fehlender Kontext", "misleading"),
        ("Unbelegt", "unverifiable"), ("Stimmt nicht", "false"), ("Onwaar", "false"), ("Misleidend", "misleading"),
        ("Falskt", "false"), ("Vilseledande", "misleading"), ("Helt feil", "false"), ("Delvis sant", "misleading"),
        ("Usandt", "false"), ("Richtig", "verified"),
    ],
    "slavic and baltic": [
        ("Ложь", "false"), ("Фейк", "false"), ("Манипуляция", "misleading"), ("Неправда", "false"),
        ("Напівправда", "misleading"), ("Fałsz", "false"), ("Manipulacja", "misleading"),
        ("Nieweryfikowalne", "unverifiable"), ("Nepravda", "false"), ("Zavádějící", "misleading"),
        ("Poluistina", "misleading"), ("Netočno", "false"), ("Невярно", "false"), ("Melas", "false"),
    ],
    "other european and caucasian": [
        ("Ψευδές", "false"), ("Παραπλανητικό", "misleading"), ("Hamis", "false"), ("Félrevezető", "misleading"),
        ("Tarua", "false"), ("Harhaanjohtava", "misleading"), ("Yanlış", "false"), ("YANLIŞ", "false"),
        ("Yanıltıcı", "misleading"), ("Kanıtlanamadı", "unverifiable"), ("Doğru", "verified"), ("E rreme", "false"),
    ],
    "middle east": [
        ("زائف", "false"), ("مضلل", "misleading"), ("صحيح", "verified"), ("زائف جزئياً", "misleading"),
        ("نادرست", "false"), ("گمراه‌کننده", "misleading"), ("גמראה", "unverified"), ("לא נכון", "false"),
        ("מטעה", "misleading"),
    ],
    "south asia": [
        ("फ़र्ज़ी", "false"), ("फर्जी", "false"), ("भ्रामक", "misleading"), ("सही", "verified"), ("मिथ्या", "unverified"),
        ("মিথ্যা", "false"), ("বিভ্রান্তিকর", "misleading"), ("பொய்", "false"), ("جھوٹ", "false"),
        ("گمراہ کن", "misleading"), ("తప్పు", "false"),
    ],
    "southeast asia": [
        ("Hoaks", "false"), ("Salah", "false"), ("Menyesatkan", "misleading"), ("Tidak terbukti", "unverifiable"),
        ("Mali", "false"), ("Hindi totoo", "false"), ("Sai sự thật", "false"), ("Gây hiểu lầm", "misleading"),
        ("เท็จ", "false"), ("บิดเบือน", "misleading"), ("Palsu", "false"),
    ],
    "east asia": [
        ("错误", "false"), ("錯誤", "false"), ("谣言", "false"), ("誤導", "misleading"), ("部分错误", "misleading"),
        ("证据不足", "unverifiable"), ("誤り", "false"), ("ミスリード", "misleading"), ("根拠不明", "unverifiable"),
        ("사실 아님", "false"), ("대체로 사실", "verified"), ("절반의 사실", "misleading"), ("Ｆａｌｓｅ", "false"),
    ],
    "africa": [
        ("Si kweli", "false"), ("Uongo", "false"), ("Inapotosha", "misleading"), ("Karya", "false"),
        ("ሐሰት", "false"), ("Amanga", "false"),
    ],
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_each_language_family_lands_in_its_category(family: str) -> None:
    wrong = [(label, READER.read(label).status, want) for label, want in FAMILIES[family]
             if READER.read(label).status != want]
    assert not wrong, wrong


def test_the_lexicon_covers_the_fact_checking_world_without_contradicting_itself() -> None:
    lx = lexicon()
    assert lx.conflicts == []
    for lang in ("en", "fr", "es", "pt", "de", "it", "nl", "pl", "tr", "ru", "ar", "hi", "id", "zh_hans", "zh_hant",
                 "ja", "ko", "uk", "el", "cs", "ro", "hu", "sv", "no", "da", "fi", "tl", "vi", "th", "bn", "ur", "ta",
                 "sw", "fa", "he", "sh", "sr_mk_bg", "sk", "ca", "politifact", "snopes", "fever"):
        assert lang in lx.languages, lang
    assert len(lx.languages) >= 70 and len(lx.table) > 2000


@pytest.mark.parametrize("label", [
    "  FALSE.  ", "false!!", "❌ False", "FALSE ❌", "false_", "<b>False</b>",
    "&quot;False&quot;", "« Faux »", "FAUX.", "faux …", "False: the photo was taken in 2019",
    "False — the photo is older", "False. The quote is not his", "Verdict: False", "Rating: False",
    "Totally false", "FALSO: as imagens são de 2019", "Falso, la foto es de otro país", "错误：图片是旧的",
])
def test_normalisation_reads_what_surrounds_a_verdict_word(label: str) -> None:
    assert READER.read(label).status == "false", label


def test_normalisation_folds_case_accents_and_separators_but_not_meaningful_marks() -> None:
    assert label_key("Plutôt_VRAI") == label_key("plutot-vrai") == "plutot vrai"
    assert label_key("YANLIŞ") == label_key("yanlış") == "yanlis"
    assert label_key("सही") != label_key("सह")  # Devanagari vowel signs are letters, not accents
    assert label_key("ไม่จริง") != label_key("จริง")
    assert label_key("й") != label_key("и")


# A label, and the category it must never be read as (its opposite).
TRICKY = [
    ("not false", "fail"), ("Not False", "fail"), ("no es falso", "fail"), ("não é falso", "fail"),
    ("nicht falsch", "fail"), ("pas faux", "fail"), ("ce n'est pas faux", "fail"), ("non è falso", "fail"),
    ("niet onwaar", "fail"), ("nie jest fałszem", "fail"), ("не ложь", "fail"), ("不是错误", "fail"),
    ("並非錯誤", "fail"), ("Yanlış değil", "fail"), ("bukan hoaks", "fail"), ("ليس زائفا", "fail"),
    ("गलत नहीं", "fail"), ("not misleading", "fail"), ("not fake", "fail"), ("isn't false", "fail"),
    ("never false", "fail"), ("false? no", "fail"),
    ("not true", "pass"), ("no es cierto", "pass"), ("não é verdade", "pass"), ("stimmt nicht", "pass"),
    ("nicht wahr", "pass"), ("klopt niet", "pass"), ("ikke sant", "pass"), ("nie jest prawdą", "pass"),
    ("не правда", "pass"), ("неправда", "pass"), ("사실 아님", "pass"), ("大部分正确，但缺乏背景", "pass"),
    ("True, but misleading", "pass"), ("True but lacks context", "pass"), ("true but…", "pass"),
    ("Vrai, mais trompeur", "pass"), ("Verdadero, pero engañoso", "pass"), ("Richtig, aber irreführend", "pass"),
    ("Vero ma fuorviante", "pass"), ("Prawda, ale", "pass"), ("Doğru ama eksik", "pass"),
    ("Benar tapi menyesatkan", "pass"), ("صحيح لكن مضلل", "pass"), ("सच लेकिन भ्रामक", "pass"),
    ("正确，但是有误导", "pass"), ("Correct, however misleading", "pass"), ("Technically true", "pass"),
    ("Not the whole story", "pass"), ("Half true", "pass"), ("Half false", "pass"), ("Mostly false", "pass"),
    ("Not quite", "pass"), ("Unproven", "pass"), ("Unproven", "fail"), ("Satire", "pass"), ("Satire", "fail"),
    ("not proven false", "fail"), ("not proven true", "pass"), ("no evidence it is false", "fail"),
    ("false that it is true", "pass"),
]


@pytest.mark.parametrize("label,opposite", TRICKY)
def test_no_tricky_label_is_read_as_its_opposite(label: str, opposite: str) -> None:
    for scale in ({}, {"value": 5, "best": 5, "worst": 1}, {"value": 1, "best": 5, "worst": 1}):
        got = READER.read(label, **scale)
        assert DEFAULT_VOCABULARY.category(got.status) != opposite, (label, scale, got)


def test_a_sane_scale_decides_for_an_unknown_label_and_an_insane_one_does_not() -> None:
    assert READER.read("The photo was taken in 2019", value=1, best=5, worst=1).status == "false"
    assert READER.read("The photo was taken in 2019", value=1, best=5, worst=1).basis == "rating"
    assert READER.read(None, value=5, best=5, worst=1).status == "verified"
    assert READER.read(None, value="2", best="5", worst="1").status == "misleading"
    assert READER.read(None, value=3, best=5, worst=1).status == "disputed"
    assert READER.read(None, value=90, best=100, worst=0).status == "verified"
    for value, best, worst in ((1, None, None), (7, 5, 1), (1, 1, 0), ("x", 5, 1), (1, 1, 1), (True, 5, 1)):
        assert scale_status(value, best, worst) is None
        assert READER.read("Free text", value=value, best=best, worst=worst).basis is None
    # the label decides over the scale; an unsure label is not decided by the scale either
    assert READER.read("False", value=5, best=5, worst=1).status == "false"
    assert READER.read("not false", value=1, best=5, worst=1).status == "unverified"


def test_the_workspaces_map_wins_and_a_custom_vocabulary_gets_the_same_categories() -> None:
    custom = verdict_reader({"import": {"verdicts": {"Faux": "disputed", "Wobbly": "misleading"}}}, DEFAULT_VOCABULARY)
    assert (custom.read("FAUX").status, custom.read("FAUX").basis) == ("disputed", "map")
    assert custom.read("wobbly!").basis == "map"
    vocab = Vocabulary({"todo": "open", "ok": "pass", "wrong": "fail", "unclear": "unresolved"}, initial="todo")
    other = verdict_reader({}, vocab)
    assert [other.read(x).status for x in ("Vrai", "Faux", "Trompeur", "Contesté", "Satire", "???")] == [
        "ok", "wrong", "wrong", "unclear", "todo", "todo"]
