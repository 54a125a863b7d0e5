"""The application package: one PDF in the scheme's binding order, a contents page with the
real page numbers, one bookmark per part (and per file under it), every page numbered,
image scans turned into A4 pages, other files listed with their SHA-256."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from pypdf import PdfReader, PdfWriter

from manyi.documents import (
    PackageError,
    PackageFile,
    PackagePart,
    build_package,
    parts_from_materials,
    render_application_form,
    render_commitment_letter,
    render_cover,
    samples,
)

from .conftest import ORGANISATION
from .pdfhelpers import STAMP, bookmarks, contents_lines, page_texts, reader

LICENCE_JPG = samples.sample_jpg("营业执照（扫描件）")
AWARD_PNG = samples.sample_png("荣誉证书（扫描件）")
DATABASE_XLSX = samples.sample_xlsx(60)
PPT = samples.sample_pptx(12)


@pytest.fixture(scope="module")
def uploads(scheme) -> dict[str, list[PackageFile]]:
    """One five-star enterprise application's files, keyed by material."""
    from datetime import date

    cover = render_cover(
        scheme,
        category="enterprise",
        level="five",
        values={
            "enterprise_name": ORGANISATION,
            "promoting_body": "福建省质量协会",
            "fill_date": date(2025, 3, 1),
        },
    )
    form = render_application_form(
        scheme, category="enterprise", level="five", values={"enterprise_name": ORGANISATION}
    )
    return {
        # deliberately not in binding order
        "measurement_report": [
            PackageFile("第三方测量报告.pdf", samples.sample_pdf(5, "测量报告"))
        ],
        "survey_database": [PackageFile("数据库.xlsx", DATABASE_XLSX, "xlsx")],
        "enterprise_awards": [
            PackageFile("荣誉1.pdf", samples.sample_scanned_pdf(3, "荣誉"), "pdf"),
            PackageFile("荣誉2.png", AWARD_PNG, "png"),
        ],
        "business_licence": [PackageFile("营业执照.jpg", LICENCE_JPG, "jpeg")],
        "practice_report": [
            PackageFile("用户满意经营实践报告.pdf", samples.sample_pdf(12, "实践报告"), "pdf")
        ],
        "application_form": [PackageFile("申请表.pdf", form, "pdf")],
        "commitment_application": [
            PackageFile(
                "1-2.pdf",
                render_commitment_letter(scheme, "application", organisation_name=ORGANISATION),
            )
        ],
        "commitment_operation": [PackageFile("1-1.jpg", samples.sample_jpg("承诺书 盖章"))],
        "cover": [PackageFile("封面.pdf", cover, "pdf")],
        "report_ppt": [PackageFile("汇报.pptx", PPT, "pptx")],
        "report_video": [PackageFile("讲解视频.mp4", samples.mp4_skeleton(600), "mp4")],
    }


@pytest.fixture(scope="module")
def package(scheme, uploads, tmp_path_factory):
    path = tmp_path_factory.mktemp("package") / "申请材料.pdf"
    seen: list[tuple[int, int]] = []
    parts = parts_from_materials(scheme, uploads)
    result = build_package(
        parts, path, scheme=scheme, title="申请书", progress=lambda d, t: seen.append((d, t))
    )
    return path, result, seen


def test_one_pdf_with_every_page_accounted_for(package):
    path, result, _ = package
    # cover 1 + contents 1 + 1-1 1 + 1-2 1 + form 2 + report 12 + licence 1 + awards 3 + 1
    # + measurement report 5 + 附件清单 1
    assert len(reader(path).pages) == result.pages == 29


def test_parts_are_bound_in_the_schemes_order(scheme, package):
    _, result, _ = package
    expected = [
        f"{p.name}（{p.attachment}）" if p.attachment else p.name for p in scheme.binding.parts
    ]
    placed = [part.title for part in result.parts]
    assert placed == [*expected, "单独提交的材料"]
    firsts = [part.first_page for part in result.parts if part.page_count]
    assert firsts == sorted(firsts)


def test_one_bookmark_per_part_and_per_file(scheme, package):
    path, result, _ = package
    marks = bookmarks(path)
    assert [m.title for m in marks] == [p.title for p in result.parts] + ["附件清单"]
    by_title = {m.title: m for m in marks}
    cover = by_title["封面和目录（附件1）"]
    assert [(c.title, c.page) for c in cover.children] == [("申请书封面（盖章）", 1), ("目录", 2)]
    proofs = by_title["其他证实性材料"]
    assert [c.title for c in proofs.children] == [
        "有效期内年检合格营业执照复印件",
        "企业近三年与用户有关的奖项、荣誉复印件（1）",
        "企业近三年与用户有关的奖项、荣誉复印件（2）",
    ]
    for mark, part in zip(marks, result.parts, strict=False):
        assert mark.page == part.first_page


