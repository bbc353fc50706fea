"""Verification reports: the common citation styles ship with the ledger, each source gets one
bibliography entry formatted once, and info findings quote the sentence they mean."""

from __future__ import annotations

import io
import re

import pytest

from ledger.services.export.citations import COMMON_STYLES, canonical_style, plain, style_path
from tests.exchange_fixture import build, freeze_clock

ISSUE_STYLES = ["apa", "chicago-author-date", "modern-language-association", "ieee", "harvard-cite-them-right",
                "vancouver"]


@pytest.fixture
def fx(lg, tmp_path, monkeypatch):
    freeze_clock(monkeypatch)
    return lg, build(lg, tmp_path)


def _md(lg, article_id: int, style: str | None = None) -> str:
    out = io.StringIO(newline="")
    lg.export("md", out, article_id=article_id, style=style)
    return out.getvalue()


def _bibliography(report: str) -> list[str]:
    part = report.split("### Bibliography", 1)[1]
    return [line[2:] for line in part.splitlines() if line.startswith("- ")]


def _file_source_with_no_author(lg, tmp_path) -> int:
    """A claim citing an archived text file that has no author: the case that printed its title twice."""
    notes = tmp_path / "statement.txt"
    notes.write_text("Statement of the joint chiefs: the soldiers crossed the line twice.\n", encoding="utf-8")
    a = lg.add_article(title="Border", body="Soldiers crossed the line twice on Tuesday, officials said.\n")
    c = lg.add_claim(article_id=a, quote="Soldiers crossed the line twice")
    s = lg.add_source(title="Statement on the crossing of the line", file=notes, kind="official", published="2024-06-18")
    lg.cite(claim_id=c, source_id=s, stance="supports", excerpt="the soldiers crossed the line twice")
    return a


@pytest.mark.parametrize("style", ISSUE_STYLES)
def test_common_styles_render_one_entry_per_source_once(fx, tmp_path, style):
    lg, ids = fx
    a = _file_source_with_no_author(lg, tmp_path)
    report = _md(lg, a, style)
    assert f"citations in {canonical_style(style)} style" in report
    [entry] = _bibliography(report)
    assert len(re.findall(r"(?i)statement on the crossing of the line", entry)) == 1, entry
    assert "text/plain" not in entry.lower() and "sha-256" not in entry.lower(), entry
    assert ".txt" not in entry, entry  # the archived file's name is the archive's business
    whole = _md(lg, ids["fr"], style)
    assert len(_bibliography(whole)) == 2  # the two sources article 1 cites, once each


def test_short_names_are_the_same_styles(fx):
    lg, ids = fx
    assert _md(lg, ids["fr"], "mla") == _md(lg, ids["fr"], "modern-language-association")
    assert style_path("vancouver") == style_path("vancouver-nlm")
    assert {name for name, _ in COMMON_STYLES} >= {"apa", "chicago-author-date", "modern-language-association",
                                                    "ieee", "harvard-cite-them-right", "vancouver-nlm"}


def test_list_styles_needs_no_ledger(run, workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_DB", str(tmp_path / "none.db"))
    r = run("export --list-styles")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("harvard-cite-them-right (or harvard): ") and lines[0].endswith("the default")
    assert any(line.startswith("apa: APA") for line in lines)
    assert any(line.startswith("modern-language-association (or mla): MLA") for line in lines)
    assert any(line.startswith("vancouver-nlm (or vancouver): ") for line in lines)
    assert "styles of the CSL repository" in lines[-1]
    assert not (tmp_path / "none.db").exists()


def test_any_repository_style_and_unknown_names(fx, run):
    lg, ids = fx
    assert run(f"export {ids['fr']} --format md --style elsevier-harvard").code == 0
    r = run(f"export {ids['fr']} --format md --style ../../../etc/passwd")
    assert r.code == 1 and "unknown citation style" in r.err and "--list-styles" in r.err


def test_a_source_with_no_author_is_not_named_twice_in_its_citation(fx, tmp_path):
    lg, _ = fx
    a = _file_source_with_no_author(lg, tmp_path)
    report = _md(lg, a, "modern-language-association")
    line = next(x for x in report.splitlines() if x.startswith("1. *supports*"))
    assert len(re.findall(r"(?i)statement on the crossing of the line", plain(line))) == 1, line


def test_info_findings_quote_their_sentence(lg, tmp_path):
    a = lg.add_article(title="Port", body="The port opened in 1998. Ships came and went.\n")
    md = _md(lg, a)
    [line] = [x for x in md.splitlines() if "uncovered-sentence" in x]
    assert line.endswith("— “The port opened in 1998.”"), line
    out = io.StringIO()
    lg.export("html", out, article_id=a)
    assert "<q>The port opened in 1998.</q>" in out.getvalue()
