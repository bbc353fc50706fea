"""Anchors outside the ledger: desk keys and signed checkpoints of the chain head.

A history rebuilt from scratch — every event re-hashed consistently — passes every check made
from inside the ledger. What catches it is something kept elsewhere: ``ledger checkpoint --sign
KEY`` signs the chain head (with the event count and the time) with the desk's Ed25519 key and
appends it as one JSON line to ``checkpoints.jsonl`` beside the ledger (or another file the desk
publishes or mails). ``ledger verify --checkpoints FILE`` then requires the history to pass
through every signed head, at the position it was signed, and every signature to verify — the
way Certificate Transparency logs are held to their signed tree heads.

A checkpoint line::

    {"head": "<64 hex>", "events": 1234, "at": "2026-12-01T09:00:00.000000Z",
     "key": "<public key, 64 hex>", "signature": "<128 hex>"}

The signature covers the canonical JSON of ``{"at", "events", "head"}``. The checkpoint is also
recorded as a ``ledger.checkpoint`` event (reports print the latest).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from ledger.errors import InvalidInput
from ledger.models import Event
from ledger.services.integrity import VerifyReport
from ledger.store.events import append_event, canonical, chain_head, now

if TYPE_CHECKING:
    from ledger.services.ledger import Ledger

ACTION = "ledger.checkpoint"
FILE_NAME = "checkpoints.jsonl"
EVENT = Event.__table__


@dataclass(frozen=True)
class Checkpoint:
    head: str
    events: int
    at: str
    key: str
    signature: str
    line: int = 0

    def signed_text(self) -> bytes:
        return canonical({"at": self.at, "events": self.events, "head": self.head}).encode("utf-8")

    def record(self) -> dict[str, Any]:
        return {"head": self.head, "events": self.events, "at": self.at, "key": self.key,
                "signature": self.signature}

    def where(self, path: Path) -> str:
        return f"checkpoint {path.name}:{self.line} (head {self.head[:16]}…, {self.events} events, {self.at})"


def new_key(path: Path) -> tuple[Path, str]:
    """Write a new Ed25519 private key to ``path`` (mode 0600, PEM) and its public key to
    ``path.pub``; returns (public key path, public key hex)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = Path(path).expanduser()
    pub = path.with_name(path.name + ".pub")
    for p in (path, pub):
        if p.exists() or p.is_symlink():
            raise InvalidInput(f"{str(p)!r} already exists; a key is never overwritten")
    if not path.parent.is_dir():
        raise InvalidInput(f"folder {str(path.parent)!r} does not exist")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    pub.write_text(raw + "\n", encoding="ascii")
    return pub, raw


