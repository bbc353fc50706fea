"""``ledger key new PATH`` and ``ledger checkpoint --sign KEY``: anchors kept outside the ledger."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json


@click.group("key")
def key() -> None:
    """Desk keys (Ed25519) that sign checkpoints of the history."""


@key.command("new")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
def key_new(path: Path, as_json: bool) -> None:
    """Make a desk key: the private key at PATH (readable by you alone), the public key at PATH.pub.
    Keep both outside the ledger's folder; publish the public key."""
    from ledger.services.checkpoints import new_key

    pub, raw = new_key(path)
    if as_json:
        print_json({"private": str(path), "public": str(pub), "key": raw})
        return
    echo(f"Desk key written to {path} (mode 0600); public key {raw} in {pub}")


@click.command("checkpoint")
@click.option("--sign", "key_path", required=True, type=click.Path(path_type=Path),
              help="The desk's private key (from `ledger key new`).")
@click.option("--to", "to", type=click.Path(path_type=Path),
              help="The checkpoints file to append to (default: checkpoints.jsonl beside the ledger).")
@json_option
@pass_ledger
def checkpoint(ctx: LedgerContext, key_path: Path, to: Path | None, as_json: bool) -> None:
    """Sign the chain head with the desk key and append it to a checkpoints file kept (or published)
    outside the ledger; `ledger verify --checkpoints FILE` then holds the history to it."""
    from ledger.services.checkpoints import sign

    cp, target = sign(ctx.ledger, key_path, to=to)
    if as_json:
        print_json(dict(cp.record(), file=str(target)))
        return
    echo(f"Checkpoint signed: head {cp.head} after {cp.events} events, {cp.at}; appended to {target}")
