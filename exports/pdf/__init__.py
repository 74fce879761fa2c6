"""Building blocks of PDF dossiers: fonts and scripts, the TLP marking, page layout, tables, charts.

Everything here draws with reportlab only (no Qt, no matplotlib): charts are reportlab
graphics, so they stay vector in the PDF and the file stays small.
"""
