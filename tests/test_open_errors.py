"""Opening something that is not a ledger this version can use: one clear line, exit 1, and the
file or database exactly as it was (byte for byte on SQLite, row for row on PostgreSQL).
Migrations: the SQLite ledger is copied before its schema changes, and a migration that fails
half-way leaves the ledger as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import ledger.db
from ledger.cli import main
from ledger.errors import WorkspaceError
from ledger.services.ledger import open_ledger
from tests.conftest import BACKENDS, PG_URL, snapshot_tables


def cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def folder_state(folder: Path) -> dict[str, str]:
    """Every file of a folder with its SHA-256: proves nothing was written, not even a journal."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def assert_refused(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 1, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


# ---------------------------------------------------------------- SQLite files
def _non_ledger(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('a shopping list')")
    conn.commit()
    conn.close()


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(16384))


def _text_file(path: Path) -> None:
    path.write_text("This is a note, not a database.\n" * 50)


def _truncated_ledger(path: Path) -> None:
    lg = open_ledger(str(path), actor="tester")
    lg.add_article(title="A long article", body="Un texte assez long pour remplir des pages. " * 4000)
    lg.close()
    ledger.db.copy_sqlite(path, path.with_name("full.db"))  # folds the WAL into one file
    for extra in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    data = path.with_name("full.db").read_bytes()
    path.with_name("full.db").unlink()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("make, expected", [
    (_non_ledger, "not a Claim Ledger ledger"),
    (_random_bytes, "not a ledger"),
    (_text_file, "not a ledger"),
    (_truncated_ledger, "not a ledger"),
])
def test_bad_sqlite_file_is_refused_and_left_untouched(tmp_path, capsys, make, expected):
    folder = tmp_path / "w"
    folder.mkdir()
    path = folder / "ledger.db"
    make(path)
    before = folder_state(folder)
    for args in (["article", "list"], ["claim", "list", "--json"], ["search", "anything"]):
        code, out, err = cli(capsys, "--db", str(path), *args)
        assert_refused(code, out, err, expected, str(path))
        assert out == ""
    assert folder_state(folder) == before  # no journal mode switched, no -wal/-shm left behind


def test_folder_instead_of_file_is_refused(tmp_path, capsys):
    code, out, err = cli(capsys, "--db", str(tmp_path), "article", "list")
    assert_refused(code, out, err, "is a folder")


def test_missing_folder_is_refused(tmp_path, capsys):
    code, out, err = cli(capsys, "--db", str(tmp_path / "nope" / "ledger.db"), "demo")
    assert_refused(code, out, err, "does not exist")
    assert not (tmp_path / "nope").exists()


# ------------------------------------------------------------ both backends
@pytest.fixture(params=BACKENDS)
def bare_db(request, tmp_path) -> str:
    """A database with no schema at all (a file path, or a PostgreSQL URL)."""
    if request.param == "sqlite":
        return str(tmp_path / "bare.db")
    from tests.pg import fresh_database

    return fresh_database(PG_URL, request, migrated=False)


def _engine(db: str):
    if "://" in db:
        return create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
    return create_engine(f"sqlite:///{db}")


