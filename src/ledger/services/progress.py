"""Progress reporting for long imports and exports, without tying the services to a terminal.

A service asks its ``Progress`` for a task and calls the returned function with how many items it
just finished. The command line passes a Rich progress bar when stderr is a terminal; everything
else (pipes, tests, the TUI until it wires its own) gets ``NO_PROGRESS``, which does nothing.
"""

from __future__ import annotations

from typing import Callable, Protocol

Advance = Callable[[int], None]


class Progress(Protocol):
    def task(self, description: str, total: int | None) -> Advance: ...


class _Silent:
    def task(self, description: str, total: int | None) -> Advance:
        return lambda n: None


NO_PROGRESS: Progress = _Silent()
