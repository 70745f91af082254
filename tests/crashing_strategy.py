"""A strategy that kills its worker process once (for the lost-worker test).

It behaves like ``static``, except that the first time any process reaches day 3 while the
marker file named by ``SOCIALSIM_TEST_CRASH_MARKER`` does not exist, it creates the marker
and ends its process at once (``os._exit``), as a worker lost to a crash or the OOM killer.
"""

from __future__ import annotations

import os

from socialsim.strategies import Strategy


class CrashOnce(Strategy):
    name = "test_crash_once"

    def plan(self, day, history):
        marker = os.environ.get("SOCIALSIM_TEST_CRASH_MARKER")
        if day == 3 and marker and not os.path.exists(marker):
            with open(marker, "w") as fh:
                fh.write(str(os.getpid()))
            os._exit(17)
        return self.base_plan()
