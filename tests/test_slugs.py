from __future__ import annotations

import pytest

from townsite.fields import SLUG_RE
from townsite.slugs import slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("西吉长征胜利会师和平玫瑰小镇", "xi-ji-chang-zheng-sheng-li-hui-shi-he-ping-mei-gui-xiao-zhen"),
        ("丽江九色玫瑰小镇", "li-jiang-jiu-se-mei-gui-xiao-zhen"),
        ("重庆 AB-12", "chong-qing-ab-12"),  # 重 read as chong in 重庆
        ("ＡＢＣ１２３", "abc123"),  # full-width folded
        ("Café 长江", "cafe-chang-jiang"),
        ("！！！", ""),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_long_names_are_cut_at_a_word_boundary():
    slug = slugify("中国企业园区国际合作联盟" * 5)
    assert len(slug) <= 80 and SLUG_RE.fullmatch(slug)
    assert not slug.endswith("-")
