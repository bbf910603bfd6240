"""The side-by-side bench still works end to end. Not a timing test: it runs once at a tiny
size, and the figures it prints are not judged here (bench/README.md records real ones)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import REPO


@pytest.mark.skipif(not shutil.which("hugo") or not shutil.which("/usr/bin/time"), reason="needs hugo and GNU time")
def test_compare_builds_both_sides_and_prints_the_ratio(tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench/compare.py"), "--entries", "24", "--runs", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "| 24 |" in result.stdout and "ratio" in result.stdout
    (row,) = json.loads(out.read_text())
    assert row["entries"] == 24
    for side in ("townsite", "hugo+pagefind"):
        wall, cpu, peak = row[side]
        assert wall > 0 and cpu > 0 and peak > 10
    assert row["ratio"] == pytest.approx(row["townsite"][0] / row["hugo+pagefind"][0])
    assert len(row["warm"]) == 3 and len(row["after template change"]) == 3
