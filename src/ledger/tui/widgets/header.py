"""The app's header, safe to retitle while its screen is being closed."""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.events import Mount
from textual.dom import NoScreen
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class LedgerHeader(Header):
    """Textual's header, except that a title change arriving after the screen began closing (its
    title already removed) is dropped instead of raising ``NoMatches``."""

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # instead of Header's own watchers, not besides them

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):
                pass

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
