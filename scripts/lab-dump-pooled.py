#!/usr/bin/env python3
"""Pooled figures of a `docexam bench lab --dump FILE` run over all its designs: genuine false
alarms at the limits, and per forgery kind the document-score AUC, the true-positive rate at the
99th percentile of the genuine scores (1% FPR) and the share detected at the limits.

Usage: scripts/lab-dump-pooled.py DUMP.jsonl   (needs numpy)
"""
import json,sys,collections
import numpy as np
docs=[json.loads(l) for l in open(sys.argv[1])]
docs=[d for d in docs if d['kind']!='exemplar']
g=[d for d in docs if d['kind']=='genuine']
def failed(d): return any(f['status']=='fail' for f in d['features'])
def inconcl(d): return (not failed(d)) and any(f['status'] in ('not_checked','inconclusive','unmeasurable') for f in d['features'])
gs=np.array([d['score'] for d in g]); 
print('genuine', len(g), 'FA', sum(failed(d) for d in g))
print('statuses', collections.Counter(f['status'] for d in docs for f in d['features']))
thr=np.quantile(gs,0.99)
kinds=collections.defaultdict(list)
for d in docs:
    if d['kind']!='genuine': kinds[d['kind']].append(d)
allf=[]
for k,v in sorted(kinds.items()):
    s=np.array([d['score'] for d in v]); allf+=list(s)
    auc=np.mean(s[:,None]>gs[None,:])+0.5*np.mean(s[:,None]==gs[None,:])
    print(f"{k:22s} {len(v):3d} AUC {auc:.3f} TPR@1% {np.mean(s>thr)*100:.1f}% detected {np.mean([failed(d) for d in v])*100:.1f}%")
s=np.array(allf); auc=np.mean(s[:,None]>gs[None,:])+0.5*np.mean(s[:,None]==gs[None,:])
print(f"overall {len(s)} AUC {auc:.3f} TPR@1% {np.mean(s>thr)*100:.1f}% detected {np.mean([failed(d) for v in kinds.values() for d in v])*100:.1f}%")
