"""Covers and galleries in a build: checked with path:line, published as <picture> with
responsive variants, shown on cards, detail pages, OpenGraph and JSON-LD."""

from __future__ import annotations

import io
import json
import re

from PIL import Image

COVER = "cover:\n  src: rose/cover.jpg\n  alt: 示意图：玫瑰小镇的名称卡片\n"
GALLERY = "gallery:\n  - src: rose/chart.png\n    alt: 条形图：签约项目\n"


def jpeg(width: int = 1200, height: int = 630) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (35.0, 58.0, 0.0)}
    Image.new("RGB", (width, height), (160, 20, 60)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 400), (250, 240, 240)).save(out, "PNG")
    return out.getvalue()


def with_pictures(project, front: str = COVER + GALLERY) -> None:
    project.edit("content/towns/rose.md", "featured: true\n", "featured: true\n" + front)
    project.write("content/towns/rose/cover.jpg", jpeg())
    project.write("content/towns/rose/chart.png", png())


def test_detail_page_shows_cover_and_gallery_with_sizes_and_no_layout_shift(project):
    with_pictures(project)
    project.build()
    town = (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    cover = re.search(r'<picture class="detail-cover">.*?</picture>', town, re.S).group(0)
    assert '<source type="image/webp" srcset="/images/' in cover and " 480w, " in cover and " 1200w" in cover
    assert 'width="1200" height="630" alt="示意图：玫瑰小镇的名称卡片"' in cover
    assert 'fetchpriority="high"' in cover and "loading=" not in cover  # in the first screen
    gallery = town.split('id="gallery-title"')[1]
    assert 'alt="条形图：签约项目"' in gallery and 'loading="lazy"' in gallery and 'width="800" height="400"' in gallery
    for url in re.findall(r'(?:src|srcset)="(/images/[^" ]+)', town):
        assert (project.site / url.lstrip("/")).is_file(), url


def test_cards_open_graph_and_json_ld_use_the_cover(project):
    with_pictures(project)
    project.build()
    towns = (project.site / "towns/index.html").read_text()
    assert '<picture class="card-cover">' in towns
    town = (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', town).group(1)
    assert og.startswith("https://example.org/images/") and og.endswith("-1200.jpeg")
    data = [json.loads(x) for x in re.findall(r'<script type="application/ld\+json">(.*?)</script>', town)]
    assert [d["image"] for d in data if d["@type"] == "Place"] == [og]
    assert (project.site / og.removeprefix("https://example.org/")).is_file()


def test_published_variants_carry_no_gps_and_the_original_is_not_published(project):
    with_pictures(project)
    project.build()
    published = sorted((project.site / "images").iterdir())
    assert {p.suffix for p in published} == {".webp", ".jpeg"}  # no transparency: JPEG
    for path in published:
        with Image.open(path) as image:
            assert not image.getexif()
    assert not list(project.site.rglob("cover.jpg"))


def test_pictures_are_made_once_then_taken_from_the_cache(project, monkeypatch):
    from townsite import images

    with_pictures(project)
    first = project.build()
    made: list[int] = []
    real = images.make_variants
    monkeypatch.setattr(images, "make_variants", lambda *a: made.append(1) or real(*a))
    project.edit("content/towns/rose.md", "一个以玫瑰为主题的小镇。", "一个玫瑰小镇。")
    second = project.build()
    assert made == []
    assert {k: v for k, v in first.outputs.items() if k.startswith("images/")} == {
        k: v for k, v in second.outputs.items() if k.startswith("images/")
    }


def test_picture_problems_name_file_and_line(project):
    project.edit("content/towns/rose.md", "featured: true\n", "featured: true\n" + COVER + GALLERY)
    project.write("content/towns/rose/chart.png", b"\x89PNG not really")
    project.write("content/parks/stray.webp", png())
    problems = project.problems()
    assert "content/towns/rose.md:16: cover: `rose/cover.jpg`（content/towns/rose/cover.jpg）没有这个文件" in (
        "\n".join(problems)
    )
    assert any(
        p.startswith("content/towns/rose.md:19: gallery: `rose/chart.png`") and "无法作为 PNG、JPEG 或 WebP 图片读取" in p for p in problems
    )
    assert any(p.startswith("content/parks/stray.webp: 是没有任何条目使用的图片") for p in problems)


def test_a_draft_s_pictures_are_not_strays_in_a_production_build(project):
    project.edit("content/towns/hidden.md", "draft: true\n", "draft: true\n" + COVER.replace("rose/", "hidden/"))
    project.write("content/towns/hidden/cover.jpg", jpeg())
    project.build()
    assert not (project.site / "images").exists()


def test_a_symlink_out_of_content_is_refused(project, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    project.edit("content/towns/rose.md", "featured: true\n", "featured: true\n" + COVER)
    (project.root / "content/towns/rose").mkdir()
    (project.root / "content/towns/rose/cover.jpg").symlink_to(outside)
    assert any("不是 content/ 里的文件" in p for p in project.problems())


def test_serve_shows_a_changed_picture_and_equals_a_fresh_build(project, tree_of, tmp_path):
    from townsite.engine import Engine, build

    with_pictures(project)
    live = Engine(project.options(), live=True)
    live.build_all()
    before = (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    project.write("content/towns/rose/cover.jpg", jpeg(1000, 500))  # saved over by the editor
    live.run([project.root / "content/towns/rose/cover.jpg"])
    live.update_search()
    after = (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    assert after != before and 'width="1000" height="500"' in after
    fresh = build(project.options(out_dir=tmp_path / "fresh"))
    assert tree_of(project.site) == tree_of(tmp_path / "fresh")
    assert set(fresh.outputs) == set(live.current)
