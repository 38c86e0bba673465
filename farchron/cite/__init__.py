"""Citations: the facts about a work (works: names, their order, the year), Chicago 17
notes and bibliography (chicago), and runs of (text, italic) set as plain text or
Markdown with typographic quotes (typeset).

Floor 6: imports query/ and below; prints nothing.
"""
