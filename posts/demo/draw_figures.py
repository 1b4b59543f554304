"""Draw the demo posts' raster figures into static/demo/ (run once; the PNGs are committed).

python posts/demo/draw_figures.py
"""

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[2] / "static" / "demo"
INK = (40, 44, 52)
GRID = (215, 218, 224)


def double_descent(path: Path) -> None:
    """Test error against model size: the classic U, then a peak and a second descent."""
    width, height, pad = 640, 360, 48
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i in range(5):
        y = pad + i * (height - 2 * pad) / 4
        draw.line([(pad, y), (width - pad, y)], fill=GRID)
    draw.line([(pad, height - pad), (width - pad, height - pad)], fill=INK, width=2)
    draw.line([(pad, pad), (pad, height - pad)], fill=INK, width=2)

    def test_error(x: float) -> float:
        u_shape = 0.55 * (x - 0.3) ** 2 + 0.25
        peak = 0.45 * math.exp(-(((x - 0.5) / 0.05) ** 2))
        tail = 0.18 / (1 + math.exp(-(x - 0.5) * 30))
        return u_shape + peak - tail

    def train_error(x: float) -> float:
        return max(0.0, 0.6 * (1 - x / 0.5)) + 0.02

    for curve, colour in ((test_error, (200, 60, 60)), (train_error, (50, 110, 190))):
        points = []
        for step in range(201):
            x = step / 200
            y = min(curve(x), 0.95)
            points.append((pad + x * (width - 2 * pad), height - pad - y * (height - 2 * pad)))
        draw.line(points, fill=colour, width=3)
    threshold = pad + 0.5 * (width - 2 * pad)
    for y in range(pad, height - pad, 12):
        draw.line([(threshold, y), (threshold, y + 6)], fill=INK)
    draw.text((threshold + 6, pad), "interpolation threshold", fill=INK)
    draw.text((width - pad - 90, height - pad + 12), "model size", fill=INK)
    draw.text((pad + 6, pad - 20), "error", fill=INK)
    draw.text((width - pad - 70, pad + 40), "test", fill=(200, 60, 60))
    draw.text((width - pad - 70, pad + 56), "train", fill=(50, 110, 190))
    image.save(path, optimize=True)


def randomized_scenes(path: Path) -> None:
    """A 4x3 contact sheet of one toy scene under random colours, lights and camera shifts."""
    rng = random.Random(2019)
    cell, cols, rows = 150, 4, 3
    image = Image.new("RGB", (cols * cell, rows * cell), "white")
    draw = ImageDraw.Draw(image)
    for row in range(rows):
        for col in range(cols):
            x0, y0 = col * cell, row * cell
            light = rng.randint(120, 255)
            floor = tuple(rng.randint(40, light) for _ in range(3))
            draw.rectangle([x0 + 4, y0 + 4, x0 + cell - 4, y0 + cell - 4], fill=floor)
            dx, dy = rng.randint(-18, 18), rng.randint(-12, 12)
            table = tuple(rng.randint(60, 255) for _ in range(3))
            draw.rectangle(
                [x0 + 25 + dx, y0 + 80 + dy, x0 + 125 + dx, y0 + 95 + dy], fill=table, outline=INK
            )
            cube = tuple(rng.randint(0, 255) for _ in range(3))
            size = rng.randint(18, 30)
            cx = x0 + 60 + dx + rng.randint(-10, 30)
            draw.rectangle([cx, y0 + 80 + dy - size, cx + size, y0 + 80 + dy], fill=cube)
            for _ in range(rng.randint(1, 3)):  # distractor shapes
                colour = tuple(rng.randint(0, 255) for _ in range(3))
                px, py = x0 + rng.randint(15, cell - 30), y0 + rng.randint(110, cell - 20)
                draw.ellipse([px, py, px + 14, py + 14], fill=colour)
    image.save(path, optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    double_descent(OUT / "double-descent.png")
    randomized_scenes(OUT / "randomized-scenes.png")
