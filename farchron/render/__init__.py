"""What reaches stdout: one writer per format (output), table widths that lose no
character (widths), and what each command prints: listings, show, problems (check and
audit), citations, and the terminal chart.

Floor 10: imports every stage below; only render/ and the front ends write to stdout.
"""
