"""Claim Ledger: a fact-tracking and citation ledger for newsrooms."""

__version__ = "0.1.0"
