"""Shared fixtures: a real ledger on a temporary workspace, and the real CLI run in-process.

``ledger_db`` is parametrised over the backends: SQLite always; PostgreSQL when
``LEDGER_TEST_PG`` holds a server URL (``.ci/run`` starts one on loopback and sets it), each test
getting a fresh database of its own.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from ledger.cli import main
from ledger.services.ledger import Ledger, open_ledger

# Property tests judge behaviour, not speed: a loaded CI machine must not fail them on time.
settings.register_profile("ledger", deadline=None)
settings.load_profile("ledger")

PG_URL = os.environ.get("LEDGER_TEST_PG")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=BACKENDS)
def ledger_db(request, tmp_path: Path) -> str:
    """The --db value of a fresh, empty ledger (a file path, or a PostgreSQL URL)."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    from tests.pg import fresh_database

    return fresh_database(PG_URL, request)


@pytest.fixture
def workspace(tmp_path: Path, ledger_db: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace folder that is the current directory, with LEDGER_DB pointing at its ledger."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEDGER_DB", ledger_db)
    monkeypatch.setenv("LEDGER_HOME", str(tmp_path))
    monkeypatch.setenv("LEDGER_USER", "tester")
    return tmp_path


@pytest.fixture
def lg(workspace: Path, ledger_db: str):
    ledger = open_ledger(ledger_db, actor="tester")
    yield ledger
    ledger.close()


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        import json

        return json.loads(self.out)


@pytest.fixture
def run(workspace: Path, capsys: pytest.CaptureFixture):
    """Run the real ``ledger`` command line in-process: ``run("claim show 1 --json")``."""

    def _run(args: str | list[str]) -> Result:
        argv = shlex.split(args) if isinstance(args, str) else list(args)
        capsys.readouterr()
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


ARTICLE_FR = (
    "Le président russe a entamé ce 18 juin une visite de deux jours à Pyongyang, où Kim Jong-un "
    "l’a reçu en « meilleur ami ». Selon Washington, les premiers missiles nord-coréens ont frappé "
    "Kharkiv dès janvier. La Corée du Nord aurait fourni des munitions à la Russie, selon certaines "
    "sources occidentales.\n\nLe traité prévoit une assistance mutuelle en cas d’agression. "
    "Le traité prévoit aussi une coopération technique.\n"
)

ARTICLE_EN = (
    "Pyongyang has shipped artillery shells and missiles to Moscow for its war in Ukraine, US officials say. "
    "The two leaders signed a mutual defence pact on Wednesday. “We are now allies,” Kim Jong Un said.\n"
)


@pytest.fixture
def article_files(tmp_path: Path) -> dict[str, Path]:
    fr = tmp_path / "visite.txt"
    fr.write_text(ARTICLE_FR, encoding="utf-8")
    en = tmp_path / "pact.txt"
    en.write_text(ARTICLE_EN, encoding="utf-8")
    evidence = tmp_path / "briefing.txt"
    evidence.write_text("Transcript. The first North Korean ballistic missiles hit Kharkiv in January, "
                        "the spokesman said.\nShipments of shells continued through the spring.\n", encoding="utf-8")
    return {"fr": fr, "en": en, "evidence": evidence}


def snapshot_tables(ledger: Ledger) -> dict[str, list[tuple]]:
    """Every row of every ledger table, to prove a refused command changed nothing. Columns in
    the models' order on every backend (PostgreSQL's generated ``search`` vectors left out)."""
    from sqlalchemy import inspect, select, table as sql_table, column

    tables = ["article", "article_revision", "claim", "appearance", "source", "citation", "capture", "review",
              "match_rejection", "row_baseline", "event", "ledger_meta"]
    from sqlmodel import SQLModel

    import importlib

    importlib.import_module("ledger.models")  # the tables' metadata

    with ledger.db.read() as conn:
        present = set(inspect(conn).get_table_names())
        out = {}
        for t in tables:
            if t not in present:
                continue
            names = [c.name for c in SQLModel.metadata.tables[t].columns]
            q = select(*[column(n) for n in names]).select_from(sql_table(t)).order_by(column(names[0]))
            out[t] = [tuple(r) for r in conn.execute(q)]
        return out


def as_schema_0001(conn) -> None:  # noqa: ANN001 - a sqlite3 connection
    """Make a SQLite ledger look as the 0001 release left it: its version, without what later
    migrations added (the review table and the look-up indexes)."""
    conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.execute("DROP TABLE IF EXISTS review")
    for index in ("ix_article_url", "ix_source_url", "ix_claim_status_label"):
        conn.execute(f"DROP INDEX IF EXISTS {index}")


@pytest.fixture(autouse=True)
def user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The terminal UI's settings and logs in a folder of the test's own, never the user's."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    return home
