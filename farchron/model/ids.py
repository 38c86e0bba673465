"""What an id is: lowercase ASCII words joined by hyphens (`nomonhan-incident`).

One pattern for the checker, the writers, the cache's id lookup and the importers, so an
id that `add` makes is one that `check` accepts and `show` finds.
"""

from __future__ import annotations

import re

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
