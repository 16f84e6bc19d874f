"""A progress bar on stderr for long CLI work (the sweep, verification, digests).

Drawn only on a terminal: scripts and cron read stdout and get no carriage-return noise on stderr.
"""

from __future__ import annotations

import sys
from typing import TextIO

BAR_WIDTH = 30


class ProgressBar:
    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream or sys.stderr
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.stream.isatty() or total <= 0:
            return
        filled = BAR_WIDTH * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,} of {total:,} {self.what}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
