"""镇企对接 on a small site: the vocabulary, orgs linked both ways, needs and offers with their
推荐对接, contacts, the /duijie/ directory and its filter pages, the footer and the home page."""

from __future__ import annotations

import json
import re

import pytest
from conftest import Project, copy_project

VOCABULARY = """industries:
  - {name: 玫瑰种植, slug: mei-gui-zhong-zhi, aliases: [玫瑰产业]}
  - {name: 文化旅游, slug: wen-hua-lv-you, aliases: [文旅]}
  - {name: 油用牡丹, slug: you-yong-mu-dan}
  - {name: 产业扶贫, slug: chan-ye-fu-pin}
operator: 测试联盟
contact:
  email: hello@example.org
  phone: 400-123-4567
icp: 京ICP备12345678号-1
copyright: © 测试展示平台
"""
ORG = """---
name: 测试银行
slug: test-bank
summary: 一家银行。
type: 金融机构
province: 北京
industries: [文旅]
website: https://bank.example.com/
contact:
  person: 王先生
  phone: [010-12345678, 13912345678, +86 951 1234567 转 88]
  email: duijie@bank.example.com
offers:
  - title: 文旅项目投资
    industries: [文旅, 产业扶贫]
    partners: [投资方, 金融服务]
    regions: [宁夏, 云南]
    scale: 5000万元-2亿元
  - title: 全国扶贫融资
    industries: [产业扶贫]
    partners: [金融服务]
    regions: [全国]
---

测试银行的正文。
"""
OTHER = """---
name: 贵州企业
slug: gui-zhou-qi-ye
summary: 只在贵州合作。
type: 企业
offers:
  - title: 贵州文旅
    industries: [文化旅游]
    partners: [投资方]
    regions: [贵州]
---
"""
SEEKING = """seeking:
  - title: 文旅运营招商
    industries: [文化旅游, 玫瑰产业]
    partners: [投资方]
    description: 寻找文旅项目的投资方。
    status: open
    updated: 2016-11-18
  - title: 已签约项目
    industries: [文化旅游]
    partners: [投资方]
    status: closed
    updated: 2016-11-18
contact:
  phone: 0954-1234567
  email: invest@example.org
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Project:
    project = copy_project("mini", tmp_path_factory.mktemp("duijie"))
    project.edit("content/site.yaml", "programs:", VOCABULARY + "programs:")
    project.write("content/orgs/test-bank.md", ORG)
    project.write("content/orgs/gui-zhou-qi-ye.md", OTHER)
    project.edit("content/towns/rose.md", "featured: true\n", "featured: true\n" + SEEKING)
    project.edit(
        "content/events/summit.md", "organizers: [测试联盟, 中国企业报集团]", "organizers: [test-bank, 测试联盟]"
    )
    project.edit("content/pages/program.md", "program:", "founders: [test-bank]\nprogram:")
    project.build()
    return project


def page(project: Project, url: str) -> str:
    return project.read("site/" + url.strip("/") + ("/index.html" if not url.endswith(".html") else ""))


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_alias_is_stored_as_its_category_and_industry_pages_list_every_kind(site):
    html = page(site, "/industries/wen-hua-lv-you/")
    assert "测试银行" in html and "玫瑰小镇" in html and "湖畔小镇" in html
    assert not (site.site / "industries/wen-lv").exists()
    assert "/industries/mei-gui-zhong-zhi/" in page(site, "/towns/mei-gui-xiao-zhen/")


def test_an_org_page_lists_its_events_programs_offers_and_matches(site):
    html = text(page(site, "/orgs/test-bank/"))
    assert "扶贫峰会" in html  # an event that names it as organizer
    assert "百企百村互助行动 发起单位" in html  # a program page that names it as founder
    assert "文旅项目投资" in html and "5000万元—2亿元" in html
    assert (
        "推荐对接 玫瑰小镇 ：文旅运营招商 共同产业：文化旅游；合作方式：投资方；同属：百企百村互助行动；意向地区：宁夏"
        in html
    )


def test_an_event_links_its_org_organizer_and_keeps_plain_text_ones(site):
    html = page(site, "/events/summit/")
    assert '<a href="/orgs/test-bank/">测试银行</a>' in html
    assert "测试联盟" in html


def test_the_town_sees_who_fits_and_why_and_closed_needs_are_history(site):
    raw = page(site, "/towns/mei-gui-xiao-zhen/")
    html = text(raw)
    assert "测试银行 ：文旅项目投资 共同产业：文化旅游；合作方式：投资方" in html
    assert "贵州企业" not in html  # its region does not fit
    history = raw.split('id="need-2"')[1].split("</article>")[0]
    assert "已结束" in history and "不再参与推荐对接" in history
    assert "<h4>推荐对接</h4>" not in history


def test_contacts_are_links_and_schema_org_contact_points(site):
    html = page(site, "/orgs/test-bank/")
    assert '<a href="tel:+861012345678">010-12345678</a>' in html
    assert '<a href="tel:+8613912345678">13912345678</a>' in html
    assert 'href="tel:+869511234567;ext=88"' in html
    assert '<a href="mailto:duijie@bank.example.com">' in html
    ld = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    org = next(item for item in ld if item["@type"] == "Organization")
    assert org["contactPoint"][0]["telephone"] == "+861012345678"
    assert org["contactPoint"][0]["email"] == "duijie@bank.example.com"
    assert 'href="tel:+869541234567"' in page(site, "/towns/mei-gui-xiao-zhen/")


def test_the_directory_lists_open_needs_and_offers_with_filter_pages_and_counts(site):
    html = page(site, "/duijie/")
    assert html.count('class="duijie-row duijie-') == 4  # one open need, three offers; the closed need is not listed
    assert "已签约项目" not in html
    assert re.search(r'href="/duijie/partner/tou-zi-fang/">投资方</a> <span class="count">3</span>', html)
    assert re.search(r'href="/duijie/province/quan-guo/">全国</a> <span class="count">1</span>', html)
    need_page = page(site, "/duijie/side/need/")
    assert need_page.count('class="duijie-row duijie-') == 1 and "文旅运营招商" in need_page
    guizhou = page(site, "/duijie/province/guizhou/")
    assert guizhou.count('class="duijie-row duijie-') == 1 and "贵州文旅" in guizhou
    assert 'data-industry="wen-hua-lv-you mei-gui-zhong-zhi"' in html
    assert "/static/duijie." in html and "/static/duijie." not in guizhou  # in-place filtering: the full list only


def test_every_page_has_the_footer_with_the_icp_link(site):
    for url in ("/", "/orgs/test-bank/", "/duijie/", "/data/"):
        html = page(site, url)
        assert '<a href="https://beian.miit.gov.cn/" rel="noopener">京ICP备12345678号-1</a>' in html
        assert "主办单位：测试联盟" in html and "© 测试展示平台" in html
        assert 'href="mailto:hello@example.org"' in html


def test_home_counts_orgs_and_open_needs_and_shows_needs_when_nothing_is_upcoming(site, tmp_path):
    html = text(page(site, "/"))
    assert "2 企业与机构" in html and "1 征集中的需求" in html
    assert "即将举行" in html  # the fixture has an upcoming event
    site.build(out_dir=tmp_path / "later", today=__import__("datetime").date(2031, 1, 1))
    later = text((tmp_path / "later/index.html").read_text(encoding="utf-8"))
    assert "最新对接需求" in later and "即将举行" not in later and "文旅运营招商" in later


def test_sitemap_lists_the_new_pages(site):
    sitemap = site.read("site/sitemap.xml")
    for url in ("/orgs/", "/orgs/test-bank/", "/duijie/", "/duijie/side/need/", "/data/", "/timeline/org/test-bank/"):
        assert f"https://example.org{url}<" in sitemap


def test_search_indexes_orgs_with_their_offers(site):
    from townsite.search.documents import KIND_LABELS, search_doc

    assert KIND_LABELS["org"] == "企业与机构"
    result = site.build(write=False)
    bank = next(e for e in result.site.entries["org"] if e.slug == "test-bank")
    doc = search_doc(bank)
    assert doc.kind == "org" and "文旅项目投资" in doc.texts["meta"] and "金融机构" in doc.display["when"]


def test_same_content_same_bytes(site, tmp_path):
    again = copy_project("mini", tmp_path)
    for rel in ("content/site.yaml", "content/orgs/test-bank.md", "content/orgs/gui-zhou-qi-ye.md",
                "content/towns/rose.md", "content/events/summit.md", "content/pages/program.md"):  # fmt: skip
        again.write(rel, site.read(rel))
    again.build()
    for url in ("/duijie/", "/orgs/test-bank/", "/towns/mei-gui-xiao-zhen/", "/data/offers.csv"):
        rel = "site/" + (url.strip("/") if "." in url else url.strip("/") + "/index.html")
        assert again.read(rel) == site.read(rel)


def test_industries_are_grouped_as_the_vocabulary_says():
    from types import SimpleNamespace

    from townsite.industries import Industry, group_terms

    vocabulary = (Industry("玫瑰种植", "a", (), "农业"), Industry("电商", "b", (), "服务业"), Industry("文旅", "c"))
    terms = [SimpleNamespace(name=n) for n in ("电商", "文旅", "玫瑰种植")]
    grouped = [(group, [t.name for t in items]) for group, items in group_terms(terms, vocabulary)]
    assert grouped == [("农业", ["玫瑰种植"]), ("服务业", ["电商"]), ("其他", ["文旅"])]
    assert [g for g, _ in group_terms(terms, ())] == [""]  # no vocabulary: one list, no headings


def test_an_offer_edit_updates_the_matches_on_pages_that_do_not_name_the_org(site, tmp_path, tree_of):
    """The town page does not show the org's file, only its match: a live rebuild must still
    re-render it (the page's fingerprint carries what 推荐对接 shows), and equal a fresh build."""
    from townsite.engine import Engine, build

    project = copy_project("mini", tmp_path / "live")
    for rel in ("content/site.yaml", "content/orgs/test-bank.md", "content/orgs/gui-zhou-qi-ye.md",
                "content/towns/rose.md", "content/events/summit.md", "content/pages/program.md"):  # fmt: skip
        project.write(rel, site.read(rel))
    live = Engine(project.options(), live=True)
    live.build_all()
    town = project.site / "towns/mei-gui-xiao-zhen/index.html"
    assert "贵州企业" not in town.read_text(encoding="utf-8")
    project.edit("content/orgs/gui-zhou-qi-ye.md", "regions: [贵州]", "regions: [贵州, 宁夏]")
    live.run([])
    assert "贵州企业" in town.read_text(encoding="utf-8")
    build(project.options(out_dir=tmp_path / "fresh"))
    assert tree_of(project.site) == tree_of(tmp_path / "fresh")
