"""Errors the domain raises. The CLI turns them into one line on stderr and exit code 1."""


class LedgerError(Exception):
    """A refusal: bad input or a rule that forbids the change. Nothing was written."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message  # what any interface shows
        self.hint = hint  # the command line that would help, shown by the CLI after the message

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class NotFound(LedgerError):
    """An id that names nothing in the ledger."""


class InvalidInput(LedgerError):
    """A value that cannot be accepted: an unparseable date, an unknown status, a quote not in the text."""


class WorkspaceError(LedgerError):
    """The ledger cannot be opened: corrupt file, not a ledger, newer schema."""
