"""render_report_pdf: a filled-in practice report as PDF (WeasyPrint) that passes the checker."""

from __future__ import annotations

import io

import pytest

from manyi.practice_report import check_report, render_report_pdf
from manyi.practice_report.sample_pdf import embedded_fonts, report_blocks
from manyi.rules import Scheme
from tests.practice_report.conftest import CATEGORIES
from tests.practice_report.pdf_corpus import song_font_installed

pytestmark = pytest.mark.skipif(
    not song_font_installed(), reason="Noto Serif CJK SC 未安装（fonts-noto-cjk）"
)

ORGANISATION = "华信智造科技股份有限公司"
BODY_CHARS = 3000


@pytest.fixture(scope="module")
def rendered(scheme: Scheme) -> dict[str, bytes]:
    return {
        category: render_report_pdf(
            category, organisation_name=ORGANISATION, scheme=scheme, body_chars=BODY_CHARS
        )
        for category in CATEGORIES
    }


def _check(pdf: bytes, category: str, scheme: Scheme, organisation: str = ORGANISATION):
    filename = scheme.report_filename(organisation, category)
    return check_report(pdf, filename, category, organisation_name=organisation, scheme=scheme)


def _text(pdf: bytes) -> str:
    """The PDF's text as pdfminer extracts it, without white space (lines wrap anywhere)."""
    from pdfminer.high_level import extract_text

    return "".join(extract_text(io.BytesIO(pdf)).split())


@pytest.mark.parametrize("category", CATEGORIES)
def test_passes_the_checker_without_findings(rendered, scheme, category):
    pdf = rendered[category]
    assert pdf.startswith(b"%PDF-")
    result = _check(pdf, category, scheme)
    assert result.kind == "pdf"
    assert result.findings == (), [f"{f.code}: {f.message}" for f in result.findings]
    assert result.summary["fail"] == 0 and result.summary["warn"] == 0
    assert "page_number.missing" in result.checks and "body.align" in result.checks


@pytest.mark.parametrize("category", CATEGORIES)
def test_text_holds_organisation_and_every_heading(rendered, scheme, category):
    text = _text(rendered[category])
    outline = scheme.outline(category)
    assert text.startswith(outline.title)
    assert ORGANISATION in text
    position = 0
    for heading in outline.headings:  # every heading, in the outline's order
        found = text.find(heading.text, position)
        assert found >= 0, heading.text
        position = found + len(heading.text)


@pytest.mark.parametrize("category", CATEGORIES)
def test_length_is_about_body_chars_and_within_budgets(rendered, scheme, category):
    result = _check(rendered[category], category, scheme)
    assert abs(result.chars.total - BODY_CHARS) <= 0.2 * BODY_CHARS, result.chars
    budgets = {h.title: h.budget for h in scheme.outline(category).headings if h.budget}
    assert set(result.chars.parts) == set(budgets)
    for title, used in result.chars.parts.items():
        assert 0 < used <= budgets[title], (title, used)


def test_uses_song_faces_only(rendered):
    fonts = embedded_fonts(rendered["enterprise"])
    assert fonts and all("Serif-CJK" in name for name in fonts), fonts
    assert any("Bold" in name for name in fonts)  # title and level-1 headings


def test_longer_report_is_over_the_limit(scheme):
    pdf = render_report_pdf(
        "service", scheme=scheme, organisation_name=ORGANISATION, body_chars=12000
    )
    result = _check(pdf, "service", scheme)
    assert abs(result.chars.total - 12000) <= 0.2 * 12000
    total = [f for f in result.findings if f.code == "length.total"]
    assert len(total) == 1 and total[0].status == "fail"
    assert str(result.chars.total) in total[0].message and "10000" in total[0].message
    # Over the budgets too, and nothing else: the format stays right.
    assert {f.code for f in result.findings} == {"length.total", "length.part"}


def test_near_the_limit_still_passes(scheme):
    pdf = render_report_pdf("team", scheme=scheme, organisation_name=ORGANISATION, body_chars=10000)
    result = _check(pdf, "team", scheme)
    assert result.findings == (), [f"{f.code}: {f.message}" for f in result.findings]
    assert 9000 <= result.chars.total <= 10000


def test_latin_organisation_name_with_spaces(scheme):
    """Spaces and half-width letters in the name: line breaks at spaces, still justified."""
    organisation = "XYZ Tech (China) 有限公司"
    pdf = render_report_pdf(
        "product", scheme=scheme, organisation_name=organisation, body_chars=2500
    )
    result = _check(pdf, "product", scheme, organisation)
    assert result.findings == (), [f"{f.code}: {f.message}" for f in result.findings]


def test_body_text_is_guidance_and_organisation(scheme):
    outline = scheme.outline("enterprise")
    blocks = report_blocks(outline, ORGANISATION, BODY_CHARS)
    assert [b.kind for b in blocks[:2]] == ["title", "heading"]
    assert [b.text for b in blocks if b.kind == "heading"] == [h.text for h in outline.headings]
    body = "".join(b.text for b in blocks if b.kind == "body")
    guidance = next(h.guidance for h in outline.headings if h.title == "满意理念")
    assert guidance and guidance.split("，")[0] in body
    assert body.count(ORGANISATION) >= 10


def test_rejects_unknown_category_and_empty_name(scheme):
    with pytest.raises(KeyError):
        render_report_pdf("shop", scheme=scheme, organisation_name=ORGANISATION)
    with pytest.raises(ValueError):
        render_report_pdf("team", scheme=scheme, organisation_name="  ")
