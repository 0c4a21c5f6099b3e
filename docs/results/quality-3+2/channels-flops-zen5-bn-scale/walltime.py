"""DTP's wall time against GMP's in this folder (resnet20, channels at 70% of the FLOPs, 3 + 2 epochs).

The runs were taken one at a time, DTP and GMP alternated by seed (dtp s2, gmp s2, dtp s3, gmp s3; seed 1 in
session 26), so a drift of the machine's speed shows in both methods' fine-tune epochs, which do the same work.
Prints per run: each epoch's seconds (metrics.jsonl), the run's seconds (summary.json), and per seed the ratios
DTP ÷ GMP of the whole run, of the prune epochs, and of the fine-tune epochs (the same work in both: a ratio far
from 1 there is the machine, not the method).

Run: python3 docs/results/quality-3+2/channels-flops-zen5-bn-scale/walltime.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def run(method, seed):
    d = os.path.join(HERE, f'resnet20-fmnist-{method}-0.7-s{seed}')
    if not os.path.exists(os.path.join(d, 'summary.json')):
        return None
    with open(os.path.join(d, 'summary.json')) as f:
        s = json.load(f)
    prune, tune = [], []
    with open(os.path.join(d, 'metrics.jsonl')) as f:
        for line in f:
            e = json.loads(line)
            if e['type'] == 'epoch':
                (prune if e['phase'] == 'prune' else tune).append(e['seconds'])
    return {'acc': 100 * s['finalAccuracy'], 'run': s['seconds'], 'prune': prune, 'tune': tune}


def main():
    print('| seed | method | final | prune epochs, s | fine-tune epochs, s | run, s |')
    print('|---|---|---:|---|---|---:|')
    ratios = []
    for seed in (1, 2, 3):
        r = {m: run(m, seed) for m in ('dtp', 'gmp')}
        for m, v in r.items():
            if v:
                print(f"| {seed} | {m} | {v['acc']:.2f} | {', '.join(f'{x:.1f}' for x in v['prune'])} | "
                      f"{', '.join(f'{x:.1f}' for x in v['tune'])} | {v['run']:.0f} |")
        if r['dtp'] and r['gmp']:
            d, g = r['dtp'], r['gmp']
            ratios.append((seed, d['run'] / g['run'], sum(d['prune']) / sum(g['prune']),
                           min(d['prune']) / min(g['prune']), sum(d['tune']) / sum(g['tune'])))
    print()
    print('| seed | run DTP ÷ GMP | prune epochs (sum) | fastest prune epoch | fine-tune epochs (same work) |')
    print('|---|---:|---:|---:|---:|')
    for seed, a, b, c, t in ratios:
        print(f'| {seed} | {a:.2f} | {b:.2f} | {c:.2f} | {t:.2f} |')


if __name__ == '__main__':
    main()
