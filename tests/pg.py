"""A fresh PostgreSQL database per test, on the server named by LEDGER_TEST_PG."""

from __future__ import annotations

import uuid


def fresh_database(base_url: str, request) -> str:  # noqa: ANN001
    import psycopg

    name = "ledger_test_" + uuid.uuid4().hex[:12]
    admin = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    request.addfinalizer(drop)
    head, _, _ = admin.rpartition("/")
    return f"{head}/{name}"
