#!/usr/bin/env python3
"""Draws assets/icon.png (256x256): a grid of units on a dark tile, most pruned (dim), a few kept (warm), as the
mask heatmap colours them. Standard library only (zlib PNG writer), so it runs anywhere Python does."""
import random, struct, zlib, sys, os

N = 256
random.seed(7)
bg, tile = (0x1B, 0x1E, 0x4D), 8
px = [[(0, 0, 0, 0)] * N for _ in range(N)]
R = 36  # corner radius
for y in range(N):
    for x in range(N):
        cx = min(max(x, R), N - 1 - R); cy = min(max(y, R), N - 1 - R)
        if (x - cx) ** 2 + (y - cy) ** 2 <= R * R:
            px[y][x] = bg + (255,)
cells = 8
margin, gap = 40, 6
size = (N - 2 * margin - (cells - 1) * gap) // cells
for i in range(cells):
    for j in range(cells):
        kept = random.random() < 0.28
        col = (0xFD, 0xC8, 0x26) if kept else (0x3A, 0x3E, 0x70)
        x0, y0 = margin + j * (size + gap), margin + i * (size + gap)
        for y in range(y0, y0 + size):
            for x in range(x0, x0 + size):
                px[y][x] = col + (255,)
raw = b"".join(b"\x00" + bytes(c for p in row for c in p) for row in px)
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "assets", "icon.png")
open(out, "wb").write(png)
print("wrote", out, len(png), "bytes")
