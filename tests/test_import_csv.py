"""CSV import: a sheet of claims into articles already in the ledger, the export read back."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import snapshot_tables
from tests.exchange_fixture import build, freeze_clock


@pytest.fixture
def fx(lg, tmp_path, monkeypatch):
    freeze_clock(monkeypatch)
    return lg, build(lg, tmp_path)


def test_exported_sheet_comes_back_as_new_claims(fx, run, tmp_path) -> None:
    lg, ids = fx
    sheet = tmp_path / "claims.csv"
    assert run(f"export --all --format csv -o {sheet}").code == 0
    claims_before = len(snapshot_tables(lg)["claim"])
    again = run(f"import {sheet} --format csv")  # the same passages of the same claims: nothing twice
    assert again.code == 0 and "imported nothing" in again.out and "8 already in the ledger" in again.out
    # the sheet's own keys instead of this ledger's claim ids: the rows come back as new claims
    text = sheet.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        row["claim_id"] = f"sheet-{row['claim_id']}"
    _sheet(sheet, rows)
    r = run(f"import {sheet} --format csv")
    assert r.code == 0, r.err
    assert "imported 6 claims, 8 appearances" in r.out
    assert "2 claim(s) had a passing or failing status" in r.out
    new = {c["text"]: c for c in run("claim list --json --after 6").json()}
    assert len(new) == 6 and claims_before == 6
    arrival = run(f"claim show {new['Putin arrived in Pyongyang on the night of 18 June 2024.']['id']} --json").json()
    assert [a["article_id"] for a in arrival["appearances"]] == [1, 2]  # the sheet's two rows, one claim
    assert arrival["status"] == "unverified" and arrival["claim_date"] == "2024-06-18"
    assert new["North Korean shells are used in Ukraine."]["status"] == "disputed"
    formula = new["=SUM(A1:A9) was cited by the council"]  # the protective apostrophe is gone again
    assert formula["claimant"] == "+council" and formula["kind"] == "attribution"


def _sheet(path, rows: list[dict[str, str]], bom: bool = True):  # noqa: ANN202
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(("\ufeff" if bom else "") + buf.getvalue(), encoding="utf-8", newline="")
    return path


def test_bad_rows_reported_with_their_line(fx, run, tmp_path) -> None:
    lg, ids = fx
    rows = [
        {"Article_ID": "1", "Quote": "Les deux pays ont signé", "Status": "verified", "Claim_ID": "a"},
        {"Article_ID": "99", "Quote": "anything", "Status": "", "Claim_ID": ""},
        {"Article_ID": "2", "Quote": "not in the article", "Status": "", "Claim_ID": ""},
        {"Article_ID": "2", "Quote": "Russia's president", "Status": "Trompeur", "Claim_ID": "b"},
        {"Article_ID": "1", "Quote": "Les deux pays ont signé", "Status": "", "Claim_ID": "a"},
        {"Article_ID": "2", "Quote": "The leaders signed", "Status": "", "Claim_ID": "a"},
    ]
    r = run(f"import {_sheet(tmp_path / 's.csv', rows)} --format csv")
    assert r.code == 3
    assert "refused line 3: no article with id 99 in this ledger" in r.err
    line4 = next(x for x in r.err.splitlines() if x.startswith("refused line 4:"))
    assert "not in the article" in line4 and "does not occur in article 2" in line4
    assert "refused line 6: claim a is already anchored at that passage of article 1" in r.err
    listed = {c["text"]: c for c in run("claim list --json --after 6").json()}
    assert set(listed) == {"Les deux pays ont signé", "Russia's president"}
    a = run(f"claim show {listed['Les deux pays ont signé']['id']} --json").json()
    assert [(x["article_id"], x["quote"]) for x in a["appearances"]] == [(1, "Les deux pays ont signé"),
                                                                       (2, "The leaders signed")]
    assert listed["Russia's president"]["status"] == "unverified"  # misleading needs a refuting source


def test_header_without_required_columns(fx, run, tmp_path) -> None:
    lg, _ = fx
    before = snapshot_tables(lg)
    r = run(f"import {_sheet(tmp_path / 's.csv', [{'title': 'x'}], bom=False)} --format csv")
    assert r.code == 1 and "needs a 'quote' column" in r.err
    (tmp_path / "bin.csv").write_bytes(b"quote,article_id\n\x00\x01")
    assert run(f"import {tmp_path / 'bin.csv'} --format csv").code == 1
    assert snapshot_tables(lg) == before


def test_rows_across_batches_join_their_claim(fx, tmp_path, monkeypatch) -> None:
    """A claim's later passages find it even after its first row was written in an earlier batch."""
    import ledger.services.importing.csv_import as csv_import

    lg, _ = fx
    monkeypatch.setattr(csv_import, "CHUNK", 1)
    rows = [{"article_id": "1", "quote": "Les deux pays ont signé", "claim_id": "k"},
            {"article_id": "2", "quote": "The leaders signed", "claim_id": "k"},
            {"article_id": "3", "quote": "A line with an escape", "claim_id": "k"}]
    report = lg.import_file(_sheet(tmp_path / "s.csv", rows), fmt="csv")
    assert report.imported == {"claims": 1, "appearances": 3} and report.bad_total == 0
    detail = lg.claim(7)
    assert [a.article_id for a in detail.appearances] == [1, 2, 3]
    assert [e.action for e in detail.history] == ["claim.import", "appearance.add", "appearance.add"]
