"""Changing ``ledger.toml`` from a command without losing what people wrote in it.

``set_verdict_mapping`` adds (or replaces) one ``"label" = "status"`` line in the
``[import.verdicts]`` table: every other line — comments, other tables, their order — stays as
it was. The new text is checked (it must parse and give the mapping) before it replaces the file,
atomically (a temporary file beside it, then a rename), so a crash leaves the old file or the new
one, never half of either.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from pathlib import Path

from ledger.errors import InvalidInput
from ledger.text.labels import label_key

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY_HEADER = re.compile(r"^\s*\[\[")
_KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _header_path(text: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", text))


def _key_of(line: str) -> str | None:
    m = _KEY.match(line)
    if not m:
        return None
    raw = m.group(1)
    if raw.startswith('"'):
        try:
            return json.loads(raw)
        except ValueError:
            return raw.strip('"')
    return raw.strip("'")


def with_verdict_mapping(text: str, label: str, status: str) -> str:
    """``text`` with ``"label" = "status"`` in its ``[import.verdicts]`` table."""
    key = label_key(label)
    line = f"{json.dumps(label, ensure_ascii=False)} = {json.dumps(status)}"
    lines = text.splitlines()
    start = end = None
    for i, ln in enumerate(lines):
        h = _HEADER.match(ln)
        if h and not _ARRAY_HEADER.match(ln):
            if start is not None and end is None:
                end = i
            if _header_path(h.group(1)) == ("import", "verdicts"):
                start = i
        elif _ARRAY_HEADER.match(ln) and start is not None and end is None:
            end = i
    if start is None:
        out = text.rstrip("\n")
        return (out + "\n\n" if out else "") + "[import.verdicts]\n" + line + "\n"
    end = len(lines) if end is None else end
    for i in range(start + 1, end):
        k = _key_of(lines[i])
        if k is not None and label_key(k) == key:
            lines[i] = line
            return "\n".join(lines) + "\n"
    last = start
    for i in range(start + 1, end):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            last = i
    lines.insert(last + 1, line)
    return "\n".join(lines) + "\n"


def set_verdict_mapping(path: Path, label: str, status: str) -> None:
    from ledger.services.verdicts import custom_map
    from ledger.services.config import load_config

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    new = with_verdict_mapping(text, label, status)
    try:
        raw = tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: the mapping could not be added to this file ({exc}); add "
                           f"{json.dumps(label, ensure_ascii=False)} = \"{status}\" under [import.verdicts] by hand") \
            from None
    config = load_config(path) if path.exists() else None
    vocabulary = config.vocabulary if config is not None else None
    if vocabulary is not None and custom_map(raw, vocabulary).get(label_key(label)) != status:
        raise InvalidInput(f"{path} sets [import.verdicts] in a form this command cannot edit; add "
                           f"{json.dumps(label, ensure_ascii=False)} = \"{status}\" to it by hand")
    write_atomically(path, new)


def write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=".ledger-toml-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fp:
            fp.write(text)
            fp.flush()
            os.fsync(fp.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
