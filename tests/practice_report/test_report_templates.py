"""Templates: one DOCX per category, formatted through styles, passing the checker as DOCX
(and as the PDF LibreOffice makes of it: committed in the corpus, test_report_corpus.py)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from manyi.practice_report import build_template, template_filename
from manyi.practice_report.docx_reader import read_docx
from tests.practice_report.conftest import CATEGORIES, SCHEME, check, soffice_to_pdf


@pytest.fixture(scope="module")
def templates() -> dict[str, bytes]:
    return {category: build_template(category, scheme=SCHEME) for category in CATEGORIES}


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_template_checks_clean_as_docx(templates, category):
    result = check(templates[category], "模板.docx", category)
    assert result.findings == ()


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_template_holds_the_title_every_heading_and_its_guidance(templates, scheme, category):
    outline = scheme.outline(category)
    texts = [p.text for p in read_docx(templates[category]).paragraphs]
    assert texts[0] == outline.title
    headings = [t for t in texts if any(t == h.text for h in outline.headings)]
    assert headings == [h.text for h in outline.headings]
    for heading in outline.headings:
        if heading.guidance:
            assert texts[texts.index(heading.text) + 1] == heading.guidance


def _style(document, name: str):
    return document.styles[name].element


def test_the_format_lives_in_the_styles(templates):
    document = docx.Document(io.BytesIO(templates["enterprise"]))
    normal = _style(document, "Normal")
    fonts = normal.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsia")) in ("宋体", "SimSun")
    assert normal.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "28"
    ppr = normal.find(qn("w:pPr"))
    assert ppr.find(qn("w:jc")).get(qn("w:val")) == "both"
    spacing = ppr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("360", "auto")
    assert ppr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    title = _style(document, "Title")
    assert title.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "36"
    assert title.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
    assert title.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == "center"
    heading = _style(document, "Heading 1")
    assert heading.find(f"{qn('w:rPr')}/{qn('w:b')}").get(qn("w:val")) is None  # bold on
    # No paragraph of the body carries direct formatting.
    for paragraph in document.paragraphs:
        ppr = paragraph._p.pPr
        assert ppr is None or {child.tag for child in ppr} <= {qn("w:pStyle")}
        assert all(run._r.rPr is None for run in paragraph.runs)


def test_the_footer_holds_a_centred_page_field(templates):
    content = read_docx(templates["team"])
    fields = content.sections[0]["default"]
    assert [(f.where, f.position) for f in fields] == [("footer", "center")]


def test_template_file_names(scheme):
    assert template_filename("service", scheme=scheme) == "用户满意经营实践报告（服务类模板）.docx"


@pytest.fixture(scope="module")
def template_pdfs(templates, tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("templates")
    sources = []
    for category, data in templates.items():
        path = folder / f"{category}.docx"
        path.write_bytes(data)
        sources.append(path)
    pdfs = soffice_to_pdf(sources, folder)
    return {Path(p).stem: p.read_bytes() for p in pdfs}


@pytest.mark.libreoffice
@pytest.mark.parametrize("category", CATEGORIES)
def test_the_installed_libreoffice_makes_pdfs_of_each_template_that_are_read_in_full(
    templates, template_pdfs, category
):
    # Only what does not depend on LibreOffice's version: the PDF is read completely and holds
    # the template's text. The exact findings on LibreOffice PDFs are asserted on committed
    # files (test_report_corpus.py).
    result = check(template_pdfs[category], "模板.pdf", category)
    assert result.complete
    assert result.chars.total == check(templates[category], "t.docx", category).chars.total
