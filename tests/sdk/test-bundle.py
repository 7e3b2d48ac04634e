#!/usr/bin/env python3
"""test-bundle.py: vendor bundles through the CLI: create, verify, install, load from a
plugin path, Ed25519 signatures, and every tampering the issue lists (flipped byte, added
file, ../ path, symlink member, missing file, wrong ABI) refused with a clear message;
bundles inside bundles refused without a temporary directory left behind; versions and
creation times that stop an older bundle from replacing a newer one.
Needs HULLSCAN_BIN and HULL_TEST_PLUGIN_DIR (the core tests' plugin modules). Prints TAP."""
import hashlib
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
os.remove(os.path.join(pathdir, 'bad.hsb'))
os.chmod(os.path.join(pathdir, 'good.hsb'), 0o666)
rc, out, err = run('plugins', 'list', '--json', env=dict(ENV, HULLSCAN_PLUGIN_PATH=pathdir))
listed = json.loads(out) if rc == 0 else []
case('a bundle file writable by others is refused, not opened',
     any(p['status'] == 'refused' and 'writable by others (mode 0666)' in (p.get('error') or '') for p in listed)
     and not any(p['status'] == 'ok' for p in listed), out + err)
os.chmod(os.path.join(pathdir, 'good.hsb'), 0o644)
leftovers = [d for d in os.listdir(tempfile.gettempdir()) if d.startswith('hullscan-bundle-') and
             os.path.isdir(os.path.join(tempfile.gettempdir(), d, 'b'))]
case('unpacked bundles are removed after loading', not leftovers, repr(leftovers))



def hand_bundle(fn, files, **fields):
    """Writes an unsigned bundle of files {path: bytes} whose bundle.json lists them, the way
    `bundle create` would (it refuses to bundle a bundle, so nested ones are made here)."""
    m = dict(format=1, name='hand', abi=dict(major=manifest['abi']['major'], minor=0),
             files=[dict(path=p, size=len(d), sha256=hashlib.sha256(d).hexdigest()) for p, d in sorted(files.items())])
    m.update(fields)
    with tarfile.open(fn, 'w:gz') as t:
        for name, data in [('bundle.json', json.dumps(m).encode())] + sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    return fn


# Bundles inside bundles: refused by verification, so nothing of the inner one is unpacked or
# loaded, and no temporary directory is left behind (counted in a private TMPDIR).
with open(bundle, 'rb') as f:
    inner = f.read()
nestdir = os.path.join(tmp, 'nested')
os.makedirs(nestdir)
os.chmod(nestdir, 0o755)
outer = hand_bundle(os.path.join(nestdir, 'outer.hsb'), {'plugins/inner.hsb': inner}, name='outer')
chain = inner
for depth in range(40):
    chain_fn = hand_bundle(os.path.join(tmp, 'chain.hsb'), {'plugins/level%d.hsb' % depth: chain}, name='chain')
    with open(chain_fn, 'rb') as f:
        chain = f.read()
shutil.move(chain_fn, os.path.join(nestdir, 'chain.hsb'))
hand_bundle(os.path.join(nestdir, 'rules.hsb'), {'rules/inner.hsb': inner}, name='rules')
rc, out, err = run('bundle', 'verify', outer)
case('verify refuses a bundle holding a bundle',
     rc == 2 and 'plugins/inner.hsb is a bundle: bundles inside bundles are refused' in err and err.count('\n') == 1, err)
