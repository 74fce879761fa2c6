"""Names in scripts that must be shaped to be read (Khmer, Myanmar, Devanagari, Lao, Thai) in
dossier paragraphs: drawn in a font that has them, shaped by the font's rules, and read back from
the PDF as written."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.platypus import Paragraph, SimpleDocTemplate

from exports.pdf import fonts
from exports.pdf.layout import _styles

NAMES = {
    "Khmer": "សុខ ចាន់ដារ៉ា",              # a subscript consonant under its base
    "Myanmar": "အောင်ကျော်မင်း",          # vowel signs written after a consonant, drawn before it
    "Devanagari": "प्रिया शर्मा",             # a conjunct and an i-matra drawn before its consonant
    "Lao": "ສົມສັກ ພົມມະວົງ",
    "Thai": "ผู้ใหญ่ สมชาย",                # a tone mark above an upper vowel
}


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    fonts.register()
    st = _styles()
    path = tmp_path_factory.mktemp("shaping") / "names.pdf"
    story = [Paragraph(f"{script}: {fonts.markup(name)} (alias Budi, +855 12 345 678)", st["body"])
             for script, name in NAMES.items()]
    story.append(Paragraph(fonts.markup(f"Bold: {NAMES['Khmer']}", bold=True), st["h2"]))
    # A long line of mixed scripts, wrapped over several lines in a narrow table cell's style.
    story.append(Paragraph(" ".join(fonts.markup(n) for n in NAMES.values()) * 3, st["cell"]))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_each_script_is_embedded_in_its_own_font(pdf):
    embedded = set()
    for page in PdfReader(str(pdf)).pages:
        for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            embedded.add(str(f.get_object().get("/BaseFont")))
    for family in ("NotoSansKhmer", "NotoSansMyanmar", "NotoSansDevanagari", "NotoSansLao", "Loma",
                   "NotoSansKhmer-Bold"):
        assert any(family in f.replace("-Regular", "") for f in embedded), (family, embedded)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (installed by ./run)")
def test_names_read_back_as_written(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for script, name in NAMES.items():
        assert f"{script}: {name} (alias Budi, +855 12 345 678)" in text, (script, text)
    assert f"Bold: {NAMES['Khmer']}" in text
    # the wrapped paragraph: every name, each time, whatever the line it fell on
    flat = " ".join(text.split())
    for name in NAMES.values():
        assert flat.count(name) >= 4, (name, flat)


def test_shaping_places_glyphs_by_the_fonts_rules():
    fonts.register()
    # Burmese: the vowel sign E (U+1031) is written after its consonant and drawn before it.
    my = shapeStr("အော", fonts.MYANMAR, 12)
    assert my[0] == "\u1031" and my.actual == "အော", (list(my), getattr(my, "actual", None))
    # Devanagari: the i-matra (U+093F) is written after its consonant and drawn before it (in a
    # form of the glyph the font keeps for that place, with no character of its own).
    hi = shapeStr("कि", fonts.DEVANAGARI, 12)
    assert len(hi) == 2 and hi[1] == "क" and hi.actual == "कि", list(hi)
    # Khmer: a coeng + consonant becomes one subscript glyph (no character of its own).
    km = shapeStr("ន្ត", fonts.KHMER, 12)
    assert len(km) < len("ន្ត") and km.actual == "ន្ត", list(km)


def test_latin_and_cjk_runs_are_drawn_as_without_shaping(tmp_path):
    """Only runs in the shaped scripts' fonts are shaped: a dossier of Latin names is byte for
    byte the content it was (no kerning or ligatures creep into the evidence's text)."""
    from reportlab.pdfbase.ttfonts import ShapedFragWord
    from reportlab.platypus import paragraph

    fonts.register()
    st = _styles()
    p = Paragraph("Muhammad Rizal bin Abdullah, office 0812-3456-7890, " + fonts.markup("王小明"), st["body"])
    p.wrap(400, 100)
    words = paragraph._getFragWords(p.frags, 400)
    assert not any(isinstance(paragraph.shapeFragWord(w), ShapedFragWord) for w in words)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (installed by ./run)")
def test_chart_labels_are_shaped_and_read_back(tmp_path):
    """A network chart's node labels are drawn on the canvas, one font per label: shaped too."""
    from reportlab.graphics import renderPDF

    from exports.pdf.charts import Edge, Node, network

    fonts.register()
    nodes = [Node(f"n{i}", name, "suspect", key_player=True) for i, name in enumerate(NAMES.values())]
    nodes.append(Node("x", "Budi Santoso", "victim"))
    nodes.append(Node("y", "Sok Chanda (សុខ)", "witness", key_player=True))
    d = network(nodes, [Edge(f"n{i}", "x") for i in range(len(NAMES))], 500, 400,
                {"suspect": "suspect", "victim": "victim", "witness": "witness", "other": "other"})
    path = tmp_path / "chart.pdf"
    renderPDF.drawToFile(d, str(path))
    flat = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    for name in [*NAMES.values(), "Budi Santoso", "Sok Chanda (សុខ)"]:
        for word in name.split():
            assert word in flat, (word, flat)
    [(label, font, width)] = fonts.label_runs(NAMES["Myanmar"], 6.5, bold=True)
    assert label[0] == "\u1031" and label.actual == NAMES["Myanmar"] and font == fonts.MYANMAR_BOLD
    assert width > 0
    # The script fonts have no Latin: a label mixing both is drawn in runs, each in its font.
    runs = fonts.label_runs("Sok Chanda (សុខ)", 6.5)
    assert [(str(getattr(t, "actual", t)), f) for t, f, _ in runs] == [
        ("Sok Chanda (", fonts.REGULAR), ("សុខ", fonts.KHMER), (")", fonts.REGULAR)]
