"""``ledger batch``: JSON Lines of commands in one process, each its own transaction (or one for all)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import snapshot_tables

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture
def claim(lg, article_files) -> int:
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    return lg.add_claim(article_id=article_id, quote="Le traité prévoit une assistance mutuelle")


def _batch(tmp_path: Path, run, lines: list, *options: str):  # noqa: ANN001, ANN202
    path = tmp_path / "commands.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    r = run(["batch", str(path), *options])
    return r, [json.loads(line) for line in r.out.splitlines()]


def test_each_command_gets_its_result_line_and_a_summary(tmp_path, run, lg, claim):
    r, results = _batch(tmp_path, run, [
        {"command": ["status", str(claim), "in_progress", "--note", "on it"], "id": "cms-1"},
        {"command": ["claim", "show", str(claim), "--json"]},
        {"command": ["claim", "add", "--article", "1", "--quote", "Kim Jong-un"]},
        "",
        {"command": ["status", str(claim), "nonsense", "--note", "x"]},
    ])
    assert r.code == 1  # one command failed
    *lines, summary = results
    assert [x["line"] for x in lines] == [1, 2, 3, 5]
    assert lines[0] == {"line": 1, "id": "cms-1", "ok": True, "exit": 0, "output": f"claim {claim}: in_progress"}
    assert lines[1]["output"]["status"] == "in_progress"  # the command's own JSON, as a value
    assert lines[2]["ok"] and isinstance(lines[2]["output"], int)  # a new id, as a number
    single = run(f"status {claim} nonsense --note x")
    assert lines[3] == {"line": 5, "ok": False, "exit": 1, "error": single.err.strip().removeprefix("error: ")}
    assert summary == {"summary": {"commands": 4, "ok": 3, "failed": 1}}
    assert lg.claim(claim).claim.status == "in_progress"  # the commands before and after the refusal stand


def test_bad_lines_are_refused_one_by_one(tmp_path, run, lg, claim):
    r, results = _batch(tmp_path, run, [
        "not json",
        {"cmd": ["status"]},
        {"command": "status 1 verified"},
        {"command": ["--db", "other.db", "claim", "list"]},
        {"command": ["batch", "more.jsonl"]},
        {"command": ["claim", "frobnicate"]},
        {"command": ["claim", "show", "999"]},
        {"command": ["claim", "list", "--json"]},
    ])
    errors = [x.get("error") for x in results[:-1]]
    assert [x["exit"] for x in results[:-1]] == [2, 2, 2, 2, 2, 2, 1, 0]
    assert "not a JSON object" in errors[0] and '"command"' in errors[1] and "list of strings" in errors[2]
    assert "global option" in errors[3] and "cannot run another batch" in errors[4]
    assert "frobnicate" in errors[5] and errors[6] == "no claim with id 999"
    assert results[-1]["summary"] == {"commands": 8, "ok": 1, "failed": 7}
    assert r.code == 1


def test_atomic_keeps_all_or_nothing(tmp_path, run, lg, claim):
    before = snapshot_tables(lg)
    r, results = _batch(tmp_path, run, [
        {"command": ["status", str(claim), "in_progress", "--note", "first"]},
        {"command": ["claim", "add", "--article", "1", "--quote", "Kim Jong-un"]},
        {"command": ["status", str(claim), "verified", "--note", "no citation yet"]},  # refused
        {"command": ["status", str(claim), "disputed", "--note", "never run"]},
    ], "--atomic")
    assert r.code == 1
    assert [x["ok"] for x in results[:-1]] == [True, True, False]  # stops at the first failure
    assert results[-1]["summary"] == {"commands": 3, "ok": 2, "failed": 1, "committed": False, "atomic": True}
    assert snapshot_tables(lg) == before  # nothing of it was kept

    r, results = _batch(tmp_path, run, [
        {"command": ["status", str(claim), "in_progress", "--note", "first"]},
        {"command": ["claim", "show", str(claim), "--json"]},  # reads see the batch's own writes
        {"command": ["status", str(claim), "disputed", "--note", "second"]},
    ], "--atomic")
    assert r.code == 0 and results[1]["output"]["status"] == "in_progress"
    assert results[-1]["summary"]["committed"] is True
    assert lg.claim(claim).claim.status == "disputed"
    assert lg.verify().ok  # the chain holds every event of the batch


def test_commands_come_from_standard_input(tmp_path, lg, claim, ledger_db):
    lines = "\n".join(json.dumps({"command": c}) for c in (
        ["status", str(claim), "in_progress", "--note", "from the CMS"], ["claim", "list", "--json"]))
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "LEDGER_USER": "cms"}
    done = subprocess.run([sys.executable, "-c", "from ledger.cli import main; main()", "--db", ledger_db,
                           "batch", "-"], input=lines + "\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert results[1]["output"][0]["status"] == "in_progress"
    assert results[-1] == {"summary": {"commands": 2, "ok": 2, "failed": 0}}
    assert lg.claim(claim).history[-1].actor == "cms"
