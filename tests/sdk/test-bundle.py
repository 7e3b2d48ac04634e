#!/usr/bin/env python3
"""test-bundle.py: vendor bundles through the CLI: create, verify, install, load from a
plugin path, Ed25519 signatures, and every tampering the issue lists (flipped byte, added
file, ../ path, symlink member, missing file, wrong ABI) refused with a clear message.
Needs HULLSCAN_BIN and HULL_TEST_PLUGIN_DIR (the core tests' plugin modules). Prints TAP."""
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile

BIN = os.environ['HULLSCAN_BIN']
MODULES = os.environ['HULL_TEST_PLUGIN_DIR']
tmp = tempfile.mkdtemp(prefix='hullscan-bundle-')
ENV = dict(os.environ, HULLSCAN_PLUGIN_PATH_ONLY='1', HULLSCAN_PLUGIN_PATH='')
cases = []


def run(*args, env=None):
    p = subprocess.run([BIN] + list(args), capture_output=True, text=True, env=env or ENV, timeout=120)
    return p.returncode, p.stdout, p.stderr


def case(name, ok, detail=''):
    cases.append((name, ok, detail))


src = os.path.join(tmp, 'src')
os.makedirs(os.path.join(src, 'plugins'))
os.makedirs(os.path.join(src, 'rules'))
shutil.copy(os.path.join(MODULES, 'test-good.so'), os.path.join(src, 'plugins', 'test-good.so'))
with open(os.path.join(src, 'rules', 'extra.json'), 'w') as f:
    f.write('{"rules": []}\n')
bundle = os.path.join(tmp, 'good.hsb')
rc, out, err = run('bundle', 'create', src, '-o', bundle, '--vendor', 'Test Vendor')
case('create writes a bundle', rc == 0 and os.path.exists(bundle) and 'unsigned' in out, out + err)
rc, out, err = run('bundle', 'verify', bundle)
case('verify accepts it', rc == 0 and 'test-good' in out and '2 files' in out, out + err)
with tarfile.open(bundle) as t:
    members = {m.name: (m, t.extractfile(m).read()) for m in t.getmembers()}
manifest = json.loads(members['bundle.json'][1])
case('bundle.json lists every file with size and sha256',
     sorted(f['path'] for f in manifest['files']) == ['plugins/test-good.so', 'rules/extra.json']
     and all(len(f['sha256']) == 64 for f in manifest['files']) and manifest['abi']['major'] == 1, json.dumps(manifest))


def rewrite(name, change):
    """Writes a copy of the good bundle through change(list of (TarInfo, bytes)) -> list."""
    items = [(m, d) for m, d in members.values()]
    items = change(items)
    fn = os.path.join(tmp, name + '.hsb')
    with tarfile.open(fn, 'w:gz') as t:
        for info, data in items:
            info = tarfile.TarInfo(info.name) if not isinstance(info, tarfile.TarInfo) else info
            if info.type == tarfile.REGTYPE:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)
    return fn


