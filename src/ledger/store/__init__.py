"""Queries and writes. Every function takes an open connection first and keyword arguments after,
and returns plain read models (``ledger.models``), never live ORM objects.

The names below are loaded on first use (``store.get_claim`` imports ``store.claims`` then), so a
module of the package that needs no SQLAlchemy — ``store.claim_document``, read with plain
DB-API cursors — can be imported without the rest. ``store.search`` is the module of that name
(its function is ``store.search.search``).
"""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "ledger.store.articles": ("add_article", "article_body", "count_articles", "get_article", "list_articles",
                              "status_counts"),
    "ledger.store.bulk": ("bulk_insert_articles", "bulk_insert_claims"),
    "ledger.store.claims": ("ConflictError", "add_claim", "appearances_in_article", "appearances_of_claim",
                            "count_claims", "get_claim", "get_claim_detail", "link_claim", "list_claims",
                            "set_status"),
    "ledger.store.events": ("append_event", "append_events", "iter_events"),
    "ledger.store.sources": ("add_citation", "add_source", "get_source", "list_sources"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:  # a module of the package (``store.sources``), imported as the eager package did
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
