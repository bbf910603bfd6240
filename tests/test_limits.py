"""limits.unpublishable: the first character no page, feed or terminal may carry, wherever it
is and whatever else the text holds (characters beyond U+FFFF are searched separately)."""

from __future__ import annotations

import pytest

from townsite.limits import unpublishable

ASTRAL_NONCHARACTERS = [chr(plane * 0x10000 + low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF)]


@pytest.mark.parametrize("bad", ["\U0001fffe", "\U0010ffff", "\U0008fffe"])
@pytest.mark.parametrize("around", ["", "正文", "𠀀汉字𪚥", "a\u202eb"])
def test_a_noncharacter_beyond_the_basic_plane_is_found_among_any_text(bad, around):
    text = around + bad + around
    found = unpublishable(text)
    assert found is not None and found[0] == len(around) and f"U+{ord(bad):X}" in found[1]


def test_the_earliest_bad_character_is_named_whichever_plane_it_is_in():
    assert unpublishable("𠀀\U0001fffe正\x01") == (1, unpublishable("\U0001fffe")[1])
    assert unpublishable("正\x01𠀀\U0001fffe")[0] == 1


def test_characters_beyond_the_basic_plane_that_are_not_noncharacters_pass():
    assert unpublishable("𠀀𪚥\U0001f600" + "".join(chr(ord(c) - 2) for c in ASTRAL_NONCHARACTERS)) is None
    assert all(unpublishable(c) is not None for c in ASTRAL_NONCHARACTERS)
