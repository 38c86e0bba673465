"""The cache: a verified, memory-mapped file of sections (sections), the validated
ledger kept in one (cache), its events decoded only when read (events), and the checks
records appended to events.toml must pass to extend it (appends). `cached_sections`
lets a stage above keep its own derived structure beside the ledger's store.

Floor 4: imports ledger/, model/, dates/ and the base.
"""
