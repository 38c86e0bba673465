"""Offsets into a text (code points) and LSP positions (line, character in the client's
units: UTF-16 unless the client chose otherwise). LSP ends lines at LF, CRLF or CR only."""

from __future__ import annotations

import bisect
import re

_EOL = re.compile(r"\r\n|\r|\n")


class Lines:
    """The line starts of a text, for offset <-> (line, character) both ways."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [m.end() for m in _EOL.finditer(text)]

    def _units(self, s: str) -> int:
        if self.encoding == "utf-32":
            return len(s)
        if self.encoding == "utf-8":
            return len(s.encode("utf-8", "surrogatepass"))
        return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)

    def line_text(self, line: int) -> str:
        if line < 0 or line >= len(self.starts):
            return ""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line]:end].rstrip("\r\n")

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, self._units(self.text[self.starts[line]:offset])

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of (line, character); clamped to the line and the text."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        text = self.line_text(line)
        if self.encoding == "utf-32":
            col = min(character, len(text))
        else:
            col = units = 0
            while col < len(text) and units < character:
                units += self._units(text[col])
                col += 1
        return self.starts[line] + col
