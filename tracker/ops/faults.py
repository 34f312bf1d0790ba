"""Fault-injection points for the crash tests.

``point("import.before_commit")`` does nothing unless the environment names
that point in TRACKER_FAULT_PAUSE; then it reports on stderr and sleeps, so a
test can kill the process at exactly that moment and check that nothing was
half-saved. Never set in normal use.
"""

from __future__ import annotations

import os
import sys
import time


def point(name: str) -> None:
    if os.environ.get("TRACKER_FAULT_PAUSE") != name:
        return
    sys.stderr.write(f"fault point {name} reached\n")
    sys.stderr.flush()
    time.sleep(float(os.environ.get("TRACKER_FAULT_SECONDS", "60")))
