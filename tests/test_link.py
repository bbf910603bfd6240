"""References between entries resolve both ways; taxonomies gather what carries each term."""

from __future__ import annotations


def test_references_resolve_to_entries_and_create_backlinks(project):
    site = project.build(write=False).site
    town = site.by_key[("town", "mei-gui-xiao-zhen")]
    park = site.by_key[("park", "peony-base")]
    summit = site.by_key[("event", "summit")]
    assert park.town is town
    assert summit.towns == [town] and summit.parks == [park]
    assert town.related("park") == [park]
    assert town.related("event") == [summit]
    assert park.related("event") == [summit]
    assert park.related("town") == [town]
    assert summit.related("town") == [town]


def test_drafts_are_excluded_from_production_and_shown_in_preview(project):
    assert ("town", "hidden") not in project.build(write=False).site.by_key
    preview = project.build(write=False, include_drafts=True).site
    assert preview.by_key[("town", "hidden")].draft
    assert "/towns/hidden/" in {p.url for p in project.build(write=False, include_drafts=True).pages}


def test_taxonomies_collect_terms_with_fixed_province_slugs(project):
    site = project.build(write=False).site
    provinces = {t.name: t for t in site.taxonomies["province"].terms}
    assert provinces["宁夏"].url == "/provinces/ningxia/"
    assert {e.slug for e in provinces["宁夏"].entries} == {"mei-gui-xiao-zhen", "peony-base", "summit"}
    programs = site.taxonomies["program"].terms
    assert [t.name for t in programs] == ["千企千镇工程", "百企百村互助行动"]  # configuration order
    assert programs[1].page.slug == "bai-qi-bai-cun-xing-dong"
    industries = {t.name: t.slug for t in site.taxonomies["industry"].terms}
    assert industries["油用牡丹"] == "you-yong-mu-dan"


def test_homophone_terms_get_distinct_slugs(project):
    project.edit("content/towns/lake-town.md", "industries: [文化旅游]", "industries: [文化旅游, 文化旅游业, 纹化旅游]")
    terms = project.build(write=False).site.taxonomies["industry"].terms
    slugs = [t.slug for t in terms]
    assert len(slugs) == len(set(slugs))
    assert {"wen-hua-lv-you", "wen-hua-lv-you-2"} <= set(slugs)


def test_slug_is_derived_from_the_chinese_name(project):
    site = project.build(write=False).site
    assert site.by_key[("town", "mei-gui-xiao-zhen")].source == "content/towns/rose.md"