def test_the_contents_page_gives_the_real_first_pages(package):
    path, result, _ = package
    first, last = result.contents_pages
    assert (first, last) == (2, 2)
    texts = page_texts(path)
    assert texts[1].startswith("目　录")
    listed = contents_lines(texts[1])
    for part in result.parts:
        assert listed[part.title] == part.first_page, part.title
    marks = {m.title: m.page for m in bookmarks(path)}
    assert listed["附件清单"] == marks["附件清单"] == 29
    # and the page a part starts on really shows that part
    report = next(p for p in result.parts if p.key == "practice_report")
    assert "实践报告" in texts[report.first_page - 1]
    assert "第 1 页，共 12 页" in texts[report.first_page - 1]


def test_every_page_is_stamped_with_its_number(package):
    path, _, _ = package
    for number, text in enumerate(page_texts(path), start=1):
        assert STAMP.findall(text)[-1] == str(number), f"第 {number} 页"


def test_page_labels_match_the_stamps(package):
    path, _, _ = package
    labels = reader(path).page_labels
    assert labels[:3] == ["1", "2", "3"] and labels[-1] == "29"


def test_image_scans_become_a4_pages(package, scheme):
    path, result, _ = package
    document = reader(path)
    operation = next(p for p in result.parts if p.key == "commitment_operation")
    page = document.pages[operation.first_page - 1]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    [image] = page.images
    assert image.image.size == (1240, 1754)
    licence = next(p for p in result.parts if p.key == "other_proofs")
    licence_page = document.pages[licence.first_page - 1]
    xobject = licence_page["/Resources"]["/XObject"]["/Im0"].get_object()
    assert xobject["/Filter"] == "/DCTDecode"
    assert xobject.get_data() == LICENCE_JPG  # the JPEG is embedded as it is, not re-encoded
    landscape = document.pages[licence.first_page - 1 + 1 + 3]  # after the licence and 3 pages
    assert float(landscape.mediabox.width) > float(landscape.mediabox.height)


def test_non_pdf_files_are_listed_with_size_and_sha256(package):
    path, result, _ = package
    listing = page_texts(path)[-1]
    assert listing.startswith("附件清单")
    compact = re.sub(r"\s+", "", listing)
    for name, data in [("数据库.xlsx", DATABASE_XLSX), ("汇报.pptx", PPT)]:
        assert name in compact
        assert hashlib.sha256(data).hexdigest() in compact
    assert [row.filename for row in result.attachments] == [
        "数据库.xlsx",
        "汇报.pptx",
        "讲解视频.mp4",
    ]
    by_title = {m.title: m for m in bookmarks(path)}
    separate = by_title["单独提交的材料"]
    assert {c.page for c in separate.children} == {29}


def test_progress_is_reported_up_to_the_last_page(package):
    _, result, seen = package
    assert seen[-1] == (result.pages, result.pages)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_pdf_text_survives_binding(package):
    path, result, _ = package
    texts = page_texts(path)
    measurement = next(p for p in result.parts if p.key == "measurement")
    assert "测量报告" in texts[measurement.first_page - 1]


# --- edge cases --------------------------------------------------------------------------


def small_part(key: str, title: str, *files: PackageFile) -> PackagePart:
    return PackagePart(key, title, list(files))


def build(parts, scheme=None) -> tuple[bytes, object]:
    out = io.BytesIO()
    result = build_package(parts, out, scheme=scheme)
    return out.getvalue(), result


def test_without_a_cover_the_contents_come_first():
    pdf, _ = build([small_part("a", "甲", PackageFile("a.pdf", samples.sample_pdf(2)))])
    texts = page_texts(pdf)
    assert texts[0].startswith("目　录")
    assert contents_lines(texts[0]) == {"甲": 2}
    assert [m.title for m in bookmarks(pdf)] == ["目录", "甲"]


def test_unknown_parts_go_before_the_annex(scheme):
    parts = [
        small_part("measurement", "第三方测量", PackageFile("m.pdf", samples.sample_pdf(1))),
        small_part("extra", "补充材料", PackageFile("x.pdf", samples.sample_pdf(1))),
        small_part("practice_report", "报告", PackageFile("r.pdf", samples.sample_pdf(1))),
    ]
    _, result = build(parts, scheme)
    assert [p.key for p in result.parts] == ["practice_report", "extra", "measurement"]


