"""Named points where a test may kill the process (crash-safety tests, never production).

`DELIBERATE_CRASH_AT=<name>` makes `crash_point(name)` send SIGKILL to the running process,
so a test can prove that a kill at exactly that point leaves the database as it was.
"""

from __future__ import annotations

import os
import signal

ENV = "DELIBERATE_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
