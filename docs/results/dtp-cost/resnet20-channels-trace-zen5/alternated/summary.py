"""Step times of `bench overhead` (resnet20, channels at 70% of the FLOPs) before and after the BN-folded channel
masks: processes old-1, new-1, old-2, ... ran one after the other on the same machine. Per jar and variant, the
medians of the 30 steps of each round (2 rounds a process, 3 processes), their minimum and their median.

Run: python3 docs/results/dtp-cost/resnet20-channels-trace-zen5/alternated/summary.py
"""
import json
import os
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))
rows = {}
for jar in ('old', 'new'):
    for i in (1, 2, 3):
        with open(os.path.join(HERE, f'{jar}-{i}.json')) as f:
            for r in json.load(f)['results']:
                rows.setdefault(r['variant'], {}).setdefault(jar, []).extend(r['roundMedians'])
print('| variant | jar | round medians, ms / step | min | median |')
print('|---|---|---|---:|---:|')
for variant, by in rows.items():
    for jar, v in by.items():
        print(f'| {variant} | {jar} | {", ".join(f"{x:.0f}" for x in v)} | {min(v):.0f} | {statistics.median(v):.0f} |')
