# Per-op time per step of two libtorch profiler traces (top-level ops only, 5 traced steps each), sorted by the
# difference: what the DTP step adds to the plain step. Usage: python3 op-diff.py dtp-trace.json.gz plain-trace.json.gz
import collections, gzip, json, sys

def agg(f):
    with (gzip.open if f.endswith('.gz') else open)(f, 'rt') as fh:
        d = json.load(fh)
    ev = d['traceEvents'] if isinstance(d, dict) else d
    ops = sorted((e for e in ev if e.get('ph') == 'X'), key=lambda e: (e.get('tid'), e['ts'], -e['dur']))
    top, end = [], {}
    for e in ops:
        t = e.get('tid')
        if t in end and e['ts'] < end[t]:
            continue
        top.append(e)
        end[t] = e['ts'] + e['dur']
    c, n = collections.Counter(), collections.Counter()
    for e in top:
        c[e['name']] += e['dur'] / 5000
        n[e['name']] += 0.2
    return c, n

a, an = agg(sys.argv[1])
b, bn = agg(sys.argv[2])
print('first %.2f ms/step, second %.2f (under the profiler)' % (sum(a.values()), sum(b.values())))
print('%7s %7s %7s  %4s %4s  op' % ('first', 'second', 'diff', 'n1', 'n2'))
for k in sorted(set(a) | set(b), key=lambda k: -(a[k] - b[k]))[:25]:
    print('%7.3f %7.3f %+7.3f  %4.1f %4.1f  %s' % (a[k], b[k], a[k] - b[k], an[k], bn[k], k))
