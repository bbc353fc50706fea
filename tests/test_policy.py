"""``ledger.toml``: the audit policy, and clear errors naming the line when it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from ledger.errors import InvalidInput
from ledger.services.config import load_config
from ledger.services.ledger import open_ledger
from ledger.services.policy import DEFAULT_POLICY, RULE_IDS, line_of, parse_span
from tests.desk import policy_from_toml


def test_defaults_follow_the_newsroom_rules():
    p = DEFAULT_POLICY
    assert len(RULE_IDS) == 11 and all(p.enabled(r) for r in RULE_IDS)
    assert [p.severity(r) for r in RULE_IDS] == ["block", "block", "warn", "block", "block", "block", "block",
                                                 "warn", "warn", "block", "info"]
    assert p.option("too-few-sources", "min_sources") == 2
    assert set(p.option("too-few-sources", "primary_kinds")) == {"official", "document"}
    assert "aurait" in p.option("vague-attribution", "phrases")["fr"]
    assert "reportedly" in p.option("vague-attribution", "phrases")["en"]
    assert p.option("stale-evidence", "source_accessed") == relativedelta(days=30)
    assert p.option("stale-evidence", "claim_verified") == relativedelta(days=90)


def test_a_full_policy_is_read():
    p = policy_from_toml("""
[audit]
strict = true

[audit.rules.uncovered-sentence]
enabled = false

[audit.rules.vague-attribution]
severity = "info"
phrases = { de = ["angeblich"] }

[audit.rules.stale-evidence]
source_accessed = "6 weeks"
claim_verified = "3 mois"

[anchoring]
fuzzy_threshold = 70
""")
    assert p.strict and p.severity("unresolved") == "block" and p.severity("vague-attribution") == "info"
    assert not p.enabled("uncovered-sentence")
    assert p.option("vague-attribution", "phrases") == {"de": ("angeblich",)}
    assert p.option("stale-evidence", "source_accessed") == relativedelta(weeks=6)
    assert p.option("stale-evidence", "claim_verified") == relativedelta(months=3)
    assert p.anchor_threshold == 70


@pytest.mark.parametrize("text,unit", [(30, relativedelta(days=30)), ("1 year", relativedelta(years=1)),
                                        ("2 semaines", relativedelta(weeks=2)), ("4 mois", relativedelta(months=4))])
def test_spans(text, unit):
    assert parse_span(text) == unit


@pytest.mark.parametrize("bad", ["soon", "-3 days", "3", True, -1, "3 fortnights"])
def test_bad_spans(bad):
    with pytest.raises(ValueError):
        parse_span(bad)


BAD_VALUES = [
    ('[audit]\nstrict = "yes"\n', 2, "must be true or false"),
    ('[audit.rules.open-claim]\nenabled = true\nseverity = "fatal"\n', 3, "block, warn, info"),
    ("[audit.rules.too-few-sources]\n\nmin_sources = 0\n", 3, "from 1 to 20"),
    ('[audit.rules.too-few-sources]\nprimary_kinds = ["rumour"]\n', 2, "source kinds"),
    ("[audit.rules.attribution-evidence]\nthreshold = 101\n", 2, "0 to 100"),
    ('[statuses]\nunverified = "open"\n\n[audit.rules.stale-evidence]\nsource_accessed = "later"\n', 5,
     "is not a span"),
    ("[audit.rules.no-such-rule]\nenabled = false\n", 1, "unknown rule"),
    ("[audit.rules.open-claim]\nthreshold = 3\n", 2, "unknown setting"),
    ("[audit]\nrules.open-claim.enabled = 1\n", 2, "true or false"),
    ("[audit.rules]\nopen-claim = { enabled = 2 }\n", 2, "true or false"),
    ("[anchoring]\nfuzzy_threshold = 900\n", 2, "0 to 100"),
    ('[audit.rules.vague-attribution.phrases]\nfr = [""]\n', 1, "non-empty"),
]


@pytest.mark.parametrize("toml,line,words", BAD_VALUES)
def test_bad_values_name_their_line(tmp_path: Path, toml: str, line: int, words: str):
    path = tmp_path / "ledger.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_config(path)
    assert f"line {line}:" in str(exc.value) and words in str(exc.value) and str(path) in str(exc.value)


def test_line_lookup_knows_tables_and_dotted_keys():
    text = "[audit]\nstrict = true\n[audit.rules.open-claim]\n# note\nenabled = false\n"
    assert line_of(text, ("audit", "strict")) == 2
    assert line_of(text, ("audit", "rules", "open-claim", "enabled")) == 5
    assert line_of(text, ("audit", "rules", "open-claim")) == 3


def test_cli_refuses_a_malformed_ledger_toml_naming_the_line(run, workspace: Path, ledger_db: str):
    open_ledger(ledger_db).close()  # an existing ledger: read commands do not create one
    (workspace / "ledger.toml").write_text("[audit]\nstrict = true\nthis is not toml\n", encoding="utf-8")
    r = run("article list")
    assert r.code == 1 and "line 3" in r.err and r.err.count("\n") == 1


def test_cli_refuses_a_bad_policy_value_naming_the_line(run, workspace: Path, ledger_db: str):
    open_ledger(ledger_db).close()
    (workspace / "ledger.toml").write_text("[audit.rules.unresolved]\n\nseverity = \"loud\"\n", encoding="utf-8")
    r = run("article list")
    assert r.code == 1 and "line 3" in r.err and "severity" in r.err


def test_cli_audit_follows_ledger_toml(run, workspace: Path, article_files):
    run(f"article add {article_files['en']} --title Pact --lang en")
    run(["claim", "add", "--article", "1", "--quote", "The two leaders signed a mutual defence pact"])
    assert run("audit 1").code == 1
    (workspace / "ledger.toml").write_text('[audit.rules.open-claim]\nseverity = "warn"\n', encoding="utf-8")
    r = run("audit 1 --json")
    assert r.code == 0 and r.json()["findings"][0]["severity"] == "warn"
