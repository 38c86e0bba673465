"""Dates: EDTF strings to day bounds (edtf), Gregorian day arithmetic (daycount), other
calendars (calendars), dates as people write them (written) and dates inside running
prose (inprose).

Floor 1: imports only the base (settings, text, frozen, errors, files). Knows nothing of
events or ledgers, so every stage above can read and show a date the same way.
"""