def _dump(db: str) -> dict[str, list[tuple]]:
    """Every table's rows, read with a plain engine (nothing of the ledger's opening code)."""
    from sqlalchemy import inspect

    engine = _engine(db)
    try:
        with engine.connect() as conn:
            names = sorted(n for n in inspect(conn).get_table_names() if not n.endswith(("_data", "_idx",
                                                                                           "_docsize", "_config")))
            return {n: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{n}"'))), key=repr) for n in names}
    finally:
        engine.dispose()


def test_non_ledger_database_is_refused(bare_db, capsys):
    engine = _engine(bare_db)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE payroll (id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(text("INSERT INTO payroll (id, name) VALUES (1, 'someone')"))
    engine.dispose()
    before = _dump(bare_db)
    code, out, err = cli(capsys, "--db", bare_db, "article", "list")
    assert_refused(code, out, err, "not a Claim Ledger ledger", "payroll")
    assert _dump(bare_db) == before
    assert "ledger:ledger@" not in err  # a server password never reaches a message


def test_ledger_from_newer_schema_is_refused(ledger_db, tmp_path, capsys):
    lg = open_ledger(ledger_db, actor="tester")
    lg.add_article(title="Kept", body="Un texte court.")
    lg.close()
    engine = _engine(ledger_db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f999_from_the_future'"))
    engine.dispose()
    before = _dump(ledger_db)
    files = folder_state(Path(ledger_db).parent) if "://" not in ledger_db else None
    code, out, err = cli(capsys, "--db", ledger_db, "article", "list")
    assert_refused(code, out, err, "newer Claim Ledger", "f999_from_the_future")
    assert _dump(ledger_db) == before
    if files is not None:
        assert folder_state(Path(ledger_db).parent) == files


def test_unreachable_server_is_one_clear_line(capsys):
    code, out, err = cli(capsys, "--db", "postgresql://someone:secret@127.0.0.1:1/ledger", "article", "list")
    assert_refused(code, out, err, "127.0.0.1:1")
    assert "secret" not in err


# ---------------------------------------------------------------- migrations
def test_sqlite_ledger_is_copied_before_a_migration(tmp_path):
    path = tmp_path / "ledger.db"
    lg = open_ledger(str(path), actor="tester")
    lg.add_article(title="Before the upgrade", body="Le texte d’avant la migration.")
    lg.close()
    conn = sqlite3.connect(path)
    from tests.conftest import as_schema_0001

    as_schema_0001(conn)  # as an older release left it
    conn.commit()
    conn.close()
    assert not list(tmp_path.glob("*.bak"))

    lg = open_ledger(str(path), actor="tester")
    assert lg.db.current_revision() == ledger.db.head_revision()
    assert [a.title for a in lg.list_articles()] == ["Before the upgrade"]
    lg.close()
    backups = list(tmp_path.glob("ledger.db.pre-0001-*.bak"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert copy.execute("SELECT title FROM article").fetchall() == [("Before the upgrade",)]
    copy.close()


def test_no_copy_when_nothing_to_migrate(tmp_path):
    path = tmp_path / "ledger.db"
    open_ledger(str(path)).close()
    open_ledger(str(path)).close()
    assert not list(tmp_path.glob("*.bak"))


def test_older_ledger_with_data_upgrades_and_searches(bare_db):
    """A ledger written at the first schema, with claims in it, upgraded on open: the rows stay,
    and search over the old rows folds accents (the second revision's point)."""
    from alembic import command

    engine = _engine(bare_db)
    with engine.begin() as conn:
        command.upgrade(ledger.db._alembic_config(conn), "0001")
        # rows as that schema holds them (today's code writes columns later revisions added)
        stamp = "2024-06-20T08:00:00.000000Z"
        body = "Des missiles nord-coréens ont frappé Kharkiv."
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        conn.execute(text("INSERT INTO article (id, title, body, content_hash, state, revision, created_at, "
                          "updated_at, version) VALUES (1, 'Visite d’État', :b, :h, 'draft', 1, :t, :t, 1)"),
                     {"b": body, "h": digest, "t": stamp})
        conn.execute(text("INSERT INTO claim (id, text, kind, priority, status, created_at, updated_at, updated_by, "
                          "version) VALUES (1, 'missiles nord-coréens ont frappé Kharkiv', 'assertion', 2, "
                          "'unverified', :t, :t, 'tester', 1)"), {"t": stamp})
        conn.execute(text("INSERT INTO appearance (id, claim_id, article_id, quote, start, \"end\", prefix, suffix, "
                          "orphaned, created_at) VALUES (1, 1, 1, 'missiles nord-coréens ont frappé Kharkiv', 4, 44, "
                          "'Des ', '.', false, :t)"), {"t": stamp})
    engine.dispose()

    lg = open_ledger(bare_db, actor="tester")
    assert lg.db.current_revision() == ledger.db.head_revision()
    assert {h.kind for h in lg.search("coreens")} == {"claim", "appearance"}
    assert {h.kind for h in lg.search("etat")} == {"article"}
    lg.close()


FAILING_REVISION = '''
"""A migration that fails half-way (test only)."""
import sqlalchemy as sa
from alembic import op

revision = "f000_fails_half_way"
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("claim", sa.Column("half_done", sa.Integer))
    op.execute("UPDATE claim SET priority = 3")
    raise RuntimeError("disk quota exceeded while rewriting claims")


def downgrade():
    pass
'''


def test_failed_migration_leaves_the_ledger_as_it_was(ledger_db, tmp_path, monkeypatch, capsys):
    lg = open_ledger(ledger_db, actor="tester")
    article_id = lg.add_article(title="Kept", body="Le traité prévoit une assistance mutuelle.")
    lg.add_claim(article_id=article_id, quote="Le traité prévoit une assistance mutuelle", priority=1)
    before = snapshot_tables(lg)
    lg.close()

    scripts = tmp_path / "migrations"
    shutil.copytree(ledger.db.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "f000_fails_half_way.py").write_text(
        textwrap.dedent(FAILING_REVISION.format(down=ledger.db.head_revision())))
    monkeypatch.setattr(ledger.db, "MIGRATIONS", str(scripts))

    code, out, err = cli(capsys, "--db", ledger_db, "claim", "list")
    assert_refused(code, out, err, "failed", "disk quota exceeded", "left as it was")
    with pytest.raises(WorkspaceError):
        open_ledger(ledger_db)

    monkeypatch.undo()
    lg = open_ledger(ledger_db, actor="tester")
    assert snapshot_tables(lg) == before
    with lg.db.read() as conn:
        from sqlalchemy import inspect

        insp = inspect(conn)
        assert "half_done" not in insp.get_table_names()
        assert "half_done" not in {c["name"] for c in insp.get_columns("claim")}
    lg.close()
    if "://" not in ledger_db:
        assert "pre-" + ledger.db.head_revision() in err  # the copy taken first is named in the message
