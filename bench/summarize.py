#!/usr/bin/env python3
"""Summarise bench/run.sh results: medians of every (scenario, tool) and
side-by-side ratios (taken within each repetition, then the median). CPU is
user + system time of the process and the children it waited for (all of
parallel-ssh's ssh processes); it is far less noisy than wall time on a
shared machine."""
import csv, os, statistics, sys

out = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(out, 'raw.tsv')), delimiter='\t'))
by = {}
for r in rows:
    by.setdefault((r['scenario'], r['tool']), {})[r['rep']] = r

def cpu(r):
    return float(r['user_s'] or 0) + float(r['sys_s'] or 0)

def med(sc, tool, key='elapsed_s'):
    if key == 'cpu':
        v = [cpu(r) for r in by.get((sc, tool), {}).values()]
    else:
        v = [float(r[key]) for r in by.get((sc, tool), {}).values() if r[key]]
    return statistics.median(v) if v else None

def ratio(sc, num, den, sc_den=None):
    a, b = by.get((sc, num), {}), by.get((sc_den or sc, den), {})
    v = [float(a[k]['elapsed_s']) / float(b[k]['elapsed_s']) for k in a if k in b and float(b[k]['elapsed_s']) > 0]
    return statistics.median(v) if v else None

def failed(sc, tool):
    return sum(1 for r in by.get((sc, tool), {}).values() if r['rc'] not in ('0', '1'))

def f(x, fmt='%.2f'):
    return '–' if x is None else fmt % x

def mb(sc, tool):
    v = med(sc, tool, 'rss_kb')
    return '–' if v is None else '%.0f MB' % (v / 1024)

tools = ['ftktui'] + (['ftktui-alt'] if any(t == 'ftktui-alt' for _, t in by) else [])
reps = max((len(v) for v in by.values()), default=0)
print('commit %s, %d repetition(s), medians; ratios are per repetition, then median\n'
      % (open(os.path.join(out, 'commit')).read().strip(), reps))
print('| scenario | tool | ftktui s | parallel-ssh s | floor s | peer ÷ ftktui | ftktui ÷ floor | ftktui RSS | peer RSS | floor RSS | CPU s ftktui / peer / floor |')
print('|---|---|---|---|---|---|---|---|---|---|---|')
scen = sorted({s for s, _ in by}, key=lambda s: (s.rstrip('0123456789'), int(''.join(c for c in s if c.isdigit()) or 0)))
for sc in scen:
    for t in tools:
        if (sc, t) not in by:
            continue
        print('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s |' % (
            sc, t, f(med(sc, t)), f(med(sc, 'parallel-ssh')), f(med(sc, 'floor')),
            f(ratio(sc, 'parallel-ssh', t)), f(ratio(sc, t, 'floor')), mb(sc, t), mb(sc, 'parallel-ssh'), mb(sc, 'floor'),
            f(med(sc, t, 'cpu')), f(med(sc, 'parallel-ssh', 'cpu')), f(med(sc, 'floor', 'cpu'))))
bad = [(s, t, failed(s, t)) for s, t in by if failed(s, t)]
for s, t, n in bad:
    print('\n**%s / %s: %d run(s) exited with an unexpected code (see logs)**' % (s, t, n))

# Slow devices: the whole scan against one slow device's own time plus the healthy ones'.
for t in tools:
    a, h, o = (by.get((s, t), {}) for s in ('slow-all', 'slow-healthy', 'slow-one'))
    ks = [k for k in a if k in h and k in o]
    if ks:
        v = [float(a[k]['elapsed_s']) / (float(h[k]['elapsed_s']) + float(o[k]['elapsed_s'])) for k in ks]
        print('\nslow (%s): all %.1f s vs one slow device %.1f s + healthy ones %.1f s; ratio all ÷ (one+healthy) = %.2f (target ≤ 1)'
              % (t, med('slow-all', t), med('slow-one', t), med('slow-healthy', t), statistics.median(v)))

# Scaling: time per device and memory.
sc = [s for s in scen if s.startswith('scale')]
if sc:
    print('\n| devices | ftktui s | ms/device | floor s | ftktui ÷ floor | ftktui RSS |')
    print('|---|---|---|---|---|---|')
    for s in sc:
        n = int(s[len('scale'):])
        m = med(s, 'ftktui')
        print('| %d | %s | %s | %s | %s | %s |' % (n, f(m), f(m and m * 1000 / n, '%.1f'), f(med(s, 'floor')),
                                               f(ratio(s, 'ftktui', 'floor')), mb(s, 'ftktui')))

st = os.path.join(out, 'startup.tsv')
if os.path.exists(st):
    print('\nsimulator start-up (issue #3):')
    for line in open(st):
        print('  ' + line.strip().split('\t')[-1])
