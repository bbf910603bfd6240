"""Deterministic benchmark corpus: N entries in townsite's own schema (about 50% towns, 20%
parks, 30% events) with realistic Chinese bodies of 400-800 characters, headings, lists, a
table now and then, two to five links to other entries or programs in every body (as in the
real content), cross-references, and real provinces and programs.

    python bench/corpus.py OUT_DIR --entries 5000 [--seed 7] [--hugo HUGO_DIR]

OUT_DIR becomes a townsite project (content/, templates/ and static/ copied from this repo).
With --hugo, the same records are also written as a Hugo content tree."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from townsite.schema import EVENT_TYPES, PARK_TYPES, PROVINCES, TOWN_STATUSES  # noqa: E402

PROGRAMS = ["千企千镇工程", "双十双百工程", "一带一路和平玫瑰园区建设计划", "百企百村互助行动"]
PROGRAM_SLUGS = ["qian-qi-qian-zhen", "shuang-shi-shuang-bai", "he-ping-mei-gui-yuan-qu", "bai-qi-bai-cun"]
PLACES = [
    "青山",
    "白水",
    "金川",
    "玉泉",
    "石门",
    "龙口",
    "凤岭",
    "桃源",
    "柳湾",
    "梅溪",
    "松林",
    "竹海",
    "花溪",
    "云台",
    "星湖",
    "月牙",
    "清河",
    "红岩",
    "银滩",
    "紫荆",
]
SUFFIX = ["镇", "乡", "村", "湾", "坪", "岭", "口", "桥", "塘", "庄"]
THEMES = ["玫瑰", "茶叶", "牡丹", "花椒", "葡萄", "苹果", "中药材", "竹编", "陶瓷", "丝绸", "刺绣", "温泉", "滑雪", "民宿", "康养", "电商", "物流", "智能制造", "新材料", "新能源", "数字经济", "文化旅游", "体育休闲", "农产品加工", "生态农业", "科技教育"]  # fmt: skip
INDUSTRY_SUFFIX = ["种植", "加工", "产业", "旅游", "文化", "服务"]
ORGS = ["中国企业联合会", "中国企业家协会", "中国城镇化促进会", "国家开发银行", "中国光大银行",
        "《中国企业报》集团", "中国企业园区国际合作联盟", "中国循环经济协会", "丝绸之路国际总商会"]  # fmt: skip
VENUES = ["会议中心", "国际会展中心", "宾馆会议厅", "文化中心", "产业园区展示馆"]
SENTENCES = [
    "{place}地处{province}，气候温和，{theme}资源丰富，当地把{theme}作为主导产业来培育。",
    "近年来，{place}围绕{theme}发展“业态叠加”，把种植、加工、文旅创意和健康养老结合在一起。",
    "按照“政府引导、企业主体、市场化运作”的思路，{place}与多家企业签订了合作协议。",
    "{org}多次组织企业到{place}考察，推动镇企双方在{theme}领域开展合作。",
    "当地依托信息服务平台实现供需对接，企业与小镇可以双向选择、共同打造合作品牌。",
    "{place}的基础设施不断完善，交通、通信和公共服务配套日益齐全，吸引了不少返乡创业者。",
    "围绕产业发展和城镇功能提升两个重点，{place}培育了{theme}等特色优势产业。",
    "项目建成后预计带动周边{number}户农户增收，帮助贫困村和贫困户稳定脱贫。",
    "{place}还计划建设{theme}主题展示馆，集中展示当地的历史文化和产业成果。",
    "在{year}年的论坛上，{org}介绍了{place}的做法，认为其经验值得推广。",
    "园区内已有{number}家企业入驻，涵盖{theme}、现代物流和电子商务等行业。",
    "为了保护生态环境，{place}坚持绿色发展，推进循环经济和节能减排。",
]  # fmt: skip


@dataclass
class Record:
    kind: str
    slug: str
    title: str
    fields: dict[str, object]
    body: str
    refs: dict[str, list[str]] = field(default_factory=dict)


def _body(rng: random.Random, ctx: dict[str, str], length: tuple[int, int] = (400, 800)) -> str:
    target = rng.randint(*length)
    parts: list[str] = []
    size = 0
    headings = ["## 概况", "## 产业发展", "## 合作与项目", "## 下一步"]
    rng.shuffle(headings)
    while size < target:
        if parts and rng.random() < 0.25 and headings:
            parts.append(headings.pop())
        paragraph = "".join(
            rng.choice(SENTENCES).format(**ctx, number=rng.randint(20, 900), year=rng.randint(2015, 2026))
            for _ in range(rng.randint(2, 4))
        )
        parts.append(paragraph)
        size += len(paragraph)
        if rng.random() < 0.15:
            items = rng.sample(THEMES, 3)
            parts.append("\n".join(f"- {item}{rng.choice(INDUSTRY_SUFFIX)}" for item in items))
        if rng.random() < 0.08:
            parts.append("| 项目 | 规模 |\n| --- | --- |\n" + "\n".join(
                f"| {rng.choice(THEMES)}{rng.choice(INDUSTRY_SUFFIX)} | {rng.randint(1, 90)}亿元 |" for _ in range(3)))  # fmt: skip
    return "\n\n".join(parts)


def generate(entries: int, seed: int = 7) -> list[Record]:
    rng = random.Random(seed)
    n_towns, n_parks = entries // 2, entries // 5
    n_events = entries - n_towns - n_parks
    records: list[Record] = []
    towns: list[Record] = []
    parks: list[Record] = []
    for i in range(n_towns):
        province = rng.choice(PROVINCES)
        place = rng.choice(PLACES) + rng.choice(SUFFIX)
        theme = rng.choice(THEMES)
        title = f"{province}{place}{theme}小镇"
        ctx = {"place": place, "province": province, "theme": theme, "org": rng.choice(ORGS)}
        fields = {
            "name": title, "slug": f"town-{i:05d}", "summary": f"位于{province}的{theme}主题特色小镇，{place}以{theme}产业带动乡村发展。",
            "province": province, "city": f"{rng.choice(PLACES)}市", "industries": sorted({f"{theme}{rng.choice(INDUSTRY_SUFFIX)}", rng.choice(THEMES)}),
            "programs": sorted(rng.sample(PROGRAMS, rng.randint(0, 2))), "status": rng.choice(TOWN_STATUSES),
        }  # fmt: skip
        if rng.random() < 0.4:
            fields["opened"] = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4000))
        towns.append(Record("town", fields["slug"], title, fields, _body(rng, ctx)))
    for i in range(n_parks):
        town = rng.choice(towns)
        province = town.fields["province"]
        theme = rng.choice(THEMES)
        title = f"{province}{rng.choice(PLACES)}{theme}{rng.choice(['产业园', '示范园区', '种植基地', '加工园'])}"
        ctx = {"place": title, "province": province, "theme": theme, "org": rng.choice(ORGS)}
        fields = {
            "name": title, "slug": f"park-{i:05d}", "summary": f"{province}的{theme}产业园区，聚集{theme}相关企业。",
            "province": province, "park_type": rng.choice(PARK_TYPES), "industries": [f"{theme}{rng.choice(INDUSTRY_SUFFIX)}"],
            "anchors": [f"{rng.choice(PLACES)}{theme}有限公司"], "programs": sorted(rng.sample(PROGRAMS, rng.randint(0, 1))),
            "area": f"{rng.randint(1, 50)}万亩" if rng.random() < 0.5 else f"{rng.randint(1, 30)}平方公里",
            "investment": f"{rng.randint(1, 200)}亿元",
        }  # fmt: skip
        if rng.random() < 0.7:
            fields["town"] = town.slug
        parks.append(Record("park", fields["slug"], title, fields, _body(rng, ctx)))
    events: list[Record] = []
    for i in range(n_events):
        town = rng.choice(towns)
        province = town.fields["province"]
        theme = rng.choice(THEMES)
        kind = rng.choice(EVENT_TYPES)
        start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4300))
        title = f"{start.year}年{province}{theme}产业发展{kind}（第{i + 1}届）"
        ctx = {"place": town.fields["name"], "province": province, "theme": theme, "org": rng.choice(ORGS)}
        fields = {
            "title": title, "slug": f"event-{i:05d}", "summary": f"{start.year}年在{province}举办的{theme}主题{kind}，镇企代表共商合作。",
            "date": start, "event_type": kind, "city": f"{rng.choice(PLACES)}市", "province": province,
            "venue": f"{rng.choice(PLACES)}{rng.choice(VENUES)}", "organizers": sorted(rng.sample(ORGS, 2)),
            "towns": [town.slug], "programs": sorted(rng.sample(PROGRAMS, rng.randint(0, 2))),
        }  # fmt: skip
        if rng.random() < 0.2:
            fields["end"] = start + dt.timedelta(days=rng.randint(1, 3))
        if parks and rng.random() < 0.5:
            fields["parks"] = [rng.choice(parks).slug]
        events.append(Record("event", fields["slug"], title, fields, _body(rng, ctx)))
    records = towns + parks + events
    _link_bodies(records, random.Random(seed + 2))
    return records


def _link_bodies(records: list[Record], rng: random.Random) -> None:
    """Like the real content (every body links about four other entries or programs, and some
    names are bold): two to five links per body, put at the end of random paragraphs."""
    sections = {"town": "towns", "park": "parks", "event": "events"}
    for record in records:
        blocks = record.body.split("\n\n")
        paragraphs = [i for i, block in enumerate(blocks) if block[0] not in "#-|"]
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.25:
                number = rng.randrange(len(PROGRAMS))
                link = f"[{PROGRAMS[number]}](/programs/{PROGRAM_SLUGS[number]}/)"
            else:
                other = rng.choice(records)
                link = f"[{other.title}](/{sections[other.kind]}/{other.slug}/)"
            blocks[rng.choice(paragraphs)] += f"详见{link}。"
        if rng.random() < 0.3:
            blocks[rng.choice(paragraphs)] += f"**{rng.choice(ORGS)}**参与了相关工作。"
        record.body = "\n\n".join(blocks)


PARTNERS = ["投资方", "运营方", "技术", "渠道", "金融服务", "对接服务"]
ORG_TYPES = ["企业", "金融机构", "行业组织"]


def add_duijie(records: list[Record], orgs: int, seed: int = 7) -> list[Record]:
    """镇企对接 on top of a corpus: `orgs` orgs with one or two offers each, and needs on about
    40% of the towns and parks (a third of them closed)."""
    rng = random.Random(seed + 1)

    def industries(count: int) -> list[str]:
        return sorted({f"{rng.choice(THEMES)}{rng.choice(INDUSTRY_SUFFIX)}" for _ in range(count)})

    for record in records:
        if record.kind in ("town", "park") and rng.random() < 0.4:
            need = {"title": f"{record.title[:20]}招商", "industries": industries(2),
                    "partners": rng.sample(PARTNERS, 2), "status": "closed" if rng.random() < 0.33 else "open",
                    "updated": dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))}  # fmt: skip
            record.fields["seeking"] = [need]
    added = []
    for i in range(orgs):
        theme = rng.choice(THEMES)
        title = f"{rng.choice(PLACES)}{theme}{rng.choice(['有限公司', '集团', '投资基金', '协会'])}"
        offers = [{"title": f"{theme}合作", "industries": industries(3), "partners": rng.sample(PARTNERS, 2),
                   "regions": ["全国"] if rng.random() < 0.2 else sorted(rng.sample(PROVINCES, 2))}
                  for _ in range(rng.randint(1, 2))]  # fmt: skip
        fields = {"name": title, "slug": f"org-{i:05d}", "summary": f"{theme}领域的{rng.choice(ORG_TYPES)}。",
                  "type": rng.choice(ORG_TYPES), "province": rng.choice(PROVINCES), "offers": offers}  # fmt: skip
        ctx = {"place": title, "province": fields["province"], "theme": theme, "org": rng.choice(ORGS)}
        added.append(Record("org", fields["slug"], title, fields, _body(rng, ctx)))
    return records + added


def _yaml_value(value: object) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):  # needs and offers
        return "".join("\n  - " + "\n    ".join(f"{k}: {_yaml_value(v)}" for k, v in item.items()) for item in value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return '"' + text.replace('"', '\\"') + '"' if any(c in text for c in ":#[]{},&*!|>'\"%@`") else text


SECTIONS = {"town": "towns", "park": "parks", "event": "events", "org": "orgs"}


def write_townsite(records: list[Record], out: Path) -> None:
    shutil.rmtree(out / "content", ignore_errors=True)
    for name in ("templates", "static"):
        shutil.rmtree(out / name, ignore_errors=True)
        shutil.copytree(REPO / name, out / name)
    content = out / "content"
    for section in SECTIONS.values():
        (content / section).mkdir(parents=True)
    (content / "pages").mkdir()
    programs = "\n".join(f"  - name: {n}\n    slug: {s}" for n, s in zip(PROGRAMS, PROGRAM_SLUGS, strict=True))
    (content / "site.yaml").write_text(
        "title: 基准测试站点\ndescription: 用于性能测试的生成内容。\nbase_url: https://example.org/\n"
        f"per_page: 20\nprograms:\n{programs}\n",
        encoding="utf-8",
    )
    for record in records:
        lines = ["---", *(f"{k}: {_yaml_value(v)}" for k, v in record.fields.items()), "---", "", record.body, ""]
        (content / SECTIONS[record.kind] / f"{record.slug}.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--orgs", type=int, default=0, help="that many of the entries are orgs, with needs and offers")
    args = parser.parse_args()
    records = generate(args.entries - args.orgs, args.seed)
    if args.orgs:
        records = add_duijie(records, args.orgs, args.seed)
    write_townsite(records, args.out)
    print(f"wrote {len(records)} entries to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
