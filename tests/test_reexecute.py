"""`make execute` twice in a row leaves `git diff` empty.

Each committed notebook is executed again, the way `make execute` does it
(nbconvert, then scripts/clean_notebooks.py), into a temporary folder, and the
result must equal the committed file byte for byte. A difference means some
output changes from run to run (a random id, a timestamp, an unseeded draw) and
would turn every re-execution into a diff nobody can review.
Slow (a kernel per notebook): `make test` runs it, `make check` skips it.
"""

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_execute_again_gives_the_committed_notebook(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy2(path, copy)
    env = dict(os.environ, PYTHONHASHSEED="0", MPLBACKEND="Agg")
    # The kernel runs in the temporary folder: outputs must not depend on where the notebook sits either.
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--inplace",
                    "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=python3", str(copy)],
                   cwd=tmp_path, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "clean_notebooks.py"), str(copy)],
                   check=True, capture_output=True)
    before, after = path.read_text(encoding="utf-8"), copy.read_text(encoding="utf-8")
    if before != after:
        diff = "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                            str(path.name), "re-executed", n=1))
        pytest.fail(f"re-executing {path.name} changes it ({len(diff.splitlines())} diff lines):\n{diff[:3000]}")
