"""Small placeholder logos (initials on a coloured band) so the demo's documents show a header
and a funders' strip as real ones would."""

from __future__ import annotations

import io


def logo_png(initials: str, colour: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (240, 120), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=64)
    box = draw.textbbox((0, 0), initials, font=font)
    x = (240 - (box[2] - box[0])) / 2 - box[0]
    y = (120 - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), initials, fill="white", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
