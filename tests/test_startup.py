"""Start-up stays cheap: a command imports only what it uses (the figures: benchmarks/bench_startup.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from ledger.cli import COMMANDS, cli, load_command
from ledger.schema_head import known_revisions, packaged_head

HEAVY = ("alembic", "textual", "citeproc", "rapidfuzz", "trafilatura", "httpx", "cryptography")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _modules_after(code: str, *argv: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after running ``code``."""
    probe = "import sys\n" + code + "\nimport json\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_importing_the_command_line_loads_no_heavy_library():
    loaded = _modules_after("import ledger.cli")
    assert not [m for m in HEAVY if m in loaded]
    assert "sqlalchemy" not in loaded and "ledger.models" not in loaded  # no database layer either


def test_version_and_help_load_no_database_layer():
    for flag in ("--version", "--help"):
        loaded = _modules_after("from ledger.cli import main\ntry:\n    main([sys.argv[1]])\n"
                                "except SystemExit:\n    pass", flag)
        assert "sqlalchemy" not in loaded and "sqlmodel" not in loaded, flag
        assert not [m for m in loaded if m.startswith("ledger.cli.")], flag  # no command module either


def test_claim_show_on_an_up_to_date_ledger_loads_no_alembic(tmp_path):
    db = str(tmp_path / "ledger.db")
    run = "from ledger.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    assert not e.code, e.code"
    _modules_after(run, "--db", db, "demo")  # creates and migrates the ledger
    loaded = _modules_after(run, "--db", db, "claim", "show", "1", "--json")
    assert not [m for m in HEAVY if m in loaded]
    assert "mako" not in loaded and "sqlalchemy.dialects.postgresql" not in loaded
    assert "ledger.services.audit" not in loaded and "ledger.services.export" not in loaded
    assert "ledger.cli.sources" not in loaded  # only the command's own module


def test_the_command_table_help_is_the_commands_own():
    for name, (target, summary) in COMMANDS.items():
        command = load_command(target)
        assert command.name == name, target
        assert summary == command.get_short_help_str(limit=1000), name


def test_help_lists_every_command_as_click_would():
    ctx = click.Context(cli, info_name="ledger")
    listed = cli.get_help(ctx)
    for name in COMMANDS:
        assert f"  {name} " in listed


def test_the_packaged_head_is_alembics():
    from alembic.script import ScriptDirectory

    from ledger.db import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config())
    assert packaged_head() == script.get_current_head()
    assert known_revisions() == {r.revision for r in script.walk_revisions()}


def test_a_ledger_behind_the_head_is_still_migrated(tmp_path):
    import sqlite3

    from ledger.db import Database
    from ledger.workspace import resolve_workspace

    path = tmp_path / "ledger.db"
    Database(resolve_workspace(str(path))).dispose()
    with sqlite3.connect(path) as conn:  # as if written before the last migration
        conn.execute("DROP TABLE source_fts")
        for trigger in ("source_fts_ai", "source_fts_ad", "source_fts_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("UPDATE alembic_version SET version_num = '0006_corrections'")
    db = Database(resolve_workspace(str(path)))
    assert db.current_revision() == packaged_head()
    db.dispose()
    names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "source_fts" in names


def _server_ledger(request) -> str:  # noqa: ANN001
    from tests.conftest import PG_URL

    if not PG_URL:
        pytest.skip("LEDGER_TEST_PG names no PostgreSQL server")
    from tests.pg import fresh_database

    return fresh_database(PG_URL, request)


def test_read_commands_on_an_up_to_date_server_ledger_load_no_database_layer(request, tmp_path):
    """On PostgreSQL too, ``claim show``, ``search``, ``match`` and the listing of ``suggest``
    read through a bare driver connection: no SQLAlchemy, no table models."""
    url = _server_ledger(request)
    run = ("import os\nos.chdir(sys.argv[1])\nfrom ledger.cli import main\ntry:\n    main(sys.argv[2:])\n"
           "except SystemExit as e:\n    assert not e.code, e.code")
    _modules_after(run, str(tmp_path), "--db", url, "demo")
    for argv in (["claim", "show", "1", "--json"], ["search", "munitions", "--json"],
                 ["match", "La Corée du Nord livre des munitions à la Russie", "--json"],
                 ["suggest", "1", "--json"]):
        loaded = _modules_after(run, str(tmp_path), "--db", url, *argv)
        assert "sqlalchemy" not in loaded and "ledger.models" not in loaded, argv
        assert "psycopg" in loaded, argv


def test_a_server_ledger_behind_the_head_is_opened_in_full_and_migrated(request, tmp_path):
    """A PostgreSQL ledger whose schema is older than the package's is not read plainly: the
    command opens it in full, which migrates it (here: back to the head it was already at)."""
    import psycopg

    from ledger.services.reading import open_reader

    url = _server_ledger(request)
    with psycopg.connect(url, autocommit=True) as conn:
        head = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert head == packaged_head()
    reader = open_reader(url)
    assert reader is not None
    reader.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0009_match_speed'")
    assert open_reader(url) is None
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-m", "ledger", "--db", url, "claim", "list", "--json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
