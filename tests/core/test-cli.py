#!/usr/bin/env python3
"""test-cli.py: the command line end to end: exit codes 0/1/2/3 as DESIGN.md fixes them, the
JSON report's schema on the bundled example, determinism across --jobs, profiles, ignore
files. Uses HULLSCAN_BIN and the example image the build generates. Prints TAP."""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ['HULLSCAN_BIN']
BUILD = os.environ['HULL_BUILD_ROOT']
EXAMPLE = os.path.join(BUILD, 'tests', 'example.tar')
cases = []


def run(*args, env=None, input=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([BIN] + list(args), capture_output=True, env=e, input=input, timeout=240)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def case(name, ok, detail='', skip=None):
    cases.append((name, ok, detail, skip))


def skip(name, why):
    cases.append((name, True, '', why))


tmp = tempfile.mkdtemp(prefix='hullscan-cli-')
rootfs = os.path.join(tmp, 'rootfs')
os.makedirs(os.path.join(rootfs, 'etc'))
with open(os.path.join(rootfs, 'etc', 'os-release'), 'w') as f:
    f.write('ID=debian\nVERSION_ID="12"\n')

rc, out, err = run()
case('no arguments exits 2 with usage', rc == 2 and 'Usage' in err, err)
rc, out, err = run('frobnicate')
case('unknown command exits 2', rc == 2 and "unknown command 'frobnicate'" in err, err)
rc, out, err = run('--version')
case('--version exits 0 and names the ABI', rc == 0 and out.startswith('hullscan ') and 'ABI 1.' in out, out)
for sub in ('scan', 'plugins', 'files', 'db', 'bundle'):
    rc, out, err = run(sub, '--help')
    case('%s --help exits 0' % sub, rc == 0 and 'Usage' in out, out + err)
rc, out, err = run('scan')
case('scan without TARGET exits 2', rc == 2 and 'missing TARGET' in err, err)
rc, out, err = run('scan', os.path.join(tmp, 'does-not-exist'))
case('a missing TARGET exits 2 naming it', rc == 2 and 'does-not-exist' in err and err.count('\n') == 1, err)
junk = os.path.join(tmp, 'random.bin')
with open(junk, 'wb') as f:
    f.write(os.urandom(65536))
rc, out, err = run('scan', junk, '--type', 'image')
case('random bytes as an image exit 2 with one line', rc == 2 and 'random.bin' in err and err.count('\n') == 1, err)
rc, out, err = run('scan', rootfs, '--format', 'yaml')
case('an unknown --format exits 2', rc == 2 and '--format yaml' in err, err)
rc, out, err = run('scan', rootfs, '--fail-on', 'SEVERE')
case('an unknown --fail-on exits 2', rc == 2 and '--fail-on SEVERE' in err, err)
rc, out, err = run('scan', rootfs, '--severity', 'HIGH,BOGUS')
case('an unknown --severity exits 2', rc == 2, err)
rc, out, err = run('scan', rootfs, '--max-image-size', 'lots')
case('a bad --max-image-size exits 2', rc == 2 and 'lots' in err, err)
rc, out, err = run('scan', rootfs, '--plugins', 'no-such-plugin')
case('an unknown plugin name exits 2', rc == 2 and 'no-such-plugin' in err, err)
rc, out, err = run('scan', rootfs, '--profile', 'no-such-profile')
case('an unknown profile exits 2', rc == 2 and 'no-such-profile' in err, err)
rc, out, err = run('scan', rootfs, '--type', 'floppy')
case('an unknown --type exits 2', rc == 2 and 'floppy' in err, err)
rc, out, err = run('scan', rootfs, '--format', 'json', '--no-progress', '--fail-on', 'LOW')
try:
    rep = json.loads(out)
    ok = rc in (0, 1) and rep['schema_version'] == 1 and rep['target']['type'] == 'rootfs'
    ok = ok and (rc == 1) == any(True for f in rep['findings'] if f['severity'] != 'UNKNOWN')
except Exception as e:  # noqa: BLE001 - any failure to parse is the test failing
    ok, rep = False, None
    err += repr(e)
case('a rootfs scan writes a schema_version 1 report; --fail-on decides the exit', ok, err)

rc, out, err = run('plugins', 'list', '--json')
try:
    plugins = json.loads(out)
    ok = rc == 0 and isinstance(plugins, list)
except Exception:  # noqa: BLE001
    plugins, ok = [], False
case('plugins list --json exits 0 with a list', ok, out + err)
built = [d for d in os.listdir(os.path.join(BUILD, 'plugins'))] if os.path.isdir(os.path.join(BUILD, 'plugins')) else []
names = {p['name'] for p in plugins}
case('plugins list lists every plugin the tree builds', all(b in names for b in built),
     'built %s, listed %s' % (built, sorted(names)))
case('every first-party plugin loads', all(p['status'] == 'ok' for p in plugins if p['name'] in built),
     json.dumps(plugins))

# Conformance: every plugin, through the real loader, on an empty image and on hostile input.
# (An empty directory is unusable input, exit 2: test-exit-codes.py.)
empty = os.path.join(tmp, 'empty.tar')
empty_spec = os.path.join(tmp, 'empty.json')
with open(empty_spec, 'w') as f:
    json.dump({'layers': [{'entries': []}]}, f)
subprocess.run([sys.executable, os.environ['HULL_GEN_IMAGE'], 'build', empty_spec, empty], check=True)
rc, out, err = run('scan', empty, '--format', 'json', '--no-progress', '--no-cache')
try:
    rep = json.loads(out)
    ok = rc == 0 and all(p['status'] == 'ok' for p in rep['plugins'] if p['name'] in built)
except Exception as e:  # noqa: BLE001
    ok = False
    err += repr(e)
case('every plugin runs clean on an empty image', ok, err + out[-1500:])
hostile = os.path.join(tmp, 'hostile')
os.makedirs(os.path.join(hostile, 'etc'))
with open(os.path.join(hostile, 'etc', 'os-release'), 'wb') as f:
    f.write(b'ID=\xff\xfe\x00debian\nVERSION_ID="' + b'9' * 100000 + b'\n')
for name in ('Dockerfile', 'a.yaml', 'b.json', 'sshd_config', 'status', 'installed', '.env'):
    with open(os.path.join(hostile, name), 'wb') as f:
        f.write(os.urandom(20000) + b'\n' + b'{[' * 5000 + b'\xc3\x28' * 1000)
os.symlink('/etc/shadow', os.path.join(hostile, 'etc', 'shadow'))
os.symlink('loop2', os.path.join(hostile, 'loop1'))
os.symlink('loop1', os.path.join(hostile, 'loop2'))
rc, out, err = run('scan', hostile, '--type', 'rootfs', '--format', 'json', '--no-progress')
try:
    rep = json.loads(out)
    ok = rc == 0 and all(p['status'] == 'ok' for p in rep['plugins'] if p['name'] in built)
except Exception as e:  # noqa: BLE001
    ok = False
    err += repr(e)
case('every plugin survives hostile files, links out of the tree and link loops', ok, err[-1500:])

if not os.path.exists(EXAMPLE):
    skip('the example image scans', 'example image not generated (tests/gen missing)')
else:
    rc, out, err = run('scan', EXAMPLE, '--format', 'json', '--no-progress', '--jobs', '1')
    try:
        rep = json.loads(out)
        keys = {'schema_version', 'tool', 'target', 'plugins', 'findings', 'packages', 'summary'}
        ok = rc == 0 and keys <= set(rep) and rep['target']['type'] == 'image'
        ok = ok and rep['target']['digest'].startswith('sha256:')
        ok = ok and set(rep['summary']) == {'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'}
        ok = ok and sum(rep['summary'].values()) == len(rep['findings'])
        for f in rep['findings']:
            ok = ok and {'rule_id', 'plugin', 'severity', 'title', 'message', 'location', 'fingerprint'} <= set(f)
            ok = ok and f['fingerprint'].startswith('sha256:')
            if 'layer' in f['location']:
                ok = ok and f['location']['layer']['digest'].startswith('sha256:')
    except Exception as e:  # noqa: BLE001
        ok, rep = False, None
        err += repr(e)
    case('the example image scans to a DESIGN.md report', ok, err[-2000:])
    if rep is not None:
        # Each plugin shows in the report: findings, or for os-packages (no vulnerability DB is
        # given here) the package inventory and the OS.
        contributed = {f['plugin'] for f in rep['findings']}
        if rep.get('packages') and rep['target'].get('os', {}).get('id') == 'debian':
            contributed.add('os-packages')
        missing = [b for b in built if b not in contributed]
        case('every built plugin contributes to the example report', not missing, 'silent: %s' % missing)
        for f in rep['findings']:
            if f.get('evidence') and f['plugin'] == 'secrets':
                ok = len(f['evidence'].split('…')[0]) <= 4
                case('secret evidence keeps at most 4 characters', ok, f['evidence'])
                break
        rc8, out8, err8 = run('scan', EXAMPLE, '--format', 'json', '--no-progress', '--jobs', '8')
        case('--jobs 8 gives the same report as --jobs 1', rc8 == 0 and out8 == out, err8)
        rc, out, err = run('scan', EXAMPLE, '--no-progress', '--fail-on', 'LOW')
        case('findings at or above --fail-on exit 1', rc == (1 if rep['findings'] else 0), err)
        rc, out, err = run('scan', EXAMPLE, '--no-progress', '--format', 'table')
        case('the table ends with the summary line', rc == 0 and out.strip().splitlines()[-1].lower().find('critical') >= 0, out[-500:])
        if rep['findings']:
            first = rep['findings'][0]
            ign = os.path.join(tmp, 'ignore.txt')
            with open(ign, 'w') as f:
                f.write('# suppress by fingerprint\n%s\n' % first['fingerprint'])
            rc, out, err = run('scan', EXAMPLE, '--no-progress', '--format', 'json', '--ignore-file', ign)
            rep2 = json.loads(out) if rc == 0 else {'findings': []}
            case('--ignore-file suppresses by fingerprint', rc == 0 and len(rep2['findings']) == len(rep['findings']) - 1
                 and all(f['fingerprint'] != first['fingerprint'] for f in rep2['findings']), err)
            yml = os.path.join(tmp, 'ignore.yaml')
            with open(yml, 'w') as f:
                f.write('- id: %s\n  expires: 2001-01-01\n' % first['rule_id'])
            rc, out, err = run('scan', EXAMPLE, '--no-progress', '--format', 'json', '--ignore-file', yml)
            rep3 = json.loads(out) if rc == 0 else {'findings': [], 'notes': []}
            case('an expired ignore entry no longer suppresses, and says so',
                 rc == 0 and len(rep3['findings']) == len(rep['findings'])
                 and any('expire' in n for n in rep3.get('notes', [])), err + json.dumps(rep3.get('notes')))
        for fmt in ('sarif', 'junit'):
            rc, out, err = run('scan', EXAMPLE, '--no-progress', '--format', fmt)
            case('--format %s exits 0 with output' % fmt, rc == 0 and len(out) > 100, err)

# Every file some plugin parses, present and empty, in a rootfs and in a docker-archive: an
# empty file is a parser's most common edge case (an empty GBytes may carry a NULL pointer).
EMPTY_PATHS = [
    'etc/docker/daemon.json', 'etc/os-release', 'usr/lib/os-release', 'var/lib/dpkg/status',
    'var/lib/dpkg/status.d/x', 'lib/apk/db/installed', 'var/lib/rpm/Packages', 'var/lib/rpm/rpmdb.sqlite',
    'usr/lib/sysimage/rpm/rpmdb.sqlite', 'Dockerfile', 'app/Dockerfile', 'etc/ssh/sshd_config',
    'etc/nginx/nginx.conf', 'etc/redis/redis.conf', 'etc/mysql/my.cnf', 'etc/postgresql/15/main/postgresql.conf',
    'app/deploy.yaml', 'app/role.json', 'app/docker-compose.yml', 'app/config.json', 'etc/passwd', 'etc/group',
    'etc/shadow', 'etc/sudoers', 'etc/crontab', 'etc/systemd/system/x.service', 'app/.env',
    'root/.docker/config.json', 'etc/containerd/config.toml', 'etc/kubernetes/admin.conf',
    'var/lib/kubelet/config.yaml', 'etc/services', 'etc/alpine-release', 'etc/debian_version',
    'etc/redhat-release', 'etc/lsb-release', 'etc/vsftpd.conf', 'etc/haproxy/haproxy.cfg',
    'etc/apache2/ports.conf', 'etc/httpd/conf/httpd.conf', 'etc/ssl/private/key.pem']
empty_root = os.path.join(tmp, 'empty-files')
for rel in EMPTY_PATHS:
    os.makedirs(os.path.dirname(os.path.join(empty_root, rel)), exist_ok=True)
    open(os.path.join(empty_root, rel), 'wb').close()
empty_tar = os.path.join(tmp, 'empty-files.tar')
spec = os.path.join(tmp, 'empty-files.json')
with open(spec, 'w') as f:
    json.dump({'config': {'ExposedPorts': {'22/tcp': {}}},
               'layers': [{'entries': [{'path': rel, 'content': ''} for rel in EMPTY_PATHS]}]}, f)
subprocess.run([sys.executable, os.environ['HULL_GEN_IMAGE'], 'build', spec, empty_tar], check=True)
for what, target, extra in (('rootfs', empty_root, ['--type', 'rootfs']), ('docker-archive', empty_tar, [])):
    rc, out, err = run('scan', target, '--no-progress', '--no-cache', '--format', 'json', *extra,
                       env={'G_DEBUG': 'fatal-criticals'})
    try:
        ok = rc in (0, 1) and isinstance(json.loads(out).get('findings'), list)
    except ValueError:
        ok = False
    case('%d empty files that plugins parse, as a %s: a report, no critical' % (len(EMPTY_PATHS), what),
         ok and 'critical' not in err.lower(), 'rc %d: %s' % (rc, err))

print('1..%d' % len(cases))
for i, (name, ok, detail, why) in enumerate(cases, 1):
    if why:
        print('ok %d - %s # SKIP %s' % (i, name, why))
    else:
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
        if not ok and detail:
            for line in str(detail).splitlines()[:20]:
                print('# ' + line)
