#!/usr/bin/env python3
"""test-acme.py HULLSCAN PLUGIN_BUILD_DIR: runs hullscan with only this plugin on a tree that
holds a dotenv file and on one that does not. Prints TAP."""
import json
import os
import subprocess
import sys
import tempfile

hullscan, plugdir = sys.argv[1], sys.argv[2]
env = dict(os.environ, HULLSCAN_PLUGIN_PATH=plugdir, HULLSCAN_PLUGIN_PATH_ONLY='1')


def scan(files):
    d = tempfile.mkdtemp()
    for path, content in files.items():
        fn = os.path.join(d, path)
        os.makedirs(os.path.dirname(fn), exist_ok=True)
        with open(fn, 'w') as f:
            f.write(content)
    p = subprocess.run([hullscan, 'scan', d, '--type', 'rootfs', '--format', 'json', '--no-progress'],
                       capture_output=True, text=True, env=env)
    return p.returncode, json.loads(p.stdout) if p.returncode == 0 else None


rc, with_env = scan({'etc/os-release': 'ID=x\n', 'app/.env': 'A=1\nB=2\n'})
rc2, without = scan({'etc/os-release': 'ID=x\n', 'app/env.txt': 'A=1\n'})
ids = [f['rule_id'] for f in with_env['findings']] if with_env else []
print('1..3')
print('%s 1 - the plugin loads' % ('ok' if with_env and any(p['name'] == 'acme' and p['status'] == 'ok' for p in with_env['plugins']) else 'not ok'))
print('%s 2 - a dotenv file is flagged' % ('ok' if ids == ['ACME-0001'] and with_env['findings'][0]['location']['path'] == '/app/.env' else 'not ok'))
print('%s 3 - other files are not' % ('ok' if without is not None and without['findings'] == [] else 'not ok'))