def test_rotated_pages_get_an_upright_number_at_their_visual_bottom():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.sample_pdf(1))))
    writer.pages[0].rotate(90)
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf, _ = build([small_part("a", "甲", PackageFile("横向.pdf", buffer.getvalue()))])
    page = reader(pdf).pages[1]
    positions = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if STAMP.search(text or ""):
            positions.append((cm, tm))

    page.extract_text(visitor_text=visit)
    [(cm, _)] = positions
    width = float(page.mediabox.width)
    # text runs along +y (visually left to right) near the right edge, which is shown at the bottom
    assert (round(cm[0]), round(cm[1]), round(cm[2]), round(cm[3])) == (0, 1, -1, 0)
    assert width - 30 < cm[4] < width


def test_an_encrypted_pdf_cannot_be_bound_and_the_error_names_it():
    locked = samples.sample_encrypted_pdf()
    with pytest.raises(PackageError, match=re.escape("「加密.pdf」无法装订：PDF 已加密")):
        build([small_part("a", "甲", PackageFile("加密.pdf", locked, "pdf"))])


def test_a_pdf_restricted_by_an_owner_password_is_bound_readable():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.sample_pdf(2, "受限文件"))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    restricted = io.BytesIO()
    writer.write(restricted)
    pdf, result = build([small_part("a", "甲", PackageFile("受限.pdf", restricted.getvalue()))])
    assert result.pages == 3
    assert not reader(pdf).is_encrypted
    assert "受限文件" in page_texts(pdf)[1]


def test_writing_to_a_path_is_atomic(tmp_path):
    target = tmp_path / "package.pdf"
    build_package([small_part("a", "甲", PackageFile("a.pdf", samples.sample_pdf(1)))], target)
    assert target.is_file() and not (tmp_path / "package.pdf.part").exists()
    assert len(reader(target).pages) == 2


def test_sources_may_be_paths(tmp_path):
    path = tmp_path / "报告.pdf"
    path.write_bytes(samples.sample_pdf(3))
    scan = tmp_path / "执照.jpg"
    scan.write_bytes(LICENCE_JPG)
    _, result = build(
        [small_part("a", "甲", PackageFile("报告.pdf", path), PackageFile("执照.jpg", scan))]
    )
    assert result.pages == 1 + 3 + 1


def test_a_photo_taken_sideways_is_turned_upright_and_transparency_becomes_white():
    from PIL import Image

    sideways = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    Image.new("RGB", (400, 300), "grey").save(sideways, "JPEG", exif=exif)
    clear = io.BytesIO()
    Image.new("RGBA", (300, 400), (255, 0, 0, 0)).save(clear, "PNG")
    pdf, _ = build(
        [
            small_part(
                "a",
                "甲",
                PackageFile("手机照片.jpg", sideways.getvalue()),
                PackageFile("透明.png", clear.getvalue()),
            )
        ]
    )
    photo, transparent = reader(pdf).pages[1:3]
    [image] = photo.images
    assert image.image.size == (300, 400)  # pixels turned as the camera meant
    assert float(photo.mediabox.height) > float(photo.mediabox.width)
    [image] = transparent.images
    assert image.image.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


def test_copying_pages_holds_memory_for_one_page_not_for_the_package(monkeypatch, tmp_path):
    """~30 MB of scans are bound while the copy phase's heap grows by a couple of MB only.

    (A source given as bytes costs one more copy of that one file while it is copied:
    pypdf takes the buffer of the BytesIO it reads.)"""
    import tracemalloc

    from manyi.documents import package as package_module

    scans = samples.sample_scanned_pdf(20, "扫描件", dpi=200, grain=True)
    source = tmp_path / "扫描件.pdf"
    source.write_bytes(scans)  # stored uploads are files, which pypdf reads lazily
    parts = [small_part(f"p{n}", f"扫描件{n}", PackageFile(f"{n}.pdf", source)) for n in range(3)]
    growth: list[float] = []
    write_all = package_module._write_all

    def measured(*args, **kwargs):  # type: ignore[no-untyped-def]
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        write_all(*args, **kwargs)
        growth.append((tracemalloc.get_traced_memory()[1] - before) / 2**20)

    monkeypatch.setattr(package_module, "_write_all", measured)
    tracemalloc.start()
    try:
        build_package(parts, tmp_path / "package.pdf")
    finally:
        tracemalloc.stop()
    assert 3 * len(scans) > 20 * 2**20
    assert growth[0] < 3, f"复制阶段堆增长 {growth[0]:.1f} MB"
