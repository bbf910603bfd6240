"""showcase.py and the visitor-facing finish: the HTML sitemap, the province filter of the
timeline, empty home blocks left out."""

from __future__ import annotations


def test_the_footer_links_an_html_sitemap_listing_every_entry_and_the_feed_addresses(project):
    result = project.build()
    sitemap = (project.site / "sitemap/index.html").read_text()
    for entry in result.site.all_entries():
        assert f'<a href="{entry.url}">' in sitemap, entry
    assert "<code>https://example.org/feed.xml</code>" in sitemap
    for page in project.site.rglob("*.html"):
        html = page.read_text()
        assert 'href="/sitemap.xml"' not in html, page  # never sent to raw XML
    assert '<a href="/sitemap/">网站地图</a>' in (project.site / "index.html").read_text()


def test_a_province_filter_also_shows_events_of_its_towns_and_parks(project):
    project.edit("content/events/summit.md", "province: 宁夏\n", "")
    project.build()
    ningxia = (project.site / "timeline/province/ningxia/index.html").read_text()
    assert 'id="e-summit"' in ningxia  # no province of its own: found through its town
    assert 'data-province="ningxia"' in (project.site / "timeline/index.html").read_text().split('id="e-summit"')[1]


def test_the_phone_header_folds_the_navigation_behind_one_details_button(project):
    project.build()
    html = (project.site / "index.html").read_text()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    assert header.count("<details") == 1 and "<summary>菜单</summary>" in header
    assert header.index("<details") < header.index('<nav class="site-nav"') < header.index("</details>")
