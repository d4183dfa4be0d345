"""A dependency-free progress bar for management commands."""

import time


class ProgressBar:
    """Redraws one line on a terminal; elsewhere (logs, CI) prints a line every 10%."""

    def __init__(self, stream, total, label, width=30):
        self.stream = stream
        self.total = max(total, 0)
        self.label = label
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self.interactive = getattr(getattr(stream, "_out", stream), "isatty", lambda: False)()
        self._last_decile = -1

    def advance(self, amount=1):
        self.done += amount
        self._draw()

    def _draw(self, final=False):
        fraction = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(fraction * self.width)
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        line = (f"{self.label:<22} [{'#' * filled}{'.' * (self.width - filled)}] "
                f"{fraction:6.1%} {self.done}/{self.total} ({rate:,.0f}/s)")
        if self.interactive:
            self.stream.write("\r" + line, ending="\n" if final else "")
            self.stream.flush()
        else:
            decile = int(fraction * 10)
            if decile != self._last_decile or final:
                self._last_decile = decile
                self.stream.write(line)

    def finish(self):
        if self.total and self.done != self.total:
            self.total = self.done
        if self.interactive or self._last_decile < 10:
            self._draw(final=True)


