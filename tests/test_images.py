"""images.py: responsive variants of a picture, without its metadata, kept by digest."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from townsite import images
from townsite.images import PictureError, VariantCache, digest_of, inspect, make_variants, target_widths


def picture(width: int, height: int, fmt: str = "JPEG", mode: str = "RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (200, 30, 60) if mode == "RGB" else (200, 30, 60, 128)).save(out, fmt, **save)
    return out.getvalue()


def with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (35.0, 58.0, 0.0), 3: "E", 4: (105.0, 43.0, 0.0)}  # GPSInfo
    data = picture(1600, 900, exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825), "the test picture carries a GPS location"
    return data


def test_widths_never_upscale_and_include_the_picture_s_own_width():
    assert target_widths(2000) == [480, 960, 1440]
    assert target_widths(1200) == [480, 960, 1200]
    assert target_widths(300) == [300]


def test_variants_in_webp_and_jpeg_keep_the_aspect_ratio_and_no_exif_or_gps():
    variants = make_variants(with_gps())
    assert [(v.width, v.format) for v in variants] == [
        (480, "webp"), (480, "jpeg"), (960, "webp"), (960, "jpeg"), (1440, "webp"), (1440, "jpeg"),
    ]  # fmt: skip
    for variant in variants:
        assert variant.height == round(900 * variant.width / 1600)
        with Image.open(io.BytesIO(variant.data)) as image:
            assert image.size == (variant.width, variant.height)
            assert image.format == variant.format.upper()
            assert not image.getexif(), "EXIF must not reach the site"
            assert "exif" not in image.info
        assert b"Camera maker" not in variant.data


def test_a_picture_with_transparency_falls_back_to_png():
    formats = {v.format for v in make_variants(picture(600, 300, "PNG", "RGBA"))}
    assert formats == {"webp", "png"}


@pytest.mark.parametrize("data", [b"not a picture", picture(10, 10, "BMP")], ids=["text", "bmp"])
def test_what_is_not_a_png_jpeg_or_webp_is_refused(data):
    with pytest.raises(PictureError):
        inspect(data)


def test_a_decompression_bomb_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 10_000)  # as 40 million, at the size of a test
    with pytest.raises(PictureError, match="pixels"):
        inspect(picture(200, 100, "PNG"))
    assert inspect(picture(100, 100, "PNG")) == (100, 100, "PNG")


def test_the_cache_makes_each_picture_once_and_a_damaged_entry_again(tmp_path):
    data = picture(1000, 500)
    cache = VariantCache(tmp_path)
    first = cache.variants(data, digest_of(data))
    assert cache.made == 1
    again = VariantCache(tmp_path)  # a later build: read from disk, nothing encoded
    assert again.variants(data, digest_of(data)) == first and again.made == 0
    folder = next((tmp_path / "images").iterdir())
    (folder / "done").write_text("garbage name\n")
    damaged = VariantCache(tmp_path)
    assert damaged.variants(data, digest_of(data)) == first and damaged.made == 1


def test_the_same_bytes_make_the_same_variants():
    data = picture(900, 600)
    assert make_variants(data) == make_variants(data)


def test_a_read_only_cache_uses_what_is_kept_and_writes_nothing(tmp_path):
    data = picture(700, 300)
    VariantCache(tmp_path, write=False).variants(data, digest_of(data))
    assert not (tmp_path / "images").exists()  # `check` leaves the cache alone
    VariantCache(tmp_path).variants(data, digest_of(data))
    reader = VariantCache(tmp_path, write=False)
    reader.variants(data, digest_of(data))
    assert reader.made == 0
