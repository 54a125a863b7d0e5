"""五星: the explainer video lasts at most 15 minutes and weighs at most 30 MB. The duration
is read from the file's own movie header (moov/mvhd), not from ffprobe."""

from __future__ import annotations

import pytest

from manyi.documents import samples
from manyi.files import DURATION_TOLERANCE_SECONDS, FileRejected, inspect_file

MB = 1024 * 1024


# --- real files made by ffmpeg -------------------------------------------------------------


def test_a_short_video_is_accepted_with_its_duration_read(check, ffmpeg):
    info = inspect_file(samples.sample_mp4(3), "讲解视频.mp4")
    assert info.kind == "mp4"
    assert info.duration_seconds == pytest.approx(3.0, abs=0.1)
    assert check(info, "report_video") == []


@pytest.mark.parametrize(("container", "brand"), [("mov", "qt"), ("m4v", "M4V")])
def test_a_mov_or_m4v_video_is_accepted_with_its_duration_read(check, ffmpeg, container, brand):
    info = inspect_file(samples.sample_mp4(4, container=container), f"讲解视频.{container}")
    assert (info.kind, info.subtype) == ("mp4", brand)
    assert info.duration_seconds == pytest.approx(4.0, abs=0.1)
    assert check(info, "report_video") == []


def test_a_video_over_15_minutes_is_refused(check, ffmpeg, tmp_path):
    path = samples.sample_mp4(16 * 60, path=tmp_path / "讲解视频.mp4")
    assert path.stat().st_size < MB  # long but small: the limit is the duration
    info = inspect_file(path, "讲解视频.mp4")
    assert info.duration_seconds == pytest.approx(960, abs=0.5)
    [finding] = check(info, "report_video")
    assert (finding.code, finding.status) == ("too_long", "fail")
    assert finding.message == (
        "视频时长 16分00秒，超过 15 分钟的上限，请剪辑到 15 分钟以内后重新上传"
    )


def test_a_video_over_30_mb_is_refused(check, ffmpeg, tmp_path):
    path = samples.sample_mp4(5, 31 * MB, path=tmp_path / "讲解视频.mp4")
    info = inspect_file(path, "讲解视频.mp4")
    assert info.size == 31 * MB
    assert info.duration_seconds == pytest.approx(5, abs=0.1)
    [finding] = check(info, "report_video")
    assert finding.code == "too_large"
    assert finding.message.startswith("文件大小 31 MB，超过「实践报告讲解视频」的上限 30 MB")


def test_exactly_30_mb_is_still_accepted(check, ffmpeg, tmp_path):
    path = samples.sample_mp4(5, 30 * MB, path=tmp_path / "讲解视频.mp4")
    assert check(inspect_file(path, "讲解视频.mp4"), "report_video") == []


def test_a_truncated_video_is_refused(ffmpeg):
    video = samples.sample_mp4(20)
    with pytest.raises(FileRejected) as refused:
        inspect_file(video[: len(video) * 2 // 3], "讲解视频.mp4")
    assert refused.value.code == "truncated"
    assert refused.value.reason.startswith("视频文件不完整")


# --- the movie header, byte by byte -------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1])
def test_mvhd_version_0_and_1(version):
    info = inspect_file(samples.mp4_skeleton(754.25, version=version, timescale=600), "v.mp4")
    assert info.duration_seconds == pytest.approx(754.25)


def test_the_index_may_come_after_the_media_data():
    info = inspect_file(samples.mp4_skeleton(42, moov_first=False), "v.mp4")
    assert info.duration_seconds == 42


def test_a_recording_that_never_wrote_its_index_is_refused():
    without_index = samples.mp4_skeleton(42)
    ftyp_end = int.from_bytes(without_index[:4], "big")
    moov_size = int.from_bytes(without_index[ftyp_end : ftyp_end + 4], "big")
    data = without_index[:ftyp_end] + without_index[ftyp_end + moov_size :]
    with pytest.raises(FileRejected) as refused:
        inspect_file(data, "讲解视频.mp4")
    assert "缺少索引信息（moov）" in refused.value.reason


def test_a_cut_off_header_is_refused():
    with pytest.raises(FileRejected) as refused:
        inspect_file(samples.mp4_skeleton(42)[:60], "讲解视频.mp4")
    assert refused.value.code == "truncated"


@pytest.mark.parametrize(
    ("seconds", "accepted"),
    [
        (900.0, True),
        (900 + DURATION_TOLERANCE_SECONDS, True),
        (900 + DURATION_TOLERANCE_SECONDS + 0.1, False),
    ],
)
def test_fifteen_minutes_with_half_a_second_of_tolerance(check, seconds, accepted):
    info = inspect_file(samples.mp4_skeleton(seconds), "讲解视频.mp4")
    assert (check(info, "report_video") == []) is accepted


def test_set_mp4_duration_rewrites_a_real_file(ffmpeg):
    longer = samples.set_mp4_duration(samples.sample_mp4(2), 1000)
    assert inspect_file(longer, "v.mp4").duration_seconds == pytest.approx(1000)
