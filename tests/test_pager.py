"""A list's pager shows the first and last pages and those near the current one, so a page of
a long list stays short (and the whole list linear in its length)."""

from __future__ import annotations

import re

import pytest

from townsite.templating import PAGER_NEAR, pager_window


@pytest.mark.parametrize(
    ("count", "number", "shown"),
    [
        (1, 1, [1]),
        (5, 3, [1, 2, 3, 4, 5]),
        (7, 1, [1, 2, 3, None, 7]),
        (8, 4, [1, 2, 3, 4, 5, 6, 7, 8]),  # a gap of one page shows the page
        (20, 10, [1, None, 8, 9, 10, 11, 12, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_the_window_holds_the_ends_and_the_neighbours(count, number, shown):
    assert pager_window(count, number) == shown


def test_every_page_is_reachable_and_the_window_is_bounded():
    for count in range(1, 60):
        for number in range(1, count + 1):
            window = pager_window(count, number)
            pages = [i for i in window if i is not None]
            assert pages == sorted(set(pages)) and {1, count, number} <= set(pages)
            assert len(window) <= 2 * PAGER_NEAR + 5


def test_a_long_list_pages_pager_is_a_window(project):
    for number in range(30):  # two a page (the fixture's per_page): 16 pages
        project.write(f"content/towns/extra-{number:02d}.md", f"---\nname: 附加小镇{number}\nslug: extra-{number:02d}\n"
                      "summary: 用于分页测试。\nprovince: 浙江\nindustries: [文化旅游]\nstatus: 运营中\n---\n\n正文。\n")  # fmt: skip
    result = project.build(base_url="https://example.org/")
    lists = sorted(p for p in result.outputs if re.fullmatch(r"towns/(page/\d+/)?index.html", p))
    assert len(lists) >= 15
    page = (project.site / "towns/page/8/index.html").read_text()
    pager = page[page.index('<nav class="pager"') :]
    pager = pager[: pager.index("</nav>")]
    numbers = [int(n) for n in re.findall(r">(\d+)</(?:a|span)>", pager)]
    assert numbers == [1, 6, 7, 8, 9, 10, len(lists)]
    assert pager.count('class="gap"') == 2 and '<span aria-current="page">8</span>' in pager
