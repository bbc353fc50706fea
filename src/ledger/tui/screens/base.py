"""What every full screen of the app shares."""

from __future__ import annotations

from textual.screen import Screen


class LedgerScreen(Screen[None]):
    """A full screen of the app, reading and writing through the app's ledger."""

    @property
    def ledger(self):  # noqa: ANN201
        return self.app.ledger
