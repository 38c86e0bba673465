"""The ledger's files: find the folder (folder), read TOML with positions (read), FILE:LINE
of records (locate), the Checker (checker), per-file validation (check), part-of and
other-dates (evidence), checks across both files (crossfile), the parallel parse of big
files (parallel), a ledger split by `include` (parts), and the facade `collect`/`load` (load).

Floor 3: imports model/, dates/ and the base; never the cache above it.
"""
