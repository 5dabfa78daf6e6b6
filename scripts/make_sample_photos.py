"""Draw the demo's sample photos (``bot/sandbox/telegram/samples/*.jpg``) once.

Self-made illustrations, free to use (CC0). Pillow is needed only here, not at run time:
``pip install pillow && python scripts/make_sample_photos.py``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = (640, 480)
OUT = Path(__file__).resolve().parent.parent / "bot" / "sandbox" / "telegram" / "samples"


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        t = y / SIZE[1]
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE[0], y)], fill=colour)
    return image


def garden() -> Image.Image:
    """A sunny garden path between hills, with flowers."""
    image = _gradient((132, 190, 235), (220, 236, 245))
    draw = ImageDraw.Draw(image)
    draw.ellipse((470, 50, 570, 150), fill=(255, 214, 102))
    draw.ellipse((-200, 250, 420, 600), fill=(126, 178, 98))
    draw.ellipse((250, 270, 900, 640), fill=(104, 160, 84))
    draw.polygon([(300, 480), (380, 480), (330, 300), (318, 300)], fill=(214, 190, 150))
    rng = random.Random(3)
    for _ in range(90):
        x, y = rng.randrange(0, 640), rng.randrange(330, 480)
        colour = rng.choice([(240, 120, 140), (250, 220, 90), (255, 255, 255), (190, 140, 230)])
        draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=colour)
    for x in (90, 540):  # two trees
        draw.rectangle((x - 8, 230, x + 8, 320), fill=(120, 84, 60))
        draw.ellipse((x - 60, 140, x + 60, 260), fill=(80, 140, 70))
    return image


def cake() -> Image.Image:
    """A birthday cake with candles on a table."""
    image = _gradient((250, 232, 214), (240, 210, 190))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 340, 640, 480), fill=(180, 130, 100))
    draw.ellipse((150, 320, 490, 380), fill=(245, 245, 245))
    draw.rectangle((190, 220, 450, 345), fill=(250, 200, 210))
    draw.ellipse((190, 320, 450, 370), fill=(250, 200, 210))
    draw.ellipse((190, 195, 450, 245), fill=(255, 228, 235))
    for i, x in enumerate(range(225, 430, 40)):
        draw.rectangle((x - 5, 160, x + 5, 215), fill=[(120, 170, 230), (250, 210, 90)][i % 2])
        draw.ellipse((x - 8, 130, x + 8, 160), fill=(255, 180, 60))
        draw.ellipse((x - 4, 140, x + 4, 156), fill=(255, 240, 170))
    for x in range(200, 450, 22):
        draw.ellipse((x - 6, 280, x + 6, 292), fill=(220, 80, 110))
    return image


def music() -> Image.Image:
    """An afternoon of music: a guitar and floating notes."""
    image = _gradient((70, 90, 140), (190, 150, 170))
    draw = ImageDraw.Draw(image)
    draw.ellipse((170, 230, 350, 410), fill=(200, 130, 70))
    draw.ellipse((215, 160, 335, 280), fill=(200, 130, 70))
    draw.ellipse((235, 270, 285, 320), fill=(60, 40, 30))
    draw.polygon([(265, 180), (285, 180), (420, 40), (400, 30)], fill=(110, 70, 40))
    for i in range(6):
        draw.line([(262 + i * 4, 300), (405 + i * 3, 40)], fill=(235, 235, 235), width=1)
    rng = random.Random(7)
    for _ in range(9):
        x, y = rng.randrange(380, 600), rng.randrange(120, 400)
        draw.ellipse((x, y, x + 24, y + 18), fill=(255, 240, 200))
        draw.rectangle((x + 20, y - 50, x + 24, y + 8), fill=(255, 240, 200))
    return image


def flowers() -> Image.Image:
    """A vase of tulips on a windowsill."""
    image = _gradient((235, 240, 230), (210, 220, 205))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 40, 580, 330), fill=(190, 215, 235))
    draw.line([(320, 40), (320, 330)], fill=(250, 250, 250), width=10)
    draw.line([(60, 185), (580, 185)], fill=(250, 250, 250), width=10)
    draw.rectangle((0, 330, 640, 480), fill=(235, 225, 205))
    for i in range(7):
        angle = math.radians(-40 + i * 13)
        x, y = 320 + math.sin(angle) * 150, 330 - math.cos(angle) * 190
        draw.line([(320, 360), (x, y)], fill=(80, 140, 70), width=6)
        colour = [(235, 80, 100), (250, 200, 60), (240, 130, 170)][i % 3]
        draw.ellipse((x - 22, y - 30, x + 22, y + 20), fill=colour)
    draw.polygon([(270, 330), (370, 330), (390, 450), (250, 450)], fill=(90, 130, 190))
    return image


SCENES: dict[str, Callable[[], Image.Image]] = {
    "garden": garden,
    "cake": cake,
    "music": music,
    "flowers": flowers,
}


def main() -> None:
    """Write every scene as a small JPEG."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in SCENES.items():
        image = draw().filter(ImageFilter.GaussianBlur(1.2))
        path = OUT / f"{name}.jpg"
        image.save(path, "JPEG", quality=80, optimize=True)
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
