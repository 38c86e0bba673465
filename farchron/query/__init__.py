"""Questions asked of a ledger: periods and filters (selection), fuzzy search across
scripts with its index (search), and counts per year, month, tag or actor (counts).

Floor 5: imports store/, ledger/, model/, dates/ and the base; prints nothing.
"""
