"""A fresh PostgreSQL database per test, on the server named by LEDGER_TEST_PG.

Each test's database is cloned (``CREATE DATABASE … TEMPLATE``) from a template that the
migrations were applied to once; the template's name carries a digest of the migration files, so
a changed migration builds a new one. Tests that need a bare database (no schema at all) ask for
``migrated=False``.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

_LOCK = 0x1ED6E4  # advisory lock key: one builder of the template at a time, across test workers


def admin_url(base_url: str) -> str:
    return base_url.replace("postgresql+psycopg://", "postgresql://")


def database_url(base_url: str, name: str) -> str:
    head, _, _ = admin_url(base_url).rpartition("/")
    return f"{head}/{name}"


def _migrations_digest() -> str:
    import ledger.db

    digest = hashlib.sha256()
    for path in sorted(Path(ledger.db.MIGRATIONS, "versions").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _template(admin: str) -> str:
    import psycopg

    from ledger.db import Database
    from ledger.workspace import resolve_workspace

    name = "ledger_tmpl_" + _migrations_digest()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK,))
        try:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return name
            building = name + "_build"
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{building}"')
            db = Database(resolve_workspace(database_url(admin, building)))
            db.dispose()
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            return name
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK,))


def fresh_database(base_url: str, request, *, migrated: bool = True) -> str:  # noqa: ANN001
    """URL of a new database dropped when the test ends: an empty ledger at the current schema,
    or (``migrated=False``) a bare database."""
    import psycopg

    admin = admin_url(base_url)
    template = _template(admin) if migrated else None
    name = "ledger_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin, autocommit=True) as conn:
        clause = f' TEMPLATE "{template}"' if template else ""
        if template and conn.info.server_version >= 150000:
            clause += " STRATEGY FILE_COPY"  # a checkpoint and a file copy: faster than WAL for small ones
        conn.execute(f'CREATE DATABASE "{name}"{clause}')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except psycopg.errors.InsufficientPrivilege:
                # a session the role may not end (a server worker): it leaves on its own shortly
                for _ in range(50):
                    try:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                        return
                    except psycopg.errors.ObjectInUse:
                        time.sleep(0.1)

    request.addfinalizer(drop)
    return database_url(admin, name)