def flip(items):
    out = []
    for m, d in items:
        if m.name.endswith('.so'):
            d = bytearray(d)
            d[len(d) // 2] ^= 0x01
            d = bytes(d)
        out.append((m, d))
    return out


def add_file(items):
    extra = tarfile.TarInfo('plugins/extra.so')
    return items + [(extra, b'\x7fELF not really')]


def traversal(items):
    evil = tarfile.TarInfo('plugins/../../evil.so')
    return items + [(evil, b'x')]


def symlink(items):
    link = tarfile.TarInfo('plugins/link.so')
    link.type = tarfile.SYMTYPE
    link.linkname = '/etc/passwd'
    return items + [(link, b'')]


def missing(items):
    return [(m, d) for m, d in items if not m.name.startswith('rules/')]


def wrong_abi(items):
    out = []
    for m, d in items:
        if m.name == 'bundle.json':
            j = json.loads(d)
            j['abi']['major'] = 2
            d = json.dumps(j).encode()
        out.append((m, d))
    return out


def blank_manifest(items):
    # whitespace alone is valid JSON text to a parser, with no value in it
    out = []
    for m, d in items:
        if m.name == 'bundle.json':
            d = b' \n'
        out.append((m, d))
    return out


for name, change, expect in [
        ('flipped byte in a module', flip, 'does not match bundle.json'),
        ('a blank manifest', blank_manifest, 'bundle.json'),
        ('an added file', add_file, 'not listed in bundle.json'),
        ('a ../ path', traversal, "'..'"),
        ('a symlink member', symlink, 'is a link'),
        ('a manifest naming a missing file', missing, 'missing'),
        ('a wrong ABI', wrong_abi, 'needs plugin ABI 2.')]:
    slug = ''.join(c if c.isalnum() else '-' for c in name)
    fn = rewrite(slug, change)
    rc, out, err = run('bundle', 'verify', fn)
    case('verify refuses %s' % name, rc == 2 and expect in err and err.count('\n') == 1, err)
    dest = os.path.join(tmp, 'inst-' + slug)
    rc, out, err = run('bundle', 'install', fn, '--prefix', dest)
    wrote = [os.path.join(r, f) for r, _, fs in os.walk(dest) for f in fs] if os.path.exists(dest) else []
    case('install refuses %s and writes nothing' % name, rc == 2 and not wrote, err + repr(wrote))
case('nothing escaped the install directory', not os.path.exists(os.path.join(tmp, 'evil.so')))

prefix = os.path.join(tmp, 'prefix')
rc, out, err = run('bundle', 'install', bundle, '--prefix', prefix)
case('install unpacks a good bundle', rc == 0 and os.path.isfile(os.path.join(prefix, 'plugins', 'test-good.so'))
     and os.path.isfile(os.path.join(prefix, 'rules', 'extra.json')), out + err)
rc, out, err = run('plugins', 'list', '--json', env=dict(ENV, HULLSCAN_PLUGIN_PATH=prefix))
listed = json.loads(out) if rc == 0 else []
case('HULLSCAN_PLUGIN_PATH=prefix loads its plugins', any(p['name'] == 'test-good' and p['status'] == 'ok' for p in listed), out + err)

pathdir = os.path.join(tmp, 'pathdir')
os.makedirs(pathdir)
os.chmod(pathdir, 0o755)
shutil.copy(bundle, os.path.join(pathdir, 'good.hsb'))
rc, out, err = run('plugins', 'list', '--json', env=dict(ENV, HULLSCAN_PLUGIN_PATH=pathdir))
listed = json.loads(out) if rc == 0 else []
case('a bundle in a plugin directory is verified and loaded',
     any(p['name'] == 'test-good' and p['status'] == 'ok' for p in listed), out + err)
shutil.copy(os.path.join(tmp, 'flipped-byte-in-a-module.hsb'), os.path.join(pathdir, 'bad.hsb'))
rc, out, err = run('plugins', 'list', '--json', env=dict(ENV, HULLSCAN_PLUGIN_PATH=pathdir))
listed = json.loads(out) if rc == 0 else []
case('a tampered bundle in a plugin directory is refused, the good one still loads',
     any(p['status'] == 'refused' and 'does not match' in (p.get('error') or '') for p in listed)
     and any(p['name'] == 'test-good' and p['status'] == 'ok' for p in listed), out + err)
leftovers = [d for d in os.listdir(tempfile.gettempdir()) if d.startswith('hullscan-bundle-') and
             os.path.isdir(os.path.join(tempfile.gettempdir(), d, 'b'))]
case('unpacked bundles are removed after loading', not leftovers, repr(leftovers))

openssl = shutil.which('openssl')
if openssl is None:
    cases.append(('signing', None, 'openssl command absent'))
else:
    key, pub = os.path.join(tmp, 'k.pem'), os.path.join(tmp, 'k.pub')
    other, otherpub = os.path.join(tmp, 'o.pem'), os.path.join(tmp, 'o.pub')
    for k, p in ((key, pub), (other, otherpub)):
        subprocess.run([openssl, 'genpkey', '-algorithm', 'ed25519', '-out', k], check=True, capture_output=True)
        subprocess.run([openssl, 'pkey', '-in', k, '-pubout', '-out', p], check=True, capture_output=True)
    signed = os.path.join(tmp, 'signed.hsb')
    rc, out, err = run('bundle', 'create', src, '-o', signed, '--sign', key)
    case('create --sign signs', rc == 0 and 'signed' in out, out + err)
    rc, out, err = run('bundle', 'verify', signed, '--trust', pub)
    case('verify --trust accepts the right key', rc == 0 and 'signature verified' in out, out + err)
    rc, out, err = run('bundle', 'verify', signed, '--trust', otherpub)
    case('verify --trust refuses another key', rc == 2 and 'does not verify' in err, err)
    rc, out, err = run('bundle', 'verify', bundle, '--trust', pub)
    case('verify --trust refuses an unsigned bundle', rc == 2 and 'not signed' in err, err)
    rc, out, err = run('bundle', 'verify', bundle, '--require-signed')
    case('--require-signed refuses an unsigned bundle', rc == 2 and 'require-signed' in err, err)
    with tarfile.open(signed) as t:
        smembers = [(m, t.extractfile(m).read()) for m in t.getmembers()]
    forged = []
    for m, d in smembers:
        if m.name == 'bundle.json':
            d = d.replace(b'"version"', b'"version" ', 1)
        forged.append((m, d))
    members = {m.name: (m, d) for m, d in forged}
    fn = rewrite('forged', lambda items: items)
    rc, out, err = run('bundle', 'verify', fn, '--trust', pub)
    case('a changed manifest breaks the signature', rc == 2 and 'does not verify' in err, err)
    rc, out, err = run('plugins', 'list', '--json',
                       env=dict(ENV, HULLSCAN_PLUGIN_PATH=pathdir, HULLSCAN_TRUSTED_KEYS=pub))
    listed = json.loads(out) if rc == 0 else []
    case('with HULLSCAN_TRUSTED_KEYS an unsigned bundle in the path is refused',
         not any(p['name'] == 'test-good' and p['status'] == 'ok' for p in listed), out + err)

print('1..%d' % len(cases))
for i, (name, ok, detail) in enumerate(cases, 1):
    if ok is None:
        print('ok %d - %s # SKIP %s' % (i, name, detail))
        continue
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        for line in str(detail).splitlines()[:15]:
            print('# ' + line)
shutil.rmtree(tmp, ignore_errors=True)
