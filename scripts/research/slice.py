import json,sys
d=json.load(open(sys.argv[1])); slo=float(sys.argv[2]) if len(sys.argv)>2 else 0.1
Q=[10,50,75,90,95,97.5,99.5]
for r in d:
  best=r['best']
  print(r['trace'], r['variant'], 'best baseline', best['b'] if best else None, round(best['p']['instanceHours']) if best else None)
  by={}
  for p in r['points']:
    k=p['knob']; by.setdefault(k//1000,[]).append(p)
  for qi,pts in sorted(by.items()):
    ok=[p for p in pts if p['unservedPct']<=slo]
    c=min(ok,key=lambda p:p['instanceHours']) if ok else None
    print('  q%-5s'%Q[int(qi)] if r['variant']=='g2d' else '  %s'%qi, ('u=%d %.0f (%.3f)'%(c['knob']%1000,c['instanceHours'],c['instanceHours']/best['p']['instanceHours'])) if c else 'none',
          ' '.join('%d:%.0f/%.3f'%(p['knob']%1000,p['instanceHours'],p['unservedPct']) for p in pts))
