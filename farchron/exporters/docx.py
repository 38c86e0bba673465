"""Word (.docx) from farchron's pandoc Markdown, through pandoc when it is installed.

pandoc turns the Markdown footnotes into real Word footnotes; farchron ships no
docx writer of its own. Core module: no click, no rich.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from farchron.errors import UsageError


def write_docx(markdown: str, output: str) -> None:
    """Convert `markdown` with pandoc and write `output` atomically.

    No pandoc, or pandoc failing, is a usage error (exit 2) with one clear message.
    """
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise UsageError("-f docx needs pandoc, which is not installed "
                         "(apt-get install pandoc, or https://pandoc.org/installing.html); "
                         "-f markdown gives the same text for another converter")
    with tempfile.TemporaryDirectory(prefix="farchron-docx-") as tmp:
        out = Path(tmp) / "draft.docx"
        r = subprocess.run([pandoc, "-f", "markdown", "-t", "docx", "-o", str(out)],
                           input=markdown, capture_output=True, text=True, encoding="utf-8",
                           check=False)
        if r.returncode != 0:
            raise UsageError(f"pandoc could not write the docx: {r.stderr.strip()[:500]}")
        data = out.read_bytes()
    from farchron.files import write_atomic

    try:
        write_atomic(output, data)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
