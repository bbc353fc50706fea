"""What every full screen of the app shares."""

from __future__ import annotations

from textual.screen import Screen

from ledger.tui.guard import Guarded


class LedgerScreen(Guarded, Screen[None]):
    """A full screen of the app, reading and writing through the app's ledger."""

    @property
    def ledger(self):  # noqa: ANN201
        return self.app.ledger
