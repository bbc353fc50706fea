"""Key scripts (``*.keys``): a flow of the terminal UI written once, replayed by a Pilot test and,
as typed, in a real terminal under tmux.

One token a line: a key as ``tmux send-keys`` names it (``c``, ``Enter``, ``Down``, ``C-s``,
``Escape``, ``Space``), ``text:`` followed by text typed as is (placeholders in braces filled in
from the values given), ``wait SECONDS``, or a ``#`` comment.

Run in tmux (a real terminal, keys sent as a person types them)::

    PYTHONPATH=src python -m tests.flows.replay tests/flows/verify_a_claim.keys

(``FLOW_WAIT_SCALE=3`` makes every ``wait`` three times longer, for a heavily loaded machine.)

It builds a ledger in a temporary folder, opens the article with ``ledger open ID`` in a 120×40
tmux window, sends the keys, then checks that the claim ended verified on the new source.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FLOWS = Path(__file__).parent

_TMUX_NAMES = {"Enter": "enter", "Escape": "escape", "Space": "space", "Tab": "tab", "BTab": "shift+tab",
               "BSpace": "backspace", "Up": "up", "Down": "down", "Left": "left", "Right": "right",
               "Home": "home", "End": "end", "PageUp": "pageup", "PageDown": "pagedown", "DC": "delete"}


@dataclass(frozen=True)
class Step:
    kind: str  # "key" | "text" | "wait"
    value: str  # the tmux key name, the text typed, the seconds


def parse(script: str, values: dict[str, str] | None = None) -> list[Step]:
    steps = []
    for n, raw in enumerate(script.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if raw.lstrip().startswith("text:"):
            text = raw.lstrip()[len("text:"):]
            steps.append(Step("text", text.format(**values) if values is not None else text))
        elif line.startswith("wait "):
            float(line.split()[1])
            steps.append(Step("wait", line.split()[1]))
        elif " " in line:
            raise ValueError(f"line {n}: one key a line, got {line!r}")
        else:
            steps.append(Step("key", line))
    return steps


def key_count(steps: list[Step]) -> int:
    """The keys pressed other than typed text."""
    return sum(1 for s in steps if s.kind == "key")


def textual_key(name: str) -> str:
    """A tmux key name as Textual (Pilot) spells it: ``C-s`` → ``ctrl+s``, ``Enter`` → ``enter``."""
    if name in _TMUX_NAMES:
        return _TMUX_NAMES[name]
    m = re.fullmatch(r"((?:[CMS]-)+)(.+)", name)
    if m and len(name) > 2:
        mods = {"C": "ctrl", "M": "alt", "S": "shift"}
        prefix = "+".join(mods[p] for p in m.group(1).split("-") if p)
        return f"{prefix}+{textual_key(m.group(2)).lower()}"
    return name


async def replay_in_pilot(pilot: Any, steps: list[Step], settle: Any) -> None:
    """Press the keys in the app under ``pilot``; ``wait`` lets the workers finish (``settle``)."""
    for step in steps:
        if step.kind == "wait":
            await settle(pilot.app, pilot)
        elif step.kind == "text":
            await pilot.press(*[ch if ch != " " else "space" for ch in step.value])
        else:
            await pilot.press(textual_key(step.value))
        await pilot.pause()


# ------------------------------------------------------------------ the flow's own ledger
ARTICLE = ("The port authority said on Tuesday that 40 cargo ships docked at the northern quay in March. "
           "The city council met to discuss the budget.\n\nA second paragraph follows with no figure.\n")
EVIDENCE = ("Minutes of the port authority, 2 April\n\n"
            "The meeting opened at nine.\n\n"
            "The harbour master reported that 40 cargo ships docked at the northern quay in March. "
            "Traffic rose again in April.\n")
EXCERPT = "The harbour master reported that 40 cargo ships docked at the northern quay in March."
VALUES = {"excerpt_words": "40 cargo ships docked", "note": "confirmed by the port authority's minutes"}


def prepare(lg: Any, folder: Path) -> tuple[int, dict[str, str]]:
    """The article to verify (its first sentence is the claim) and the source file to cite."""
    article_id = lg.add_article(title="Harbour traffic", body=ARTICLE, lang="en")
    source = folder / "port-minutes.txt"
    source.write_text(EVIDENCE, encoding="utf-8")
    return article_id, {**VALUES, "source_path": str(source)}


def check(lg: Any, article_id: int) -> str:
    """What the flow left in the ledger; the empty string when it is right."""
    claims = lg.list_claims(article_id=article_id)
    if len(claims) != 1:
        return f"expected one claim, found {len(claims)}"
    detail = lg.claim(claims[0].id)
    first = ARTICLE.split(". ")[0] + "."
    if detail.claim.text != first:
        return f"claim text {detail.claim.text!r}"
    if detail.claim.status != "verified":
        return f"status {detail.claim.status!r}"
    if [(c.stance, c.excerpt) for c in detail.citations] != [("supports", EXCERPT)]:
        return f"citations {[(c.stance, c.excerpt, c.locator) for c in detail.citations]!r}"
    if lg.source(detail.citations[0].source_id).file_name is None:
        return "the source was not archived"
    return ""


def still(screen: Any, quiet: float = 2.0, limit: float = 60.0) -> str:
    """The screen once it has not changed for ``quiet`` seconds (at most ``limit``): the app has
    gone through every key typed, as a person waits to see the result before leaving."""
    import time

    started = last_change = time.monotonic()
    shown = screen()
    while time.monotonic() - last_change < quiet and time.monotonic() - started < limit:
        time.sleep(0.25)
        now = screen()
        if now != shown:
            shown, last_change = now, time.monotonic()
    return shown


def play_in_tmux(script: Path, folder: Path) -> tuple[str, str, int]:
    """Type ``script`` into ``ledger open ID`` running in a real terminal (tmux, a server of its
    own): what the flow left wrong in the ledger ("" when right), the last screen, the keys pressed."""
    import os
    import shlex
    import subprocess
    import time

    from ledger.services.ledger import open_ledger

    scale = float(os.environ.get("FLOW_WAIT_SCALE", "1"))  # a loaded machine: longer waits
    lg = open_ledger(str(folder / "ledger.db"), actor="checker")
    article_id, values = prepare(lg, folder)
    lg.close()
    steps = parse(script.read_text(encoding="utf-8"), values)
    tmux = ["tmux", "-L", f"ledger-flow-{os.getpid()}"]  # never the user's own tmux server
    given = {k: os.environ[k] for k in ("XDG_CONFIG_HOME", "XDG_STATE_HOME") if k in os.environ}
    if os.environ.get("PYTHONPATH"):  # the ledger runs in another folder: the same code, by absolute path
        given["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in os.environ["PYTHONPATH"].split(os.pathsep))
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in given.items())
    command = f"cd {shlex.quote(str(folder))} && {env} LEDGER_ACTOR=checker " \
              f"{shlex.quote(sys.executable)} -m ledger open {article_id}; echo EXIT=$?; sleep 30"
    subprocess.run([*tmux, "new", "-d", "-s", "flow", "-x", "120", "-y", "40", command], check=True)

    def screen() -> str:
        return subprocess.run([*tmux, "capture-pane", "-t", "flow", "-p"], capture_output=True, text=True).stdout

    try:
        started = time.monotonic()  # the script starts from the open reader: wait for it to show
        while "claim(s)" not in screen() and time.monotonic() - started < 60:
            time.sleep(0.5)
        trace = os.environ.get("FLOW_TRACE")  # a file: the screen after every step, to see where a run went wrong
        for step in steps:
            if trace:
                with open(trace, "a", encoding="utf-8") as out:
                    out.write(f"\n===== before {step.kind} {step.value!r} at {time.monotonic() - started:.1f} s\n{screen()}")
            if step.kind == "wait":
                time.sleep(float(step.value) * scale)
            elif step.kind == "text":
                subprocess.run([*tmux, "send-keys", "-t", "flow", "-l", step.value], check=True)
            else:
                subprocess.run([*tmux, "send-keys", "-t", "flow", step.value], check=True)
        shown = still(screen)  # the keys typed may still be going through on a busy machine
    finally:
        subprocess.run([*tmux, "send-keys", "-t", "flow", "C-q"])
        time.sleep(1)
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    lg = open_ledger(str(folder / "ledger.db"), actor="checker")
    try:
        return check(lg, article_id), shown, key_count(steps)
    finally:
        lg.close()


def replay_in_tmux(script: Path) -> int:  # pragma: no cover - run by hand, in a real terminal
    import tempfile

    problem, shown, keys = play_in_tmux(script, Path(tempfile.mkdtemp(prefix="ledger-flow-")))
    print(shown)
    print(f"{keys} keys besides typed text; "
          + ("the claim is verified on the new source" if not problem else f"FAILED: {problem}"))
    return 1 if problem else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(replay_in_tmux(Path(sys.argv[1] if len(sys.argv) > 1 else FLOWS / "verify_a_claim.keys")))
