"""Responsive variants of one picture, made with Pillow: a function of the source bytes (named by
their digest) and the wanted widths, nothing else. Each width is written as WebP and as a
fallback (PNG for pictures with transparency, else JPEG). Re-encoding keeps no metadata, so EXIF
(camera, GPS location) never reaches the site. Kept by digest in the build cache, so an unchanged
picture is never decoded again."""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

# Widths offered in srcset: a phone's column at 2x, a desktop column, a wide desktop column.
WIDTHS = (480, 960, 1440)
# Larger pictures are refused before decoding (a decompression bomb is bounded work too).
MAX_PIXELS = 40_000_000
FORMATS = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
_NAME = re.compile(r"^(\d+)x(\d+)\.(webp|jpeg|png)$")


class PictureError(Exception):
    """The bytes are not a picture Pillow can read safely."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # webp | jpeg | png
    data: bytes

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height}.{self.format}"


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inspect(data: bytes) -> tuple[int, int, str]:
    """(width, height, Pillow format) from the header alone; PictureError when unreadable."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                fmt = image.format or ""
    except UnidentifiedImageError:
        raise PictureError("not a picture file") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PictureError(f"more than {MAX_PIXELS:,} pixels") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise PictureError(f"damaged: {type(exc).__name__}") from None
    if fmt not in ("PNG", "JPEG", "WEBP"):
        raise PictureError(f"{fmt or 'unknown'} format")
    if width * height > MAX_PIXELS:
        raise PictureError(f"{width}×{height} pixels is more than {MAX_PIXELS:,}")
    return width, height, fmt


def target_widths(source_width: int, widths: tuple[int, ...] = WIDTHS) -> list[int]:
    """The wanted widths a picture can fill without upscaling, and its own width when it is
    narrower than the largest."""
    chosen = [w for w in widths if w < source_width]
    if source_width <= max(widths):
        chosen.append(source_width)
    else:
        chosen.append(max(widths))
    return sorted(set(chosen))


def make_variants(data: bytes, widths: tuple[int, ...] = WIDTHS) -> list[Variant]:
    """Every width in WebP and in the fallback format, smallest first (WebP before fallback)."""
    from PIL import Image, ImageOps

    inspect(data)
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)  # honour the camera's orientation, then drop EXIF
        image.load()
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if alpha else "RGB")
    fallback = "png" if alpha else "jpeg"
    variants: list[Variant] = []
    for width in target_widths(image.width, widths):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for fmt in ("webp", fallback):
            variants.append(Variant(width, height, fmt, _encode(resized, fmt)))
    return variants


def _encode(image: Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "webp":
        image.save(out, "WEBP", quality=80, method=4)
    elif fmt == "jpeg":
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


class VariantCache:
    """Variants by (source digest, widths): in memory for this process and, given a folder, on
    disk (`<cache>/images/<digest>-<widths>/<w>x<h>.<format>`). A damaged entry is made again;
    with `write` false the folder is only read."""

    def __init__(self, folder: Path | None, write: bool = True):
        self.folder = folder / "images" if folder else None
        self.write = write  # `check` reads what builds kept but writes nothing
        self.memory: dict[tuple[str, tuple[int, ...]], list[Variant]] = {}
        self.made = 0  # how many pictures were decoded and encoded (for tests and timings)

    def variants(self, data: bytes, digest: str, widths: tuple[int, ...] = WIDTHS) -> list[Variant]:
        key = (digest, widths)
        if key in self.memory:
            return self.memory[key]
        stored = self._read(key)
        if stored is None:
            stored = make_variants(data, widths)
            self.made += 1
            self._write(key, stored)
        self.memory[key] = stored
        return stored

    def _path(self, key: tuple[str, tuple[int, ...]]) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{key[0]}-{'-'.join(map(str, key[1]))}"

    def _read(self, key: tuple[str, tuple[int, ...]]) -> list[Variant] | None:
        path = self._path(key)
        if path is None or not (path / "done").is_file():
            return None
        found: list[Variant] = []
        try:
            for name in (path / "done").read_text(encoding="utf-8").split():
                match = _NAME.match(name)
                if not match:
                    return None
                width, height, fmt = int(match[1]), int(match[2]), match[3]
                found.append(Variant(width, height, fmt, (path / name).read_bytes()))
        except OSError:
            return None
        return found or None

    def _write(self, key: tuple[str, tuple[int, ...]], variants: list[Variant]) -> None:
        path = self._path(key)
        if path is None or not self.write:
            return
        try:
            path.mkdir(parents=True, exist_ok=True)
            for variant in variants:
                (path / variant.name).write_bytes(variant.data)
            temporary = path / f".done-{os.getpid()}"
            temporary.write_text("\n".join(v.name for v in variants), encoding="utf-8")
            os.replace(temporary, path / "done")  # the list last: a half-written entry is never read
        except OSError:
            pass  # a cache that cannot be written only costs time next build
