"""The packaged schema head, found without importing Alembic.

Opening a ledger compares the revision it records with the newest migration shipped in
``migrations/versions``. Alembic (and Mako, and SQLAlchemy's DDL machinery) would cost a
tenth of a second on every command, so the revision graph is read straight from the scripts'
``revision`` and ``down_revision`` lines; tests/test_startup.py checks it agrees with Alembic.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

VERSIONS = Path(__file__).with_name("migrations") / "versions"
_ASSIGN = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)


@lru_cache(maxsize=4)
def revision_graph(versions: Path = VERSIONS) -> dict[str, tuple[str, ...]]:
    """Each revision id of the migration scripts in ``versions`` with the revisions it follows."""
    graph: dict[str, tuple[str, ...]] = {}
    for script in sorted(Path(versions).glob("*.py")):
        found = dict(_ASSIGN.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        down = ast.literal_eval(found.get("down_revision", "None"))
        downs = () if down is None else (down,) if isinstance(down, str) else tuple(down)
        graph[ast.literal_eval(found["revision"])] = downs
    return graph


def known_revisions(versions: Path = VERSIONS) -> frozenset[str]:
    return frozenset(revision_graph(versions))


def packaged_head(versions: Path = VERSIONS) -> str | None:
    """The one revision no other follows (None when the scripts have several heads: the caller
    then lets Alembic decide)."""
    graph = revision_graph(versions)
    followed = {d for downs in graph.values() for d in downs}
    heads = [r for r in graph if r not in followed]
    return heads[0] if len(heads) == 1 else None
