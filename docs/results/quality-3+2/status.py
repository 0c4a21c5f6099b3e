"""Issue 17's status table (docs/benchmarks.md §12, "Where the issue stands"): every protocol cell, today's defaults.

Reads the runs' summary.json files under this folder (or, for a run whose folder was lost before it was
committed, its row in the folder's results.csv, which the sweep wrote from that summary) and prints one markdown row
per cell: final accuracy as mean ± sample standard deviation over seeds 1-3, DTP against the best other method, and
whether the difference exceeds the two standard deviations together (the rule of SeedStats.separatedFrom).

Run: python3 docs/results/quality-3+2/status.py
"""
import csv
import json
import os
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))
OTHERS = ('gmp', 'magnitude', 'cpot')


def table_rows(folder):
    """The folder's results.csv as {(model, method, sparsity, seed): final accuracy}."""
    path = os.path.join(HERE, folder, 'results.csv')
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {(r['model'], r['method'], r['targetSparsity'], int(r['seed'])): float(r['finalAccuracy'])
                for r in csv.DictReader(f)}


def accuracies(folder, model, method, sparsity):
    """Final accuracy in percent of each seed's run that exists."""
    out = []
    rows = table_rows(folder)
    for seed in (1, 2, 3):
        path = os.path.join(HERE, folder, f'{model}-fmnist-{method}-{sparsity}-s{seed}', 'summary.json')
        if os.path.exists(path):
            with open(path) as f:
                out.append(100 * json.load(f)['finalAccuracy'])
        elif (model, method, sparsity, seed) in rows:
            out.append(100 * rows[model, method, sparsity, seed])
    return out


def stats(values):
    """(mean, sample std, n), or None without runs."""
    if not values:
        return None
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0, len(values)


def shown(s, best):
    if s is None:
        return ''
    text = f'{s[0]:.2f} ± {s[1]:.2f}' if s[2] > 1 else f'{s[0]:.2f}'
    if s[2] < 3:
        text += f' ({s[2]} seed{"s" if s[2] > 1 else ""})'
    return f'**{text}**' if best else text


def cells():
    """(label, model, sparsity, {method: folder}, where the raw runs are)."""
    # dtp's weight runs since session 29 take the score step on the host (prune/HostScoreStep: the same arithmetic,
    # rounded in another order), rerun on the Zen 5 into their own folders; gmp and magnitude do not use it
    for sp in ('0.95', '0.98', '0.99'):
        # 0.95 ran under the convolution guard on the Zen 5 (session 18); 0.98 and 0.99 on the Intel Xeon (session 19)
        folder = 'unstructured-guarded' if sp == '0.95' else 'unstructured-intel'
        folders = {'dtp': 'unstructured-host-step-lenet5', 'gmp': folder, 'magnitude': folder}
        yield f'lenet5 weights {sp}', 'lenet5', sp, folders, f'`unstructured-host-step-lenet5/` (dtp), `{folder}/`'
    for sp in ('0.95', '0.98', '0.99'):
        folder = 'unstructured-mlp-one-thread'
        folders = {'dtp': 'unstructured-host-step-mlp-300-100', 'gmp': folder, 'magnitude': folder}
        yield (f'mlp-300-100 weights {sp}', 'mlp-300-100', sp, folders,
               f'`unstructured-host-step-mlp-300-100/` (dtp), `{folder}/`')
    for model in ('vgg-small', 'resnet20'):
        for budget, word, sparsities in (('params', 'params', ('0.7', '0.8', '0.9')), ('flops', 'FLOPs', ('0.5', '0.7'))):
            for sp in sparsities:
                # dtp's runs with τ implicit (the channels' default since session 23) sit in their own folder
                folders = {'dtp': f'channels-{budget}-tau-implicit', **dict.fromkeys(OTHERS, f'channels-{budget}')}
                raw = f'`channels-{budget}-tau-implicit/` (dtp), `channels-{budget}/`'
                if (model, budget, sp) == ('resnet20', 'flops', '0.7'):
                    # the AMD Zen 5: session 25 ran the whole cell; sessions 26-27 ran dtp again with its soft channel
                    # masks folded into the BatchNorms (exact, rounding differently). The other methods enforce hard
                    # masks in the weights, untouched by that change: their reruns there (gmp s1-s3, magnitude s1)
                    # logged the same loss at every step and the same summary as session 25's
                    folders = {'dtp': 'channels-flops-zen5-bn-scale', **dict.fromkeys(OTHERS, 'channels-flops-zen5')}
                    raw = '`channels-flops-zen5-bn-scale/` (dtp), `channels-flops-zen5/`'
                yield f'{model} channels {round(float(sp) * 100)}% {word}', model, sp, folders, raw
    for sp in ('0.34', '0.5', '0.67'):
        folders = {'dtp': 'blocks-budget-gradient', 'gmp': 'blocks', 'magnitude': 'blocks'}
        yield f'resnet20 blocks, count {sp}', 'resnet20', sp, folders, '`blocks-budget-gradient/` (dtp), `blocks/`'


def main():
    print('| cell | dtp | gmp | magnitude | cpot | dtp − best other | verdict | raw |')
    print('|---|---:|---:|---:|---:|---:|---|---|')
    for label, model, sp, folders, raw in cells():
        s = {m: stats(accuracies(folder, model, m, sp)) for m, folder in folders.items()}
        ran = {m: v for m, v in s.items() if v}
        top = max(ran, key=lambda m: ran[m][0]) if ran else None
        columns = [shown(s.get(m), m == top) for m in ('dtp',) + OTHERS]
        others = {m: v for m, v in ran.items() if m != 'dtp'}
        if 'dtp' not in ran or not others:
            print(f'| {label} | ' + ' | '.join(columns) + ' | | not run | |')
            continue
        best = max(others, key=lambda m: others[m][0])
        d, b = ran['dtp'], others[best]
        diff = d[0] - b[0]
        if d[2] >= 2 and b[2] >= 2 and abs(diff) > d[1] + b[1]:
            verdict = 'DTP leads' if diff > 0 else f'{best} leads'
        else:
            verdict = 'level'
        if d[2] < 3 or b[2] < 3:
            verdict += ' (so far)'
        print(f'| {label} | ' + ' | '.join(columns) + f' | {diff:+.2f} ({best}) | {verdict} | {raw} |'.replace(' -', ' −'))


if __name__ == '__main__':
    main()
