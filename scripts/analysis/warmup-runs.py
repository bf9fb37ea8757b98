#!/usr/bin/env python3
"""Is a warm-up run different from the measured runs of its arm? (issue 18: a lever is to drop the
warm-up runs, 1/10 of a 10-minute budget.) For every A/A results file given (default: the committed
docs/validate-results/*-aa-*.json.gz), per arm: the log-ratio of the warm-up run's figure to the mean of
the arm's measured runs, against the same for the first measured run, and the measured runs' own SD.
A warm-up run that is biased (mean far from 0) or much noisier than a measured run earns its time.

    python3 scripts/analysis/warmup-runs.py [files...]
"""
import glob, gzip, json, math, statistics as st, sys

files = sys.argv[1:] or sorted(glob.glob('docs/validate-results/*-aa-*.json.gz'))
FIGURES = {
    'CPU per 1,000 events': lambda r: (r.get('eventCost') or {}).get('cpuMsPer1000Events'),
    'memory (window mean)': lambda r: ((r.get('summary') or {}).get('memoryBytes') or {}).get('mean'),
}
for name, fig in FIGURES.items():
    warm, first, sd = [], [], []
    for f in files:
        runs = json.load(gzip.open(f) if f.endswith('.gz') else open(f))['runs']
        for arm in ('baseline', 'candidate'):
            w = [fig(r) for r in runs if r['warmupRun'] and r['arm'] == arm and r['valid']]
            m = [fig(r) for r in runs if not r['warmupRun'] and r['arm'] == arm and r['valid']]
            m = [x for x in m if x]
            if not w or not w[0] or len(m) < 3:
                continue
            mean = st.mean(m)
            warm.append(math.log(w[0] / mean))
            first.append(math.log(m[0] / mean))
            sd.append(st.stdev(math.log(x / mean) for x in m))
    if len(warm) < 2:
        print(f'{name}: fewer than 2 arms with a warm-up run')
        continue
    print(
        f'{name}: {len(warm)} arms of {len(files)} files; warm-up run vs the arm\'s measured mean: '
        f'{100 * st.mean(warm):+.1f}% (SD {100 * st.stdev(warm):.1f}%); first measured run: '
        f'{100 * st.mean(first):+.1f}% (SD {100 * st.stdev(first):.1f}%); measured runs\' SD {100 * st.mean(sd):.1f}%'
    )
