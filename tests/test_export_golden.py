"""Every export format pinned by a golden file, built from the deterministic fixture ledger.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_export_golden.py``
and review the diff of ``tests/golden/``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.exchange_fixture import build, freeze_clock

GOLDEN = Path(__file__).with_name("golden")
CASES = [
    ("md", "article", "report-article1.md"),
    ("html", "article", "report-article3.html"),
    ("md", "all", "report-all.md"),
    ("html", "all", "report-all.html"),
    ("json", "all", "ledger.json"),
    ("json", "article", "article1.json"),
    ("csv", "all", "appearances.csv"),
    ("claimreview", "all", "claimreview.jsonld"),
    ("csl", "all", "sources.csl.json"),
]


@pytest.fixture
def fixture_ledger(lg, tmp_path, monkeypatch):
    freeze_clock(monkeypatch)
    ids = build(lg, tmp_path)
    return lg, ids


def render(lg, fmt: str, scope: str, ids: dict[str, int]) -> str:
    out = io.StringIO(newline="")
    article_id = None
    if scope == "article":
        article_id = ids["tricky"] if fmt == "html" else ids["fr"]
    lg.export(fmt, out, article_id=article_id)
    text = out.getvalue()
    # the schema revision in the JSON header moves with every migration; it is not this test's concern
    import re

    return re.sub(r'"schema":"[^"]*"', '"schema":"<schema>"', text)


@pytest.mark.parametrize("fmt,scope,name", CASES, ids=[c[2] for c in CASES])
def test_golden(fixture_ledger, fmt: str, scope: str, name: str) -> None:
    lg, ids = fixture_ledger
    text = render(lg, fmt, scope, ids)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {name}: run with UPDATE_GOLDEN=1 to create it"
    assert text.encode("utf-8") == path.read_bytes(), f"{name} differs from its golden file"


def test_same_ledger_same_bytes(fixture_ledger) -> None:
    lg, ids = fixture_ledger
    for fmt in ("md", "html", "json", "csv", "claimreview", "csl"):
        assert render(lg, fmt, "all", ids) == render(lg, fmt, "all", ids)
