"""Counts in a dossier's text are grouped by threes, the same way in both languages.

"1201247 calls" (a dossier of a 3-million-call case) was hard to read; 1,201,247 would read as
1.201247 to an Indonesian reader and 1.201.247 as 1.201247 to an English one. ISO 80000's narrow
no-break space reads alike in both, and is drawn by the dossier's font (not a box).
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from exports.i18n import Catalogue
from exports.pdf import fonts

NNBSP = "\u202f"
SUMMARY = "Drawn from {n} sources; {c} calls, {m} messages, {t} transfers, {tr} travel records, " \
          "{si} sightings and {i} incidents released to {r}."


def test_counts_of_five_digits_or_more_are_grouped_in_every_language():
    values = dict(n=4, c=1_201_247, m=0, t=9_999, tr=300_072, si=4, i=120_000, r="MY")
    en = Catalogue("en")(SUMMARY, **values)
    assert en.startswith(f"Drawn from 4 sources; 1{NNBSP}201{NNBSP}247 calls, 0 messages, 9999 transfers, "
                         f"300{NNBSP}072 travel records")
    idn = Catalogue("id")(SUMMARY, **values)
    assert f"1{NNBSP}201{NNBSP}247 panggilan" in idn and "1.201" not in idn and "1,201" not in idn
    both = Catalogue("en+id")(SUMMARY, **values)
    assert both.count(f"120{NNBSP}000") == 2
    # an audit entry's number is a name, not a quantity
    assert Catalogue("en")("entry #{seq} of the case's audit log", seq=123_456) == \
        "entry #123456 of the case's audit log"
    assert Catalogue("en")("{n} found", n=True) == "True found"


def test_the_dossier_font_draws_the_narrow_space():
    fonts.register()
    for name in (fonts.REGULAR, fonts.BOLD):
        face = pdfmetrics.getFont(name).face
        assert ord(NNBSP) in face.charToGlyph, name
        assert 0 < pdfmetrics.stringWidth(NNBSP, name, 10) < pdfmetrics.stringWidth(" ", name, 10) * 1.01
