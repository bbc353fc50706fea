"""The command palette (ctrl+p): every action of the screen in view, by name.

Actions are gathered from the key bindings active where the palette was opened — the screen's and
the app's — so anything that has a key is also reachable by name; screens can offer more (actions
without a key, such as exporting in a given format) through a ``palette_commands()`` method.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterable, NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider


class Command(NamedTuple):
    title: str
    help: str
    callback: Callable[[], Any]


def screen_commands(screen: Any) -> list[Command]:
    """The commands available on ``screen``: its bound actions and the app's, then its extras."""
    app = screen.app
    keys: dict[tuple[int, str], list[str]] = {}
    order: list[tuple[Any, Any]] = []
    for key, active in screen.active_bindings.items():
        node, binding = active.node, active.binding
        if not binding.description or not active.enabled:
            continue
        if node is not screen and node is not app:
            continue  # a widget's own keys (cursor movement, copy…) are not commands
        ident = (id(node), binding.action)
        if ident not in keys:
            keys[ident] = []
            order.append((node, binding))
        keys[ident].append(app.get_key_display(binding.with_key(key)))
    found = [Command(binding.tooltip or binding.description,
                     "key " + " / ".join(dict.fromkeys(keys[(id(node), binding.action)])),
                     partial(node.run_action, binding.action))
             for node, binding in order]
    extra: Callable[[], Iterable[Command]] | None = getattr(screen, "palette_commands", None)
    if extra is not None:
        found.extend(extra())
    return found


class LedgerCommands(Provider):
    """Every action of the current screen, searchable by name."""

    async def discover(self) -> Hits:
        for command in screen_commands(self.screen):
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in screen_commands(self.screen):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback, help=command.help)
