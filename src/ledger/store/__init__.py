"""Queries and writes. Every function takes an open connection first and keyword arguments after,
and returns plain read models (``ledger.models``), never live ORM objects."""

from ledger.store.articles import (add_article, article_body, count_articles, get_article, list_articles,
                                   status_counts)
from ledger.store.bulk import bulk_insert_articles, bulk_insert_claims
from ledger.store.claims import (ConflictError, add_claim, appearances_in_article, appearances_of_claim,
                                 count_claims, get_claim, get_claim_detail, link_claim, list_claims, set_status)
from ledger.store.events import append_event, append_events, claim_history, iter_events
from ledger.store.search import search
from ledger.store.sources import add_citation, add_source, citations_of_claim, get_source, list_sources

__all__ = [
    "ConflictError", "add_article", "add_citation", "add_claim", "add_source", "append_event", "append_events",
    "appearances_in_article", "appearances_of_claim", "article_body", "bulk_insert_articles",
    "bulk_insert_claims", "citations_of_claim", "claim_history", "count_articles", "count_claims",
    "get_article", "get_claim", "get_claim_detail", "get_source", "iter_events", "link_claim",
    "list_articles", "list_claims", "list_sources", "search", "set_status", "status_counts",
]
