"""The sample files are the real thing: each opens in the library that reads its kind."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from manyi.documents import samples

from .pdfhelpers import page_texts, reader


def test_sample_pdf_has_exactly_the_pages_asked_for_with_chinese_text():
    texts = page_texts(samples.sample_pdf(7, "实践报告"))
    assert len(texts) == 7
    assert "实践报告" in texts[0] and "第 7 页，共 7 页" in texts[6]


def test_sample_scanned_pdf_is_images_only():
    document = reader(samples.sample_scanned_pdf(2))
    assert len(document.pages) == 2
    assert len(document.pages[0].images) == 1


def test_sample_pptx_opens_in_python_pptx():
    deck = Presentation(io.BytesIO(samples.sample_pptx(4, hidden=1)))
    assert len(deck.slides) == 4
    assert [s._element.get("show") for s in deck.slides] == [None, None, None, "0"]


def test_sample_images_and_workbook():
    assert Image.open(io.BytesIO(samples.sample_jpg())).format == "JPEG"
    assert Image.open(io.BytesIO(samples.sample_png())).size == (1754, 1240)
    sheet = load_workbook(io.BytesIO(samples.sample_xlsx(10))).active
    assert sheet.max_row == 11 and sheet["B1"].value == "姓名"


def test_sample_mp4_pads_to_an_exact_size(tmp_path):
    if not samples.ffmpeg_available():
        pytest.skip("ffmpeg 未安装")
    path = samples.sample_mp4(2, 2 * 1024 * 1024, path=tmp_path / "v.mp4")
    assert path.stat().st_size == 2 * 1024 * 1024


def test_sample_mp4_explains_a_missing_ffmpeg(monkeypatch):
    monkeypatch.setattr(samples, "ffmpeg_available", lambda: False)
    with pytest.raises(samples.SampleUnavailable, match="ffmpeg"):
        samples.sample_mp4(1)
