"""What each kind of entry may say: fields, their types, whether they are required.

The content guide (docs/content-guide.md) documents these for editors; keep the two in step."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .compound import COORDINATES, LINK, Picture
from .contact import CONTACT, WebUrl
from .fields import Boolean, Choice, Date, FieldType, Integer, ListOf, QuantityType, Ref, Slug, Text
from .industries import Industry, industry_field
from .needs import need_type, offer_type

PROVINCES = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
]
# Full official names are accepted and stored in their short form.
PROVINCE_ALIASES = {
    **{f"{p}市": p for p in ("北京", "天津", "上海", "重庆")},
    **{f"{p}省": p for p in PROVINCES},
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}

TOWN_STATUSES = ["规划中", "建设中", "已开园", "运营中"]
PARK_TYPES = ["产业园区", "农业基地", "养殖基地", "慈善产业园", "文旅项目", "电商平台", "开发区"]
EVENT_TYPES = ["峰会", "论坛", "会议", "仪式", "签约", "开园", "成立"]
ORG_TYPES = ["企业", "金融机构", "行业组织", "政府部门", "国际组织", "媒体", "其他"]


@dataclass(frozen=True)
class Field:
    type: FieldType
    required: bool = False
    label: str = ""  # shown in facts tables and in the content guide


@dataclass(frozen=True)
class Kind:
    """Everything townsite knows about a kind of entry, stated once: the content folder, URLs,
    labels and templates below are derived from here wherever they are needed."""

    name: str  # "town"
    folder: str  # content folder, content/<folder>/: "towns"
    label: str  # 特色小镇
    title_field: str
    template: str  # the detail page's template: "town.html"
    section: str = ""  # URL section with list pages, /<section>/; "" for kinds at /<slug>/
    count_label: str = ""  # the home page's count of this kind (default: `label`)
    fields: dict[str, Field] = field(default_factory=dict)

    def url(self, slug: str) -> str:
        return f"/{self.section}/{slug}/" if self.section else f"/{slug}/"


# The kinds, in site order (menus, sitemap, search): facts only; `kinds()` adds the fields.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("town", "towns", "特色小镇", "name", "town.html", section="towns"),
        Kind("park", "parks", "产业园区", "name", "park.html", section="parks", count_label="产业园区与项目"),
        Kind("event", "events", "活动", "title", "event.html", section="events"),
        Kind("page", "pages", "页面", "title", "page.html"),
        Kind("org", "orgs", "企业与机构", "name", "org.html", section="orgs"),
    )
}
KIND_NAMES = tuple(KINDS)
KIND_LABELS = {name: kind.label for name, kind in KINDS.items()}
# Kinds with list pages (/towns/, /parks/, /events/): name -> URL section.
LISTED = {name: kind.section for name, kind in KINDS.items() if kind.section}
SECTION_TO_KIND = {kind.folder: name for name, kind in KINDS.items()}  # content folder -> kind


def _common(title_field: str, title_label: str) -> dict[str, Field]:
    return {
        title_field: Field(Text(120), True, title_label),
        "slug": Field(Slug(), False, "网址名"),
        "summary": Field(Text(300, multiline=True), True, "简介"),
        "draft": Field(Boolean(), False, "草稿"),
    }


@dataclass(frozen=True)
class _Shared:
    """Field types several kinds use, made once per configuration."""

    program_names: list[str]
    province: FieldType
    programs: FieldType
    industries: FieldType
    pictures: dict[str, Field]  # pictures.py: a cover (cards, pages, link previews), a gallery
    dealings: dict[str, Field]  # a town's or park's needs and contact


def _place_fields(shared: _Shared) -> dict[str, Field]:
    """The fields that say where a town or park is."""
    return {
        "province": Field(shared.province, True, "省份"),
        "city": Field(Text(60), False, "城市"),
        "county": Field(Text(60), False, "区县"),
    }


def _town(shared: _Shared) -> dict[str, Field]:
    return {
        **_common("name", "名称"),
        **_place_fields(shared),
        "industries": Field(shared.industries, True, "主题产业"),
        "programs": Field(shared.programs, False, "参与工程"),
        "status": Field(Choice(TOWN_STATUSES), True, "状态"),
        "opened": Field(Date(), False, "开园日期"),
        "coordinates": Field(COORDINATES, False, "坐标"),
        "links": Field(ListOf(LINK), False, "相关链接"),
        "featured": Field(Boolean(), False, "首页推荐"),
        **shared.pictures,
        **shared.dealings,
    }


def _park(shared: _Shared) -> dict[str, Field]:
    return {
        **_common("name", "名称"),
        **_place_fields(shared),
        "park_type": Field(Choice(PARK_TYPES), True, "类型"),
        "industries": Field(shared.industries, True, "主导产业"),
        "anchors": Field(ListOf(Text(120)), False, "龙头项目与企业"),
        "town": Field(Ref("town"), False, "所属小镇"),
        "programs": Field(shared.programs, False, "参与工程"),
        "area": Field(QuantityType(["亩", "万亩", "公顷", "平方公里"]), False, "面积"),
        "investment": Field(QuantityType(["万元", "亿元"]), False, "投资额"),
        "links": Field(ListOf(LINK), False, "相关链接"),
        **shared.pictures,
        **shared.dealings,
    }


def _event(shared: _Shared) -> dict[str, Field]:
    return {
        **_common("title", "标题"),
        "date": Field(Date(), True, "日期"),
        "end": Field(Date(), False, "结束日期"),
        "event_type": Field(Choice(EVENT_TYPES), True, "类型"),
        "venue": Field(Text(120), False, "场馆"),
        "city": Field(Text(60), False, "城市"),
        "province": Field(shared.province, False, "省份"),
        "organizers": Field(ListOf(Text(120)), False, "主办与承办"),
        "towns": Field(ListOf(Ref("town")), False, "相关小镇"),
        "parks": Field(ListOf(Ref("park")), False, "相关园区与项目"),
        "programs": Field(shared.programs, False, "相关工程"),
        "links": Field(ListOf(LINK), False, "相关链接"),
        **shared.pictures,
    }


def _page(shared: _Shared) -> dict[str, Field]:
    return {
        **_common("title", "标题"),
        "summary": Field(Text(300, multiline=True), False, "简介"),
        "program": Field(Choice(shared.program_names), False, "介绍的工程"),
        "menu": Field(Integer(1, 99), False, "导航栏位置"),
        "founders": Field(ListOf(Ref("org")), False, "发起单位"),
        "supporters": Field(ListOf(Ref("org")), False, "支持与参与单位"),
    }


def _org(shared: _Shared) -> dict[str, Field]:
    return {
        **_common("name", "名称"),
        "type": Field(Choice(ORG_TYPES), True, "类型"),
        "province": Field(shared.province, False, "省份"),
        "city": Field(Text(60), False, "城市"),
        "country": Field(Text(60), False, "国家或地区"),
        "industries": Field(shared.industries, False, "产业领域"),
        "programs": Field(shared.programs, False, "参与工程"),
        "towns": Field(ListOf(Ref("town")), False, "参与的小镇"),
        "parks": Field(ListOf(Ref("park")), False, "参与的园区与项目"),
        "website": Field(WebUrl(), False, "网站"),
        "contact": Field(CONTACT, False, "联系方式"),
        "offers": Field(offer_type(shared.industries, PROVINCES, PROVINCE_ALIASES), False, "合作意向"),
        "links": Field(ListOf(LINK), False, "相关链接"),
        **shared.pictures,
    }


_FIELDS = {"town": _town, "park": _park, "event": _event, "page": _page, "org": _org}


def kinds(program_names: list[str], vocabulary: tuple[Industry, ...] = ()) -> dict[str, Kind]:
    """The schemas; programs and industries are declared in the site configuration, so they
    are passed in."""
    industries = industry_field(vocabulary)
    shared = _Shared(
        program_names,
        province=Choice(PROVINCES, PROVINCE_ALIASES),
        programs=ListOf(Choice(program_names)),
        industries=industries,
        pictures={"cover": Field(Picture(), False, "封面图"), "gallery": Field(ListOf(Picture()), False, "图集")},
        dealings={
            "seeking": Field(need_type(industries), False, "招商需求"),
            "contact": Field(CONTACT, False, "联系方式"),
        },
    )
    return {name: replace(kind, fields=_FIELDS[name](shared)) for name, kind in KINDS.items()}


# Fixed slugs: pinyin alone would give 山西 and 陕西 the same one.
PROVINCE_SLUGS = dict(
    zip(
        PROVINCES,
        [
            "beijing",
            "tianjin",
            "hebei",
            "shanxi",
            "neimenggu",
            "liaoning",
            "jilin",
            "heilongjiang",
            "shanghai",
            "jiangsu",
            "zhejiang",
            "anhui",
            "fujian",
            "jiangxi",
            "shandong",
            "henan",
            "hubei",
            "hunan",
            "guangdong",
            "guangxi",
            "hainan",
            "chongqing",
            "sichuan",
            "guizhou",
            "yunnan",
            "xizang",
            "shaanxi",
            "gansu",
            "qinghai",
            "ningxia",
            "xinjiang",
            "hongkong",
            "macau",
            "taiwan",
        ],
        strict=True,
    )
)
# Pages live at /<slug>/, so a page slug may not be any top-level name the site writes itself:
# its sections and taxonomies, the features' folders (timeline, search), and the stems of its
# files (sitemap.xml, robots.txt, feed.xml, events.ics, 404.html), which would read as the same
# address. tests/test_broken_input.py checks this list against every path a build writes.
RESERVED_PAGE_SLUGS = frozenset(
    [
        "towns",
        "parks",
        "events",
        "pages",
        "provinces",
        "programs",
        "industries",
        "search",
        "timeline",
        "static",
        "page",
        "404",
        "feed",
        "feeds",
        "calendar",
        "sitemap",
        "robots",
        "index",
        "images",
        "assets",
        "orgs",
        "duijie",
        "data",
    ]
)
