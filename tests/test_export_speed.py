"""The fast paths write exactly what the plain ones would (their speed: benchmarks/bench_export_speed.py,
benchmarks/bench_bulk_insert.py)."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from sqlalchemy import text

from ledger.services.export.csv_export import _sql_text, neutralise
from ledger.services.export.json_ledger import _records, dumps, event_record
from ledger.services.export.query import EVENT, SECTIONS, keyset, row_dict, snapshot
from ledger.store.bulk import claim_import_payload
from ledger.store.events import canonical, row_put

TRICKY = ["=1+1", "+x", "-5 %", "@sum", "\t=x", "\r=y", "'=z", "''@w", "'plain", "'''", "", "a\x1bb\x00"[:3],
          "é\u2028\x7f\x9f\"\\/", "line\nbreak", "Corée du Nord", " '=x", "' =x", "\u3000=x", "\u00a0+1", "\n-2",
          "'\t=x", "x=1", "[=]", "]=", "*", "?x", "\uff1d1", "\uff0d"]


def test_csv_cells_are_neutralised_in_sql_as_in_python():
    conn = sqlite3.connect(":memory:")
    for value in TRICKY:
        assert conn.execute(f"SELECT {_sql_text(':v')}", {"v": value}).fetchone()[0] == neutralise(value), value
    assert conn.execute(f"SELECT {_sql_text('NULL')}").fetchone()[0] is None


@pytest.fixture
def odd_ledger(lg, article_files):
    """A ledger holding text with control characters, quotes and accents, an orphaned passage and
    an event payload stored in a non-canonical spelling."""
    article_id = lg.add_article(title='Titre "=cité" \x1b[31m é\u2028', file=article_files["fr"], outlet="L'\tÉcho")
    claim_id = lg.add_claim(article_id=article_id, quote="Le traité prévoit une assistance mutuelle",
                            text="=SUM(A1) \\ \"x\"\n", claimant="@someone")
    with lg.db.write() as conn:
        conn.execute(text("UPDATE appearance SET orphaned = TRUE WHERE claim_id = :c"), {"c": claim_id})
        conn.execute(text("UPDATE event SET payload = '{\"b\": 1, \"a\": 2}' WHERE id = 1"))
    return lg


def test_the_sqlite_json_lines_are_the_plain_encoders(odd_ledger):
    with snapshot(odd_ledger.db) as conn:
        for _name, table in SECTIONS:
            plain = [dumps(event_record(r) if table is EVENT else row_dict(table, r)) for r in keyset(conn, table)]
            assert list(_records(conn, table)) == plain, table.name
            if table is EVENT:
                assert '"payload_text":' in plain[0] and '"payload":{' in plain[-1]


def test_bulk_event_payload_template_is_the_canonical_dict():
    for i, value in enumerate(TRICKY):
        row = (7, value or "t", "attribution", value or None, "2024-06-18" if i % 2 else None, 1 + i % 3,
               "unverified", value or None, "2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:01.000000Z", "ana", 1,
               "2024-06" if i % 4 == 1 else None)
        apps = [(11 + k, 7, 3, value + "q", 10 * k, 10 * k + 5, value, "s" + value, bool(k), row[8]) for k in range(i % 3)]
        expected = {
            "text": row[1], "kind": row[2], "status": row[6],
            "appearances": [{"appearance_id": a[0], "article_id": a[2], "start": a[4], "end": a[5]} for a in apps],
            "rows": [row_put("claim", 7, dict(zip(("text", "kind", "claimant", "claim_date", "priority", "status",
                                                   "status_label", "created_at", "updated_at", "updated_by",
                                                   "version", "claim_date_edtf"), row[1:])))]
                    + [row_put("appearance", a[0], dict(zip(("claim_id", "article_id", "quote", "start", "end", "prefix",
                                                           "suffix", "orphaned", "created_at"), a[1:]))) for a in apps],
        }
        assert claim_import_payload(7, row, apps) == canonical(expected), value
        json.loads(claim_import_payload(7, row, apps))


def test_csv_export_through_sql_matches_the_python_cells(odd_ledger):
    from ledger.services.export.csv_export import write_csv
    from ledger.services.export.query import Scope

    out = io.StringIO()
    with snapshot(odd_ledger.db) as conn:  # the ledger's event 1 was respelled: no vouching here
        write_csv(conn, Scope(), out, vocabulary=odd_ledger.vocabulary)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("\ufeffarticle_id,")
    assert "'=SUM(A1)" in out.getvalue() and ",'@someone," in out.getvalue() and ",true," in out.getvalue()


PAYLOADS = ['{"a":1,"b":2}', '{"b":1,"a":2}', '{"a": 1}', '{"a":1.0}', '{"a":1e-05}', '{"a":0.00001}', '{"a":1e+16}',
            '{"a":10000000000000000.0}', '{"a":NaN}', '{"a":Infinity}', '{"a":123456789012345678901234567890}',
            '{"a":"\\ud800"}', '{"a":"\\u00e9"}', '{"a":"é\\u001b\\n\\t\\"\\\\/\x7f\u2028"}', '{"a":1,"a":2}', '[1]', '"x"',
            'not json', '{"a":{"c":[{"e":null,"d":true}]}}', '{"a":{"c":[{"d":true,"e":null}]}}', '{}', '{"a":-0}',
            '{"a":9223372036854775807}', '{"a":18446744073709551616}', '{"\\u00e9":1,"z":2}', '{"z":2,"é":1}']


def test_the_fast_canonical_check_decides_as_the_standard_encoder():
    from ledger.services.export.json_ledger import _is_canonical_object

    for text in PAYLOADS:
        try:
            obj = json.loads(text)
        except ValueError:
            obj = None
        assert _is_canonical_object(text) == (isinstance(obj, dict) and canonical(obj) == text), text
    assert _is_canonical_object('{"a":1e-05}') and not _is_canonical_object('{"a":0.00001}')  # floats as Python spells them


def test_bulk_event_payload_quick_path_and_its_refusals_are_the_canonical_dict():
    from datetime import date

    for claim_date, priority, orphaned, quote in ((date(2024, 6, 18), 3, True, "q\x00\u2028\"\\"),
                                                   (None, True, False, "q"), (None, 2, 1, "q"), (None, 2.5, False, "q"),
                                                   (None, 2, False, 5)):
        row = (7, "t", "assertion", None, claim_date, priority, "unverified", None, "2026-01-01T00:00:00.000000Z",
               "2026-01-01T00:00:00.000000Z", "ana", 1, None)
        apps = [(11, 7, 3, quote, 0, 5, "", "s", orphaned, row[8])]
        expected = {
            "text": "t", "kind": "assertion", "status": "unverified",
            "appearances": [{"appearance_id": 11, "article_id": 3, "start": 0, "end": 5}],
            "rows": [row_put("claim", 7, dict(zip(("text", "kind", "claimant", "claim_date", "priority", "status",
                                                   "status_label", "created_at", "updated_at", "updated_by",
                                                   "version", "claim_date_edtf"), row[1:]))),
                     row_put("appearance", 11, dict(zip(("claim_id", "article_id", "quote", "start", "end", "prefix",
                                                         "suffix", "orphaned", "created_at"), apps[0][1:])))],
        }
        assert claim_import_payload(7, row, apps) == canonical(expected), (claim_date, priority, orphaned, quote)