rc, out, err = run('bundle', 'install', outer, '--prefix', os.path.join(tmp, 'inst-nested'))
case('install refuses it and writes nothing', rc == 2 and not os.path.exists(os.path.join(tmp, 'inst-nested', 'plugins')), err)
private_tmp = os.path.join(tmp, 'private-tmp')
os.makedirs(private_tmp)
shutil.copy(os.path.join(tmp, 'flipped-byte-in-a-module.hsb'), os.path.join(nestdir, 'tampered.hsb'))
rc, out, err = run('plugins', 'list', '--json', env=dict(ENV, HULLSCAN_PLUGIN_PATH=nestdir, TMPDIR=private_tmp))
listed = json.loads(out) if rc == 0 else []
refused = {p['name']: p.get('error') or '' for p in listed if p['status'] == 'refused'}
case('nested bundles in a plugin directory are refused with a reason, nothing of them loads',
     rc == 0 and not any(p['status'] == 'ok' for p in listed)
     and all('bundles inside bundles are refused' in refused.get(n, '') for n in ('outer.hsb', 'chain.hsb', 'rules.hsb')),
     out + err)
case('no temporary directory is left behind, after refusals too', rc == 0 and os.listdir(private_tmp) == [],
     repr(os.listdir(private_tmp)))
nsrc = os.path.join(tmp, 'nsrc')
shutil.copytree(src, nsrc)
shutil.copy(bundle, os.path.join(nsrc, 'plugins', 'inner.hsb'))
rc, out, err = run('bundle', 'create', nsrc, '-o', os.path.join(tmp, 'n.hsb'))
case('create refuses to bundle a bundle', rc == 2 and 'bundles inside bundles' in err
     and not os.path.exists(os.path.join(tmp, 'n.hsb')), err)


# Versions and creation times: an older bundle does not replace a newer one under a prefix.
def manifest_of(fn):
    with tarfile.open(fn) as t:
        return json.loads(t.extractfile('bundle.json').read())


def record(prefix_dir, name='test-good'):
    with open(os.path.join(prefix_dir, 'bundles', name + '.json')) as f:
        return json.load(f)


v1, v2 = os.path.join(tmp, 'v1.hsb'), os.path.join(tmp, 'v2.hsb')
run('bundle', 'create', src, '-o', v1, '--version', '1.0.0')
run('bundle', 'create', src, '-o', v2, '--version', '2.0.0')
case('create records the version and the creation time',
     manifest_of(v1)['version'] == '1.0.0' and isinstance(manifest_of(v1).get('created'), int)
     and manifest_of(v1)['created'] > 1600000000, json.dumps(manifest_of(v1))[:300])
rc, out, err = run('bundle', 'create', src, '-o', os.path.join(tmp, 'sde.hsb'), env=dict(ENV, SOURCE_DATE_EPOCH='1000'))
case('SOURCE_DATE_EPOCH sets the creation time; the version defaults to 0.0.0',
     rc == 0 and manifest_of(os.path.join(tmp, 'sde.hsb'))['created'] == 1000
     and manifest_of(os.path.join(tmp, 'sde.hsb'))['version'] == '0.0.0', err)
vsrc = os.path.join(tmp, 'vsrc')
shutil.copytree(src, vsrc)
with open(os.path.join(vsrc, 'bundle.json'), 'w') as f:
    json.dump({'name': 'acme-tools', 'version': '4.5.6'}, f)
rc, out, err = run('bundle', 'create', vsrc, '-o', os.path.join(tmp, 'vsrc.hsb'))
m = manifest_of(os.path.join(tmp, 'vsrc.hsb')) if rc == 0 else {}
case("the version and name default to DIR/bundle.json's", rc == 0 and m.get('version') == '4.5.6'
     and m.get('name') == 'acme-tools' and 'bundle.json' not in [x['path'] for x in m['files']], out + err)
vprefix = os.path.join(tmp, 'vprefix')
rc, out, err = run('bundle', 'install', v2, '--prefix', vprefix)
case('install v2', rc == 0 and record(vprefix)['version'] == '2.0.0', out + err)
rc, out, err = run('bundle', 'install', v1, '--prefix', vprefix)
case('install v1 after v2 is refused, one line, exit 2',
     rc == 2 and 'older than the installed 2.0.0' in err and '--allow-downgrade' in err and err.count('\n') == 1
     and record(vprefix)['version'] == '2.0.0', err)
