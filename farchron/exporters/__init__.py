"""Other tools' formats written from the ledger: BibTeX, CSL-JSON and RIS
(bibliography), SQLite (sqlite), a self-contained HTML timeline (html), TimelineJS JSON
(timelinejs) and Word through pandoc (docx).

Floor 7, beside importers/ (neither imports the other): imports cite/ and below. Returns
text or writes files through farchron.files; the front ends print.
"""
