"""Fault points for the fault-injection tests (tests/test_faults.py): with TOWNSITE_FAULT=NAME in
its environment, a build kills itself (SIGKILL: no cleanup of any kind runs) when it reaches the
point called NAME, e.g. a stage ("render", "write") or a step of the swap ("swap:exchanged").
Without the variable a point costs one comparison."""

from __future__ import annotations

import os
import signal

_TARGET = os.environ.get("TOWNSITE_FAULT") or None


def point(name: str) -> None:
    if _TARGET is not None and name == _TARGET:
        os.kill(os.getpid(), signal.SIGKILL)
