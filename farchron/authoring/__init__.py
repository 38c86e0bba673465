"""Changing a ledger without ever leaving it broken: the record writer (writer: appends
as text in the file's layout, checked, atomic, under the lock) and init, add, edit and
import below the command line (operations).

Floor 8: imports importers/, exporters/ and below; no click (the front ends prompt).
"""
