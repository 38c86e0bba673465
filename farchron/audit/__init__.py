"""Reading a draft back against the ledger: the draft as plain text with offsets into the
file (document), which events a passage names (names), and the dated claims with their
findings (compare).

Floor 9: imports authoring/ and below (query's search index, dates' prose reader).
"""
