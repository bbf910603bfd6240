"""`townsite new KIND NAME`: a new content file at the right place, with the pinyin slug, the
build date where a date belongs, and every required field present as a placeholder that
`check` rejects until an editor fills it in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .fields import PLACEHOLDER
from .i18n import _
from .problems import UNPRINTABLE
from .schema import KINDS, ORG_TYPES, PROVINCES, TOWN_STATUSES, kinds
from .slugs import slugify

HOW = f"字段说明见 docs/content-guide.md；把所有“{PLACEHOLDER}”换成真实内容，再运行 python build.py check。"
SECTIONS = {name: kind.folder for name, kind in KINDS.items()}


class ScaffoldError(Exception):
    pass


def yaml_scalar(text: str) -> str:
    """`text` as a YAML value that reads back as exactly `text`: quoted when it holds `: `, ` #`,
    starts with `[`, `*`, a quote, ... (PyYAML decides), plain otherwise."""
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _town(name: str, common: list[str], today: dt.date) -> list[str]:
    p = PLACEHOLDER
    return [
        f"# 特色小镇。{HOW}",
        f"name: {name}",
        *common,
        f"summary: {p}  # 必填：一两句话的简介（300 字以内）",
        f"province: {p}  # 必填：省份简称，如 {PROVINCES[29]}",
        "city:  # 可选：城市，如 固原市",
        "county:  # 可选：区县，如 西吉县",
        f"industries: [{p}]  # 必填：主题产业，如 [玫瑰种植, 文化旅游]",
        "programs: []  # 可选：参与的工程，名称见 content/site.yaml",
        f"status: {p}  # 必填：{'、'.join(TOWN_STATUSES)} 之一",
        "opened:  # 可选：开园日期，写作 YYYY-MM-DD",
    ]


def _park(name: str, common: list[str], today: dt.date) -> list[str]:
    p = PLACEHOLDER
    park_types = "、".join(kinds([])["park"].fields["park_type"].type.options)  # type: ignore[attr-defined]
    return [
        f"# 产业园区或项目。{HOW}",
        f"name: {name}",
        *common,
        f"summary: {p}  # 必填：一两句话的简介",
        f"province: {p}  # 必填：省份简称",
        "city:  # 可选：城市",
        f"park_type: {p}  # 必填：{park_types} 之一",
        f"industries: [{p}]  # 必填：主导产业",
        "anchors: []  # 可选：龙头项目或企业",
        "town:  # 可选：所属小镇的网址名（slug）",
        "area:  # 可选：面积，如 20万亩",
        "investment:  # 可选：投资额，如 140亿元",
    ]


def _event(name: str, common: list[str], today: dt.date) -> list[str]:
    p = PLACEHOLDER
    event_types = "、".join(kinds([])["event"].fields["event_type"].type.options)  # type: ignore[attr-defined]
    return [
        f"# 活动。{HOW}",
        f"title: {name}",
        *common,
        f"summary: {p}  # 必填：一两句话的简介",
        f"date: {today.isoformat()}  # 必填：开始日期 YYYY-MM-DD（默认为今天，请核对）",
        "end:  # 可选：多日活动的结束日期",
        f"event_type: {p}  # 必填：{event_types} 之一",
        "venue:  # 可选：场馆",
        "city:  # 可选：城市",
        "province:  # 可选：省份简称",
        "organizers: []  # 可选：主办、承办单位",
        "towns: []  # 可选：相关小镇的网址名",
        "parks: []  # 可选：相关园区的网址名",
        "programs: []  # 可选：相关工程",
    ]


def _org(name: str, common: list[str], today: dt.date) -> list[str]:
    p = PLACEHOLDER
    return [
        f"# 企业与机构。{HOW}",
        f"name: {name}",
        *common,
        f"summary: {p}  # 必填：一两句话的简介，只写资料中有的事实",
        f"type: {p}  # 必填：{'、'.join(ORG_TYPES)} 之一",
        "province:  # 可选：所在省份简称；境外机构改填 country",
        "city:  # 可选：城市",
        "industries: []  # 可选：产业领域，名称见 content/site.yaml 的 industries",
        "programs: []  # 可选：参与的工程",
        "website:  # 可选：网站，以 https:// 或 http:// 开头",
        "offers: []  # 可选：合作意向，写法见 docs/content-guide.md",
    ]


def _page(name: str, common: list[str], today: dt.date) -> list[str]:
    return ["# 页面。字段说明见 docs/content-guide.md。", f"title: {name}", *common, "summary:  # 可选：一两句话的简介"]


# The front matter `new` writes for each kind: every required field, the common optional ones.
_FRONT = {"town": _town, "park": _park, "event": _event, "org": _org, "page": _page}


def _front_lines(kind: str, name: str, slug: str, today: dt.date) -> list[str]:
    common = [f"slug: {slug}  # 网址名 /{{section}}/{slug}/：只能用小写字母、数字和连字符"]
    return _FRONT[kind](yaml_scalar(name), common, today)


def new_entry(root: Path, kind: str, name: str, today: dt.date) -> Path:
    if kind not in SECTIONS:
        raise ScaffoldError(_("unknown kind `{kind}`: use one of {kinds}").format(kind=kind, kinds=", ".join(SECTIONS)))
    name = name.strip()
    if UNPRINTABLE.search(name) or "\n" in name or "\t" in name:
        raise ScaffoldError(_("the name holds a line break, a control or another character that cannot be "
                              "published; type it again"))  # fmt: skip
    slug = slugify(name)
    if not name or not slug:
        raise ScaffoldError(
            _("cannot make a slug from `{name}`: give a name with letters or Chinese characters").format(name=name)
        )
    section = SECTIONS[kind]
    path = root / "content" / section / f"{slug}.md"
    if path.exists():
        message = _("{path} already exists; edit it, or choose another name")
        raise ScaffoldError(message.format(path=path.relative_to(root).as_posix()))
    lines = [line.replace("{section}", section) for line in _front_lines(kind, name, slug, today)]
    body = "正文用 Markdown 书写：几段文字，必要时用 `##` 小标题、列表或表格。"
    if kind in ("town", "park", "event", "org"):
        body = f"{PLACEHOLDER}：{body}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n", encoding="utf-8")
    return path
