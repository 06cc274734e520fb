"""What every benchmark script shares: result lines from child processes, memory, units.

Each measured step runs in its own Python process (so its peak memory is its
own) and reports one ``BENCH-RESULT {json}`` line on stdout.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULT = "BENCH-RESULT "


def peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def emit(**figures: Any) -> None:
    """The child's one result line, with its own peak memory."""
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(RESULT + json.dumps(figures), flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def thousands(value: int) -> str:
    """1234567 -> "1.234.567", as the treasurer writes numbers."""
    return f"{value:,}".replace(",", ".")


def run_child(script: str, *args: str) -> dict[str, Any]:
    """Run ``script`` with ``args`` in a fresh process and return its result line."""
    proc = subprocess.run(
        [sys.executable, str(Path(script).resolve()), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT):
            result: dict[str, Any] = json.loads(line[len(RESULT) :])
            return result
    raise RuntimeError(f"{' '.join(args)} failed (exit {proc.returncode}):\n{proc.stderr}")
