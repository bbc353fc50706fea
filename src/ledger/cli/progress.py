"""A Rich progress bar on stderr for long imports and exports — only when stderr is a terminal,
so pipes, scripts and logs get nothing but the command's own output."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from ledger.services.progress import NO_PROGRESS, Advance, Progress


class _RichProgress:
    def __init__(self, bar):  # noqa: ANN001 - rich.progress.Progress
        self.bar = bar

    def task(self, description: str, total: int | None) -> Advance:
        task_id = self.bar.add_task(description, total=total)
        return lambda n: self.bar.advance(task_id, n)


@contextmanager
def terminal_progress() -> Iterator[Progress]:
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield NO_PROGRESS
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, SpinnerColumn, TextColumn,
                               TimeElapsedColumn)

    with Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
             TimeElapsedColumn(), console=console, transient=True) as bar:
        yield _RichProgress(bar)
