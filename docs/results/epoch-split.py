"""Where each epoch's seconds went, for the run folders given: a markdown table from metrics.jsonl.

Every epoch event (since session 28) carries a `split`: seconds waiting for batches (data), in the forward and
backward pass with the method's masks on the graph (fwd+bwd), in the weights' optimizer update (update), in the
pruning method's own per-step work outside the graph (method: scores, transport solve, statistics, events), and in
the end-of-epoch test (eval); "other" is the epoch's seconds less their sum. docs/design.md §3 says more. Runs
written before the split have no such field and print only their seconds.

Run: python3 docs/results/epoch-split.py RUN_DIR [RUN_DIR ...]   (a run folder holds metrics.jsonl; a sweep's
--out folder holds one per run, which are all read)
"""
import json
import os
import sys

PARTS = ['data', 'forwardBackward', 'update', 'method', 'evaluation']


def runs(paths):
    for p in paths:
        if os.path.exists(os.path.join(p, 'metrics.jsonl')):
            yield p
        else:
            for d in sorted(os.listdir(p)):
                if os.path.exists(os.path.join(p, d, 'metrics.jsonl')):
                    yield os.path.join(p, d)


def main(paths):
    print('| run | phase | epoch | seconds | data | fwd+bwd | update | method | eval | other |')
    print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for run in runs(paths):
        with open(os.path.join(run, 'metrics.jsonl')) as f:
            for line in f:
                e = json.loads(line)
                if e.get('type') != 'epoch':
                    continue
                split = e.get('split')
                if split is None and isinstance(e.get('time'), dict):
                    # dtp-cost/resnet20-flops-1plus1-zen5-split/pair1-*: written by a build that named it "time"
                    split = e['time']
                cells = ['%.1f' % split[k] for k in PARTS] if split else [''] * len(PARTS)
                other = e['seconds'] - sum(split[k] for k in PARTS) if split else None
                print('| %s | %s | %d | %.1f | %s | %s |' % (os.path.basename(run), e['phase'], e['epoch'],
                                                         e['seconds'], ' | '.join(cells),
                                                         '' if other is None else '%.1f' % other))


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