def _private_key(path: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(Path(path).expanduser().read_bytes(), password=None)
    except OSError as exc:
        raise InvalidInput(f"cannot read the key {str(path)!r}: {exc.strerror or exc}") from None
    except (ValueError, TypeError):
        raise InvalidInput(f"{str(path)!r} is not a desk key (an unencrypted Ed25519 PEM key, as "
                           "`ledger key new` writes)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(f"{str(path)!r} is not an Ed25519 key")
    return key


def read_public_key(path: Path) -> str:
    """The public key (64 hex digits) in ``path`` (a ``.pub`` file as ``ledger key new`` writes)."""
    try:
        raw = Path(path).expanduser().read_text(encoding="ascii").strip().lower()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the public key {str(path)!r}: {exc}") from None
    if len(raw) != 64 or any(c not in "0123456789abcdef" for c in raw):
        raise InvalidInput(f"{str(path)!r} is not a desk public key (64 hexadecimal characters)")
    return raw


def default_file(ledger: Ledger) -> Path:
    ws = ledger.workspace
    return (ws.sqlite_path.parent if ws.sqlite_path is not None else ws.root) / FILE_NAME


def sign(ledger: Ledger, key_path: Path, *, to: Path | None = None) -> tuple[Checkpoint, Path]:
    """Sign the current chain head, append the checkpoint to ``to`` (default: beside the ledger)
    and record it as an event."""
    from cryptography.hazmat.primitives import serialization

    key = _private_key(key_path)
    target = Path(to).expanduser() if to is not None else default_file(ledger)
    if target.exists() and not target.is_file():
        raise InvalidInput(f"{str(target)!r} is not a regular file")
    if not target.parent.is_dir():
        raise InvalidInput(f"folder {str(target.parent)!r} does not exist")
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    with ledger.db.write() as conn:
        head = chain_head(conn)
        events = conn.execute(select(func.count()).select_from(EVENT)).scalar_one()
        at = now()
        cp = Checkpoint(head=head, events=events, at=at, key=public, signature="")
        cp = Checkpoint(head=head, events=events, at=at, key=public, signature=key.sign(cp.signed_text()).hex())
        append_event(conn, actor=ledger.actor, action=ACTION, entity="ledger", at=at,
                     payload={"head": head, "events": events, "key": public, "signature": cp.signature,
                              "file": target.name})
        with target.open("a", encoding="utf-8") as out:  # written before the event commits
            out.write(json.dumps(cp.record(), sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())
    return cp, target


def load(path: Path) -> list[Checkpoint]:
    """Every checkpoint in ``path``; a malformed line is refused, naming it."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InvalidInput(f"checkpoints file {str(path)!r} does not exist or is not a file")
    out: list[Checkpoint] = []
    with path.open(encoding="utf-8") as fp:
        for n, raw in enumerate(fp, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
                cp = Checkpoint(head=str(rec["head"]), events=int(rec["events"]), at=str(rec["at"]),
                                key=str(rec["key"]), signature=str(rec["signature"]), line=n)
            except (ValueError, KeyError, TypeError):
                raise InvalidInput(f"{path.name} line {n} is not a checkpoint") from None
            out.append(cp)
    return out


def signature_problem(cp: Checkpoint, path: Path, *, key: str | None) -> str | None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if key is not None and cp.key.lower() != key:
        return f"{cp.where(path)} is signed by another key ({cp.key[:16]}…) than the desk key given"
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(cp.key)).verify(bytes.fromhex(cp.signature),
                                                                          cp.signed_text())
    except (ValueError, InvalidSignature):
        return f"{cp.where(path)}: the signature does not verify (the checkpoint was forged or edited)"
    return None


def verify_against(ledger: Ledger, path: Path, *, key_path: Path | None = None) -> VerifyReport:
    """The full verify, with the history also held to every checkpoint in ``path`` (signed by the
    desk key at ``key_path`` when given, else by the key each checkpoint names)."""
    key = read_public_key(key_path) if key_path is not None else None
    cps = load(path)
    heads = {cp.events: "" for cp in cps if cp.events > 0}
    report = ledger.verify(heads=heads)
    problem = problems(cps, Path(path), heads, key=key, events=report.events)
    return replace(report, checkpoints=len(cps), checkpoint_problem=problem)


def problems(cps: list[Checkpoint], path: Path, heads: dict[int, str], *, key: str | None,
             events: int) -> str | None:
    """The first checkpoint the history fails (signature, or head not passed through), or None."""
    for cp in cps:
        bad = signature_problem(cp, path, key=key)
        if bad is not None:
            return bad
        if cp.events > events:
            return (f"{cp.where(path)}: the history holds only {events} events, so it no longer reaches the "
                    "signed head (events were removed)")
        found = heads.get(cp.events) if cp.events else "0" * 64
        if found != cp.head:
            return (f"{cp.where(path)}: the history no longer passes through the signed head (event {cp.events} "
                    f"now hashes to {(found or '?')[:16]}…): it was rewritten since")
    return None


def latest(conn: Connection) -> dict[str, Any] | None:
    """The latest checkpoint recorded in the ledger (head, events, at, key), or None."""
    row = conn.execute(select(EVENT.c.at, EVENT.c.payload).where(EVENT.c.action == ACTION)
                       .order_by(EVENT.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    try:
        payload = json.loads(row.payload)
    except ValueError:
        return None
    return {"head": payload.get("head"), "events": payload.get("events"), "at": row.at, "key": payload.get("key")}
