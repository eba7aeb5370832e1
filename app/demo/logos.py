"""Placeholder logos for the demo, drawn like real institutional ones: a coloured emblem with the
initials and, beside it, the body's name in its colour, so the demo's headers and funders'
strips look as they would with a real entity's logos."""

from __future__ import annotations

import io
import textwrap
from typing import Any

# Drawn large and scaled down when printed, so they stay sharp at 300 dpi.
_H = 160
_EMBLEM = 132


def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    from app.paths import resource_path

    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    try:
        return ImageFont.truetype(str(resource_path("fonts", name)), size)
    except OSError:  # fonts missing in a stripped build: still a usable logo
        return ImageFont.load_default(size=size)


def logo_png(initials: str, colour: str, name: str = "") -> bytes:
    """A PNG logo: the emblem alone, or emblem and name in up to two lines when a name is
    given."""
    from PIL import Image, ImageDraw

    # The body itself, not its department: "Generalitat de Catalunya – Departament de ..."
    lines = textwrap.wrap(name.split(" – ")[0], 22)[:2] if name else []
    name_font = _font(44 if len(lines) < 2 else 38, bold=True)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    text_w = max((probe.textlength(line, font=name_font) for line in lines), default=0)
    width = _EMBLEM + 16 + (int(text_w) + 28 if lines else 0)
    image = Image.new("RGBA", (width, _H), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    # Emblem: a rounded square with a lighter band, the initials in white.
    top = (_H - _EMBLEM) // 2
    box = (8, top, 8 + _EMBLEM, top + _EMBLEM)
    draw.rounded_rectangle(box, radius=26, fill=colour)
    draw.rounded_rectangle(
        (box[0] + 10, box[3] - 30, box[2] - 10, box[3] - 18), radius=6, fill=(255, 255, 255, 150)
    )
    font = _font(56 if len(initials) < 3 else 44, bold=True)
    bbox = draw.textbbox((0, 0), initials, font=font)
    x = box[0] + (_EMBLEM - (bbox[2] - bbox[0])) / 2 - bbox[0]
    y = top + (_EMBLEM - 30 - (bbox[3] - bbox[1])) / 2 - bbox[1] + 4
    draw.text((x, y), initials, fill="white", font=font)
    # The name beside it, vertically centred.
    line_h = 50 if len(lines) < 2 else 46
    y = (_H - line_h * len(lines)) / 2 - 6
    for line in lines:
        draw.text((_EMBLEM + 30, y), line, fill=colour, font=name_font)
        y += line_h
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
