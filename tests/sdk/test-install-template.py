#!/usr/bin/env python3
"""test-install-template.py BUILD_ROOT SOURCE_ROOT: the SDK as a plugin author meets it.

Installs the build into a temporary prefix (meson install --destdir), points pkg-config at
the installed hullscan-sdk.pc, builds sdk/template from a copy outside the repo, runs the
template's own test against the installed hullscan, and scans the bundled example image with
the template plugin. Prints TAP."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

build, source = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix='hullscan-sdk-')
root = os.path.join(tmp, 'root')
cases = []


def case(name, ok, detail=''):
    cases.append((name, ok, detail))


def sh(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)


def finish():
    print('1..%d' % len(cases))
    for i, (name, ok, detail) in enumerate(cases, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
        if not ok:
            for line in str(detail).splitlines()[-20:]:
                print('# ' + line)
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0)


p = sh(['meson', 'install', '-C', build, '--destdir', root, '--no-rebuild', '--quiet'])
case('meson install into a temporary prefix', p.returncode == 0, p.stdout + p.stderr)
pcs = glob.glob(os.path.join(root, '**', 'hullscan-sdk.pc'), recursive=True)
bins = glob.glob(os.path.join(root, '**', 'bin', 'hullscan'), recursive=True)
case('hullscan-sdk.pc and bin/hullscan are installed', len(pcs) == 1 and len(bins) == 1, repr(pcs + bins))
if len(pcs) != 1 or len(bins) != 1:
    finish()
pc, exe = pcs[0], bins[0]
prefix_dir = os.path.dirname(os.path.dirname(exe))
headers = glob.glob(os.path.join(prefix_dir, 'include', 'hullscan-1', 'hullscan', '*.h'))
case('the SDK headers are installed under include/hullscan-1/hullscan', len(headers) >= 8, repr(headers))
case('the man page is installed', bool(glob.glob(os.path.join(prefix_dir, 'share', 'man', 'man1', 'hullscan.1'))))
case('the profiles are installed', bool(glob.glob(os.path.join(prefix_dir, 'share', 'hullscan', 'profiles', 'default.conf'))))

# Relocate the .pc to the temporary prefix, as a package would have it at its real one.
text = open(pc).read().splitlines()
text = ['prefix=' + prefix_dir if l.startswith('prefix=') else l for l in text]
with open(pc, 'w') as f:
    f.write('\n'.join(text) + '\n')
env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pc), PATH=os.path.dirname(exe) + ':' + os.environ['PATH'])
for k in ('CFLAGS', 'LDFLAGS'):
    env.pop(k, None)
p = sh(['pkg-config', '--variable=pluginsdir', 'hullscan-sdk'], env=env)
case('pkg-config gives pluginsdir', p.returncode == 0 and p.stdout.strip().endswith('/hullscan-1/plugins'), p.stdout + p.stderr)
p = sh(['pkg-config', '--variable=abi_major', 'hullscan-sdk'], env=env)
case('pkg-config gives abi_major', p.stdout.strip() == '1', p.stdout + p.stderr)
plugins_dir = p.stdout.strip()
installed_plugins = glob.glob(os.path.join(prefix_dir, 'lib*', '**', 'hullscan-1', 'plugins', '*.so'), recursive=True)
case('first-party plugins are installed into pluginsdir',
     len(installed_plugins) == len(os.listdir(os.path.join(build, 'plugins'))) if os.path.isdir(os.path.join(build, 'plugins')) else True,
     repr(installed_plugins))

tsrc = os.path.join(tmp, 'acme')
shutil.copytree(os.path.join(source, 'sdk', 'template'), tsrc)
tbuild = os.path.join(tmp, 'acme-build')
p = sh(['meson', 'setup', tbuild, tsrc], env=env)
ok = p.returncode == 0
if ok:
    p = sh(['ninja', '-C', tbuild], env=env)
    ok = p.returncode == 0
case('the template builds against the installed SDK only', ok, p.stdout + p.stderr)
if not ok:
    finish()
p = sh(['meson', 'test', '-C', tbuild, '--print-errorlogs'], env=env)
case("the template's own test passes", p.returncode == 0, p.stdout + p.stderr)

example = os.path.join(build, 'tests', 'example.tar')
if os.path.exists(example):
    p = sh([exe, 'scan', example, '--format', 'json', '--no-progress'],
           env=dict(env, HULLSCAN_PLUGIN_PATH=tbuild, HULLSCAN_PLUGIN_PATH_ONLY='1'))
    try:
        rep = json.loads(p.stdout)
        hits = [f for f in rep['findings'] if f['rule_id'] == 'ACME-0001']
        ok = p.returncode == 0 and len(hits) >= 1 and hits[0]['location']['path'] == '/app/.env'
    except Exception as e:  # noqa: BLE001
        ok = False
        p.stderr += repr(e)
    case('the installed hullscan with the template plugin finds the demo image .env', ok, p.stdout[-1500:] + p.stderr)
else:
    cases.append(('scan the demo image', True, ''))
    print('# example image absent', file=sys.stderr)
finish()