rc, out, err = run('bundle', 'install', v1, '--prefix', vprefix, '--allow-downgrade')
case('--allow-downgrade installs v1 over v2', rc == 0 and record(vprefix)['version'] == '1.0.0'
     and os.path.isfile(os.path.join(vprefix, 'plugins', 'test-good.so')), out + err)
rc, out, err = run('bundle', 'install', v2, '--prefix', vprefix)
case('v2 upgrades v1 again', rc == 0 and record(vprefix)['version'] == '2.0.0', out + err)
rc, out, err = run('plugins', 'list', '--json', env=dict(ENV, HULLSCAN_PLUGIN_PATH=vprefix))
listed = json.loads(out) if rc == 0 else []
case('the upgraded prefix loads', any(p['name'] == 'test-good' and p['status'] == 'ok' for p in listed)
     and not any(p['status'] == 'refused' for p in listed), out + err)
t_old, t_new = os.path.join(tmp, 't-old.hsb'), os.path.join(tmp, 't-new.hsb')
run('bundle', 'create', src, '-o', t_old, '--version', '2.0.0', env=dict(ENV, SOURCE_DATE_EPOCH='1000'))
run('bundle', 'create', src, '-o', t_new, '--version', '2.0.0', env=dict(ENV, SOURCE_DATE_EPOCH='2000000000'))
rc, out, err = run('bundle', 'install', t_new, '--prefix', vprefix)
rc2, out2, err2 = run('bundle', 'install', t_old, '--prefix', vprefix)
case('the same version made earlier is refused', rc == 0 and rc2 == 2 and 'older than the installed' in err2, err + err2)
with tarfile.open(v1) as t:
    so = t.extractfile('plugins/test-good.so').read()
old_fn = hand_bundle(os.path.join(tmp, 'old-format.hsb'), {'plugins/test-good.so': so}, name='test-good')
rc, out, err = run('bundle', 'verify', old_fn)
case('a bundle without version or creation time still verifies', rc == 0, out + err)
rc, out, err = run('bundle', 'install', old_fn, '--prefix', vprefix)
case('... and counts as version 0: older than any installed', rc == 2 and 'older than the installed' in err, err)
foreign = os.path.join(tmp, 'foreign')
os.makedirs(os.path.join(foreign, 'plugins'))
with open(os.path.join(foreign, 'plugins', 'test-good.so'), 'wb') as f:
    f.write(b'not from a bundle')
rc, out, err = run('bundle', 'install', v2, '--prefix', foreign)
with open(os.path.join(foreign, 'plugins', 'test-good.so'), 'rb') as f:
    kept = f.read() == b'not from a bundle'
case('install never replaces a file no bundle installed', rc == 2 and 'was not installed by bundle' in err and kept
     and [d for d in os.listdir(foreign) if d.startswith('.hullscan-install')] == [], err)

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
    signed_v1 = os.path.join(tmp, 'signed-v1.hsb')
    run('bundle', 'create', src, '-o', signed_v1, '--sign', key, '--version', '1.0.0')
    with tarfile.open(signed_v1) as t:
        smembers = [(m, t.extractfile(m).read()) for m in t.getmembers()]
    members = {m.name: (m, d.replace(b'"1.0.0"', b'"9.0.0"') if m.name == 'bundle.json' else d) for m, d in smembers}
    fn = rewrite('version-raised', lambda items: items)
    rc, out, err = run('bundle', 'verify', fn, '--trust', pub)
    rc2, out2, err2 = run('bundle', 'install', fn, '--prefix', os.path.join(tmp, 'sprefix'), '--trust', pub)
    case('a raised version field breaks the signature (verify and install)',
         b'"9.0.0"' in members['bundle.json'][1] and rc == 2 and 'does not verify' in err
         and rc2 == 2 and 'does not verify' in err2, err + err2)
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
