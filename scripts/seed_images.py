"""Draw the seed content's illustrative pictures with Pillow: a title card for each town and park
(name, place, kind) and simple charts of figures the source articles give. They are drawings,
labelled 示意图, never photographs; nothing is fetched. Run once after changing the list below:

    python scripts/seed_images.py          # writes content/<section>/<slug>/*.png

Needs a CJK font (Debian: fonts-wqy-zenhei)."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
SIZE = (1200, 630)  # the link-preview shape
ROSE, INK, PAPER, TINT, MUTED = "#9f1239", "#1f2328", "#ffffff", "#fdf2f4", "#57606a"

# (file, kind label, name, place line, note)
CARDS = [
    (
        "towns/xi-ji-he-ping-mei-gui-xiao-zhen/cover.png",
        "特色小镇",
        "西吉长征胜利会师和平玫瑰小镇",
        "宁夏回族自治区固原市西吉县",
        "玫瑰产业 · 红色文化 · 产业扶贫",
    ),
    (
        "towns/li-jiang-jiu-se-mei-gui-xiao-zhen/cover.png",
        "特色小镇",
        "丽江九色玫瑰小镇",
        "云南省丽江市",
        "2016年10月1日开园",
    ),
    (
        "towns/jiang-yin-he-ping-mei-gui-te-se-xiao-zhen/cover.png",
        "特色小镇",
        "江阴和平玫瑰特色小镇",
        "江苏省无锡市江阴市",
        "玫瑰产业 · 玫瑰文化",
    ),
    (
        "parks/ning-xia-ji-de-ci-shan-chan-ye-yuan/cover.png",
        "慈善产业园",
        "宁夏吉德慈善产业园",
        "宁夏回族自治区固原市西吉县",
        "2016年11月18日签约",
    ),
    (
        "parks/an-ge-si-rou-niu-fu-pin-fan-yu-ji-di/cover.png",
        "养殖基地",
        "安格斯肉牛扶贫繁育基地及加工项目",
        "宁夏回族自治区固原市西吉县",
        "2016年11月18日签约",
    ),
    (
        "parks/xi-ji-dian-shang-fu-pin-yun-ying-ping-tai/cover.png",
        "电商平台",
        "西吉电商扶贫运营平台",
        "宁夏回族自治区固原市西吉县",
        "2016年11月18日签约",
    ),
    (
        "parks/you-yong-mu-dan-fu-pin-zhong-zhi-ji-di/cover.png",
        "农业基地",
        "20万亩油用牡丹扶贫种植基地及加工项目",
        "宁夏回族自治区固原市西吉县",
        "规划面积 20万亩",
    ),
    (
        "parks/zhong-guo-jiang-jun-ji-nian-guan-jian-she-gong-cheng/cover.png",
        "文旅项目",
        "中国将军纪念馆及长征胜利会师和平玫瑰小镇建设工程",
        "宁夏回族自治区固原市西吉县",
        "2016年11月18日签约",
    ),
]
# (file, title, bars of (label, value, unit), source note): figures as the articles give them.
SOURCE = "据《中国企业报》"
CHARTS = [
    (
        "events/he-ping-mei-gui-yuan-qu-jian-she-ji-hua-fa-qi/cover.png",
        "美丽中国“双百”玫瑰园区（乡村）工程的目标",
        [("产业园区", 100, "家"), ("乡村", 100, "个"), ("发起企业及组织", 19, "家")],
        f"{SOURCE}2016年6月26日发起时的报道",
    ),
    (
        "towns/li-jiang-jiu-se-mei-gui-xiao-zhen/gallery-targets.png",
        "“双十双百工程”推广丽江经验的目标",
        [("产业园区或特色乡村", 200, "个"), ("丝路沿线国家或地区", 20, "个")],
        f"{SOURCE}关于“千企千镇工程”的报道",
    ),
    (
        "towns/xi-ji-he-ping-mei-gui-xiao-zhen/gallery-projects.png",
        "首届中国企业扶贫（西吉）峰会签约",
        [("“一对一”签约的项目", 5, "项"), ("合作项目投资额（超过）", 140, "亿元")],
        "2016年11月18日；金额为全部合作项目合计",
    ),
]


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def wrap(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=face) > width:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def frame(kicker: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", SIZE, TINT)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, SIZE[1]), fill=ROSE)
    for i, r in enumerate((210, 150, 90)):  # a plain rose-like mark of circles, clearly drawn
        draw.ellipse((1010 - r, 150 - r, 1010 + r, 150 + r), outline="#f4b6c4", width=10 - i * 2)
    draw.text((80, 60), kicker, fill=ROSE, font=font(40))
    draw.rounded_rectangle((1010, 560, 1170, 612), 8, fill=PAPER, outline=MUTED, width=2)
    draw.text((1090, 586), "示意图", fill=MUTED, font=font(28), anchor="mm")
    return image, draw


def card(kicker: str, name: str, place: str, note: str) -> Image.Image:
    image, draw = frame(kicker)
    y = 140
    for line in wrap(draw, name, font(76), 980)[:3]:
        draw.text((80, y), line, fill=INK, font=font(76))
        y += 96
    draw.text((80, y + 30), place, fill=INK, font=font(40))
    draw.text((80, y + 90), note, fill=MUTED, font=font(34))
    return image


def chart(title: str, bars: list[tuple[str, int, str]], note: str) -> Image.Image:
    """Bars on one scale when the figures share a unit; otherwise each figure as a big number
    (bars of different units side by side would invite a comparison the figures do not allow)."""
    image, draw = frame("图表" if len({unit for _l, _v, unit in bars}) == 1 else "数字")
    draw.text((80, 120), title, fill=INK, font=font(48))
    top = max(value for _label, value, _unit in bars)
    for i, (label, value, unit) in enumerate(bars):
        if len({u for _l, _v, u in bars}) == 1:
            y = 220 + i * 120
            draw.text((80, y), label, fill=INK, font=font(34))
            length = int(700 * value / top)
            draw.rectangle((80, y + 48, 80 + length, y + 92), fill=ROSE)
            draw.text((100 + length, y + 70), f"{value} {unit}", fill=INK, font=font(38), anchor="lm")
        else:
            x = 80 + i * (1000 // len(bars))
            draw.text((x, 250), str(value), fill=ROSE, font=font(120))
            width = draw.textlength(str(value), font=font(120))
            draw.text((x + width + 10, 330), unit, fill=INK, font=font(44))
            for j, line in enumerate(wrap(draw, label, font(34), 1000 // len(bars) - 40)):
                draw.text((x, 410 + j * 46), line, fill=INK, font=font(34))
    draw.text((80, 590), note, fill=MUTED, font=font(26), anchor="lm")
    return image


def save(image: Image.Image, relative: str) -> None:
    path = ROOT / "content" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    # Few flat colours: a palette PNG keeps each file to a few tens of KB.
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def main() -> int:
    for relative, kicker, name, place, note in CARDS:
        save(card(kicker, name, place, note), relative)
    for relative, title, bars, note in CHARTS:
        save(chart(title, bars, note), relative)
    return 0


if __name__ == "__main__":
    sys.exit(main())
