#!/usr/bin/env python3
"""test-symbols.py SOURCE_ROOT HULLSCAN: the SDK's exported set does not change by accident.

Three lists must agree: the HULL_API declarations in sdk/hullscan/*.h, the checked-in
core/hullscan.dynlist, and the symbols the hullscan executable really exports. Prints TAP.
"""
import glob
import os
import re
import subprocess
import sys

root, exe = sys.argv[1], sys.argv[2]
cases = []


def case(ok, name, detail=''):
    cases.append((ok, name, detail))


declared = set()
for h in glob.glob(os.path.join(root, 'sdk', 'hullscan', '*.h')):
    text = open(h, encoding='utf-8').read()
    for m in re.finditer(r'HULL_API[^;(]*?\b(hull_\w+)\s*\(', text, re.S):
        declared.add(m.group(1))

dyn = set(re.findall(r'^\s*(hull_\w+);', open(os.path.join(root, 'core', 'hullscan.dynlist')).read(), re.M))

out = subprocess.run(['nm', '-D', '--defined-only', exe], capture_output=True, text=True)
exported = set()
for line in out.stdout.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in ('T', 'W', 'D', 'B', 'R') and parts[2].startswith('hull_'):
        exported.add(parts[2])

case(len(declared) > 50, 'the SDK headers declare the API', '%d declared' % len(declared))
case(declared == dyn, 'hullscan.dynlist matches the HULL_API declarations',
     'only in headers: %s; only in dynlist: %s' % (sorted(declared - dyn), sorted(dyn - declared)))
case(exported == dyn, 'the executable exports exactly hullscan.dynlist',
     'not exported: %s; exported but unlisted: %s' % (sorted(dyn - exported), sorted(exported - dyn)))
internal = [s for s in out.stdout.split() if s.startswith('hull_target_') or s.startswith('hull_scanner_')]
case(not internal, 'no core-internal symbol leaks', ' '.join(internal))

print('1..%d' % len(cases))
for i, (ok, name, detail) in enumerate(cases, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok and detail:
        print('# ' + detail)
