"""Start-up stays cheap: the command line imports none of the libraries that read pages,
documents and captures until a command needs them."""

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("trafilatura", "httpx", "warcio", "docx", "pypdf", "langcodes", "py3langid", "markdown_it", "lxml",
         "htmldate")


def test_importing_the_command_line_loads_no_page_or_document_library():
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    code = ("import sys, ledger.cli; assert ledger.__file__.startswith(sys.argv[1]), ledger.__file__; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, src], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
