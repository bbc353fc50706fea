"""The verdict map importers use: ``services.verdicts`` (the multilingual lexicon and the
workspace's ``[import.verdicts]`` in ``ledger.toml``), under the names importers know it by."""

from __future__ import annotations

from ledger.services.verdicts import VerdictReader, clean_label, label_key, verdict_reader

VerdictMap = VerdictReader
verdict_map = verdict_reader
normalise = label_key

__all__ = ["VerdictMap", "clean_label", "normalise", "verdict_map"]
