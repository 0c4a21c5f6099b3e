#!/usr/bin/python3
"""Writes full Fashion-MNIST's IDX files in two other sample orders: /tmp/fm-sorted (class by class, stable: the
order of the PNG folders `otprune data export` writes) and /tmp/fm-rev (reversed). Test sets unchanged.
Then: otprune train --model lenet5 --data /tmp/fm-sorted --epochs 2 --seed 1 (docs/benchmarks.md §8)."""
import gzip, os, struct
import numpy as np

src = '/usr/share/datasets/fashion-mnist'
for d in ('fm-sorted', 'fm-rev'):
    os.makedirs(f'/tmp/{d}', exist_ok=True)
for split in ('train', 't10k'):
    img = gzip.open(f'{src}/{split}-images-idx3-ubyte.gz').read()
    lab = gzip.open(f'{src}/{split}-labels-idx1-ubyte.gz').read()
    X = np.frombuffer(img, np.uint8, offset=16).reshape(-1, 784)
    Y = np.frombuffer(lab, np.uint8, offset=8)
    for d, order in (('fm-sorted', np.argsort(Y, kind='stable')), ('fm-rev', np.arange(len(Y))[::-1])):
        if split == 't10k':
            order = np.arange(len(Y))
        open(f'/tmp/{d}/{split}-images-idx3-ubyte', 'wb').write(struct.pack('>IIII', 0x803, len(Y), 28, 28) + X[order].tobytes())
        open(f'/tmp/{d}/{split}-labels-idx1-ubyte', 'wb').write(struct.pack('>II', 0x801, len(Y)) + Y[order].tobytes())
