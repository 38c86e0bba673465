"""The ledger's values: Event, Citation, Source, Note, Ledger and the storage row of an
event (records), ONE field list per record kind (fields), what an id is (ids), CSL item
types and other tools' names for them (csl).

Floor 2: imports only dates/ and the base. Nothing here reads a file.
"""
