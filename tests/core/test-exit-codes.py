#!/usr/bin/env python3
"""test-exit-codes.py: honest output and exit codes (DESIGN.md "Command line", "Exit codes").
-o/--output: `-` is stdout, a regular file is replaced atomically (mode kept, no temporary file
left), a symlink is written through to its target and never replaced, a FIFO or character
device is written through and stays what it was, a directory is refused; bundle create -o goes
through the same helper. Exit 2 with one line naming the input for unusable input (empty
directories, a tree given as --type k8s with nothing recognised, a Dockerfile that does not
parse at all, an
empty or broken YAML target, a --vuln-db that is no database); a parseable Dockerfile with bad
instructions gives one note per instruction instead. Exit 3 when a plugin fails (init or a
scan callback), 0 with --keep-going, and 3 over 1 for --fail-on. Every note is one line and
names its file once. Needs HULLSCAN_BIN and HULL_TEST_PLUGIN_DIR. Prints TAP."""
import json
import os
import select
import shutil
import stat
import subprocess
import sys
import tempfile

BIN = os.environ['HULLSCAN_BIN']
MODULES = os.environ['HULL_TEST_PLUGIN_DIR']
ROOT = os.geteuid() == 0
cases = []
tmp = tempfile.mkdtemp(prefix='hullscan-exit-')


def run(*args, env=None, cwd=None, timeout=240):
    e = dict(os.environ)
    e.pop('G_MESSAGES_DEBUG', None)
    if env:
        e.update(env)
    try:
        p = subprocess.run([BIN] + list(args), capture_output=True, env=e, cwd=cwd, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, '', 'timed out after %ds\n' % timeout
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def scan(target, *args, env=None, cwd=None):
    return run('scan', target, '--no-progress', '--no-cache', *args, env=env, cwd=cwd)


def case(name, ok, detail=''):
    cases.append((name, bool(ok), detail, None))


def skip(name, why):
    cases.append((name, True, '', why))


def write(path, text, mode='w'):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)
    return path


def one_line_naming(err, name):
    return err.count('\n') == 1 and err.endswith('\n') and name in err


def is_json(text):
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


# A small rootfs every test scans quickly.
rootfs = os.path.join(tmp, 'rootfs')
write(os.path.join(rootfs, 'etc', 'os-release'), 'ID=debian\nVERSION_ID="12"\n')

# ---- 1. -o / --output ----
out_dir = os.path.join(tmp, 'out')
os.makedirs(out_dir)
rc, out, err = scan(rootfs, '-f', 'json', '-o', '-', cwd=out_dir)
case('-o - writes the report to stdout and no file named "-"',
     rc == 0 and is_json(out) and not os.path.exists(os.path.join(out_dir, '-')), err)

reg = write(os.path.join(out_dir, 'report.json'), 'old\n')
os.chmod(reg, 0o640)
rc, out, err = scan(rootfs, '-f', 'json', '--output', reg)
with open(reg) as f:
    body = f.read()
case('a regular file is replaced with the report, its mode kept, no temporary file left',
     rc == 0 and out == '' and is_json(body) and stat.S_IMODE(os.stat(reg).st_mode) == 0o640
     and os.listdir(out_dir) == ['report.json'], 'rc %d mode %o dir %s %s' % (
         rc, stat.S_IMODE(os.stat(reg).st_mode), os.listdir(out_dir), err))

new = os.path.join(out_dir, 'new.json')
rc, out, err = scan(rootfs, '-f', 'json', '-o', new)
case('a file that does not exist yet is created', rc == 0 and os.path.isfile(new) and
     sorted(os.listdir(out_dir)) == ['new.json', 'report.json'], err)
os.unlink(new)

link_dir = os.path.join(tmp, 'links')
target_dir = os.path.join(tmp, 'targets')
os.makedirs(link_dir)
os.makedirs(target_dir)
link_target = write(os.path.join(target_dir, 'real.json'), 'old\n')
link = os.path.join(link_dir, 'latest.json')
os.symlink(link_target, link)
rc, out, err = scan(rootfs, '-f', 'json', '-o', link)
with open(link_target) as f:
    body = f.read()
case('a symlink is never replaced: the report goes to its target, renamed in the target\'s directory',
     rc == 0 and os.path.islink(link) and os.readlink(link) == link_target and is_json(body)
     and os.listdir(link_dir) == ['latest.json'] and os.listdir(target_dir) == ['real.json'],
     'rc %d %s %s %s' % (rc, os.listdir(link_dir), os.listdir(target_dir), err))

dangling = os.path.join(link_dir, 'dangling.json')
os.symlink(os.path.join(tmp, 'nowhere', 'x.json'), dangling)
rc, out, err = scan(rootfs, '-f', 'json', '-o', dangling)
case('a dangling symlink is refused with exit 2, one line naming it, the link kept',
     rc == 2 and one_line_naming(err, 'dangling.json') and os.path.islink(dangling) and out == '', err)

rc, out, err = scan(rootfs, '-f', 'json', '-o', out_dir)
case('a directory as --output exits 2 with one line naming it, before the scan',
     rc == 2 and one_line_naming(err, out_dir) and sorted(os.listdir(out_dir)) == ['report.json'], err)

rc, out, err = scan(rootfs, '-f', 'json', '-o', os.path.join(tmp, 'no-such-dir', 'r.json'))
case('an --output in a missing directory exits 2 with one line naming it',
     rc == 2 and one_line_naming(err, 'no-such-dir'), err)

fifo = os.path.join(tmp, 'report.fifo')
os.mkfifo(fifo)
rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
proc = subprocess.Popen([BIN, 'scan', rootfs, '--no-progress', '--no-cache', '-f', 'json', '-o', fifo],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
got = b''
while True:
    # A FIFO with no writer reads as EOF at once: stop only once hullscan has exited too.
    exited = proc.poll() is not None
    select.select([rfd], [], [], 0.1)
    try:
        chunk = os.read(rfd, 65536)
    except BlockingIOError:
        chunk = b''
    got += chunk
    if exited and not chunk:
        break
os.close(rfd)
perr = proc.stderr.read().decode()
proc.wait()
case('a FIFO is written through and stays a FIFO',
     proc.returncode == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode) and is_json(got.decode('utf-8', 'replace')),
     'rc %s got %d bytes %s' % (proc.returncode, len(got), perr))

# A character device: as root, a null device made here (the real /dev/null is never written
# by a test that could replace it); otherwise /dev/null, which a non-root run cannot replace.
dev = None
if ROOT:
    dev = os.path.join(tmp, 'null')
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        dev = None
elif os.path.exists('/dev/null'):
    dev = '/dev/null'
if dev is None:
    skip('a character device is written through and stays one', 'cannot make a device node here')
else:
    rc, out, err = scan(rootfs, '-f', 'json', '-o', dev)
    case('a character device is written through and stays one',
         rc == 0 and stat.S_ISCHR(os.lstat(dev).st_mode) and out == '', err)
    if dev != '/dev/null':
        case('... and no temporary file is left beside it',
             not [n for n in os.listdir(tmp) if n.startswith('.null.')], os.listdir(tmp))

# /proc/self/fd/1 names stdout: written through that descriptor (never a file made in /proc).
rc, out, err = scan(rootfs, '-f', 'json', '-o', '/proc/self/fd/1')
case('-o /proc/self/fd/1 writes to stdout', rc == 0 and is_json(out), err)
if not ROOT:
    rc, out, err = scan(rootfs, '-f', 'json', '-o', '/dev/stdout')
    case('-o /dev/stdout writes to stdout', rc == 0 and is_json(out), err)

sock_dir = tempfile.mkdtemp(prefix='hs-sock-')
try:
    import socket
    sock_path = os.path.join(sock_dir, 's')
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(sock_path)
    rc, out, err = scan(rootfs, '-f', 'json', '-o', sock_path)
    case('a socket as --output exits 2, the socket kept',
         rc == 2 and one_line_naming(err, sock_path) and stat.S_ISSOCK(os.lstat(sock_path).st_mode), err)
    s.close()
finally:
    shutil.rmtree(sock_dir, ignore_errors=True)

# bundle create -o: the same helper; a bundle is read back, so only a regular file will do.
bsrc = os.path.join(tmp, 'bsrc')
os.makedirs(os.path.join(bsrc, 'plugins'))
shutil.copy(os.path.join(MODULES, 'test-good.so'), os.path.join(bsrc, 'plugins', 'test-good.so'))
benv = {'HULLSCAN_PLUGIN_PATH_ONLY': '1', 'HULLSCAN_PLUGIN_PATH': ''}
bdir = os.path.join(tmp, 'bundles')
btarget_dir = os.path.join(tmp, 'bundle-targets')
os.makedirs(bdir)
os.makedirs(btarget_dir)
btarget = write(os.path.join(btarget_dir, 'real.hsb'), 'old')
blink = os.path.join(bdir, 'current.hsb')
os.symlink(btarget, blink)
rc, out, err = run('bundle', 'create', bsrc, '-o', blink, env=benv)
rc2, out2, err2 = run('bundle', 'verify', btarget, env=benv)
case('bundle create -o a symlink writes its target, keeps the link, leaves no temporary file',
     rc == 0 and rc2 == 0 and os.path.islink(blink) and os.listdir(bdir) == ['current.hsb']
     and os.listdir(btarget_dir) == ['real.hsb'], out + err + err2)
bfifo = os.path.join(bdir, 'b.fifo')
os.mkfifo(bfifo)
# (writing into a FIFO nobody reads would block: a hang is a failure here, not a wait)
rc, out, err = run('bundle', 'create', bsrc, '-o', bfifo, env=benv, timeout=30)
case('bundle create -o a FIFO exits 2, the FIFO kept', rc == 2 and one_line_naming(err, 'b.fifo')
     and stat.S_ISFIFO(os.lstat(bfifo).st_mode) and sorted(os.listdir(bdir)) == ['b.fifo', 'current.hsb'], err)
rc, out, err = run('bundle', 'create', bsrc, '-o', bdir, env=benv)
case('bundle create -o a directory exits 2', rc == 2 and one_line_naming(err, bdir), err)
rc, out, err = run('bundle', 'create', bsrc, '-o', os.path.join(bsrc, 'self.hsb'), env=benv)
case('bundle create -o inside the bundled directory exits 2 and writes nothing there',
     rc == 2 and one_line_naming(err, 'self.hsb') and sorted(os.listdir(bsrc)) == ['plugins'], err)

# ---- 2. unusable input: exit 2, one line naming it, no report ----
def unusable(name, target, *extra, must=None):
    keep = write(os.path.join(tmp, 'kept', 'report.json'), 'previous\n')
    rc, out, err = scan(target, '-f', 'json', '-o', keep, *extra)
    with open(keep) as f:
        kept = f.read() == 'previous\n'
    shown = must if must is not None else os.path.basename(target.rstrip('/'))
    case(name, rc == 2 and one_line_naming(err, shown) and kept and out == '', 'rc %d: %r' % (rc, err))


empty_dir = os.path.join(tmp, 'empty-dir')
os.makedirs(os.path.join(empty_dir, 'sub'))
unusable('an empty directory exits 2 and leaves an existing report as it was', empty_dir)
unusable('an empty directory as --type rootfs exits 2', empty_dir, '--type', 'rootfs')
unusable('an empty directory as --type config exits 2', empty_dir, '--type', 'k8s')
plain = os.path.join(tmp, 'plain-dir')
write(os.path.join(plain, 'README.txt'), 'nothing to see\n')
write(os.path.join(plain, 'other.yaml'), 'just: data\n')
unusable('a directory given as --type k8s with no recognised document exits 2', plain, '--type', 'k8s')
rc, out, err = scan(plain, '-f', 'json', '--type', 'rootfs')
case('... while the same directory as --type rootfs scans', rc == 0 and is_json(out), err)
# a source tree detected as config is still scanned: the secrets plugin reads every file
write(os.path.join(plain, 'deploy.sh'), 'export AWS_ACCESS_KEY_ID=AKIAZ7QXWERTYUIOPASD\n')
rc, out, err = scan(plain, '-f', 'json')
case('... and a plain tree detected as config is scanned for secrets',
     rc == 0 and is_json(out) and 'SEC-AWS-ACCESS-KEY-ID' in out, 'rc %d: %s' % (rc, err))

df_dir = os.path.join(tmp, 'df')
unusable('an empty Dockerfile exits 2', write(os.path.join(df_dir, 'empty', 'Dockerfile'), ''))
unusable('a Dockerfile with only comments exits 2',
         write(os.path.join(df_dir, 'comments', 'Dockerfile'), '# nothing\n\n# here\n'))
unusable('a Dockerfile with no FROM exits 2',
         write(os.path.join(df_dir, 'nofrom', 'Dockerfile'), 'hello world\nthis is text\n'))
unusable('a Dockerfile whose parser directive is invalid exits 2',
         write(os.path.join(df_dir, 'directive', 'Dockerfile'), '# escape=x\nFROM alpine:3.19\n'))
unusable('a Dockerfile given with --type dockerfile that is binary exits 2',
         write(os.path.join(df_dir, 'bin', 'blob.bin'), b'\x00\x01\x02FROM x\n', mode='wb'), '--type', 'dockerfile')

bad_df = write(os.path.join(df_dir, 'bad', 'Dockerfile'),
               'FROM alpine:3.19\nFORM debian\nCOPY\nUSER\nRUN true\nFROM\nWORKDIR\nCMD ["x"]\n')
rc, out, err = scan(bad_df, '-f', 'json', '--verbose')
try:
    notes = json.loads(out).get('notes', [])
except ValueError:
    notes = []
want = {2: 'unknown instruction: FORM', 3: 'COPY requires at least two arguments',
        4: 'USER requires exactly one argument', 6: 'FROM requires either one or three arguments',
        7: 'WORKDIR requires exactly one argument'}
missing = [ln for ln, why in want.items()
           if not [n for n in notes if 'line %d: %s' % (ln, why) in n and n.count('Dockerfile') == 1]]
case('a parseable Dockerfile with bad instructions scans, one note each naming file and line',
     rc == 0 and not missing and not [n for n in notes if 'line 5' in n or 'line 8' in n],
     'rc %d missing %s notes %s %s' % (rc, missing, notes, err[-500:]))

ydir = os.path.join(tmp, 'yaml')
unusable('an empty YAML file exits 2', write(os.path.join(ydir, 'empty.yaml'), ''))
unusable('a YAML file with only comments exits 2', write(os.path.join(ydir, 'comments.yaml'), '# x\n---\n'))
unusable('an unparseable YAML file exits 2 with one line',
         write(os.path.join(ydir, 'broken.yaml'), 'kind: Pod\nmetadata: {name: [x\n  bad: : :\n'))
unusable('an unparseable YAML file given with --type k8s exits 2',
         write(os.path.join(ydir, 'broken.yml'), 'a: [1, 2\n'), '--type', 'k8s')
rc, out, err = scan(write(os.path.join(ydir, 'notes.txt'), 'a: [1, 2\n'), '-f', 'json', '--type', 'config')
case('a text file given with --type config is scanned as it is, not parsed as YAML', rc == 0 and is_json(out), err)
unusable('an unparseable JSON file exits 2', write(os.path.join(ydir, 'broken.json'), '{"kind": "Pod",\n'))
ok_yaml = write(os.path.join(ydir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n'
                '  containers:\n  - name: c\n    image: nginx:1.25\n')
rc, out, err = scan(ok_yaml, '-f', 'json')
case('a valid manifest as the target scans', rc in (0, 1) and is_json(out), err)

notdb = write(os.path.join(tmp, 'vuln', 'notdb.sqlite'), 'this is not a database\n' * 100)
unusable('a --vuln-db that is no database exits 2 before the scan', rootfs, '--vuln-db', notdb, must='notdb.sqlite')
unusable('a missing --vuln-db exits 2', rootfs, '--vuln-db', os.path.join(tmp, 'vuln', 'none.db'), must='none.db')
if ROOT:
    skip('an unreadable --vuln-db exits 2', 'root reads every file')
else:
    unreadable = write(os.path.join(tmp, 'vuln', 'unreadable.db'), 'x')
    os.chmod(unreadable, 0)
    unusable('an unreadable --vuln-db exits 2', rootfs, '--vuln-db', unreadable, must='unreadable.db')

# ---- 3. a failing plugin: exit 3 unless --keep-going; 3 wins over --fail-on's 1 ----
plugdir = os.path.join(tmp, 'plugins')
os.makedirs(plugdir)
for m in ('test-good.so', 'test-scan-fails.so', 'test-init-fails.so'):
    shutil.copy(os.path.join(MODULES, m), plugdir)
os.chmod(plugdir, 0o755)
penv = {'HULLSCAN_PLUGIN_PATH': plugdir, 'HULLSCAN_PLUGIN_PATH_ONLY': '1'}
marked = os.path.join(tmp, 'marked')
write(os.path.join(marked, 'etc', 'os-release'), 'ID=debian\n')
write(os.path.join(marked, 'srv', 'a.txt'), 'FINDME\n')


def plugin_scan(names, *extra):
    rc, out, err = scan(marked, '-f', 'json', '--type', 'rootfs', '--plugins', names, *extra, env=penv)
    try:
        rep = json.loads(out)
    except ValueError:
        rep = None
    return rc, rep, err


rc, rep, err = plugin_scan('test-good,test-scan-fails')
ok = rc == 3 and rep is not None
if ok:
    status = {p['name']: p for p in rep['plugins']}
    ok = status['test-scan-fails']['status'] == 'failed' and 'scan_end' in status['test-scan-fails'].get('error', '')
    ok = ok and status['test-good']['status'] == 'ok'
    ok = ok and any(f['plugin'] == 'test-good' and f['rule_id'] == 'TEST-0001' for f in rep['findings'])
case('a plugin whose scan_end fails: exit 3, the report written with the others\' results and the failure named',
     ok, 'rc %d %s %s' % (rc, json.dumps(rep)[:800] if rep else None, err))
rc, rep, err = plugin_scan('test-good,test-scan-fails', '--keep-going')
case('... exit 0 with --keep-going', rc == 0 and rep is not None, err)
rc, rep, err = plugin_scan('test-good,test-scan-fails', '--fail-on', 'LOW')
case('... exit 3 wins over --fail-on\'s 1', rc == 3 and rep is not None, err)
rc, rep, err = plugin_scan('test-good,test-scan-fails', '--fail-on', 'LOW', '--keep-going')
case('... with --keep-going, --fail-on decides: exit 1', rc == 1 and rep is not None, err)
rc, rep, err = plugin_scan('test-good,test-init-fails')
case('a plugin whose init fails: exit 3 with the report written',
     rc == 3 and rep is not None and any(p['name'] == 'test-init-fails' and p['status'] == 'failed'
                                         for p in rep['plugins']), err)
rc, rep, err = plugin_scan('test-good')
case('the same scan with only working plugins exits 0', rc == 0 and rep is not None, err)
rc, out, err = run('scan', '--help')
case('scan --help names --keep-going and says 3 wins over 1',
     rc == 0 and '--keep-going' in out and '3 wins over 1' in out, out)

# ---- 4. notes: one line each, the file named once ----
mixed = os.path.join(tmp, 'mixed')
files = {
    'good.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n  - name: c\n'
                 '    image: nginx:1.25\n',
    'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n  labels: : :\n',
    'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
    'tabs.yaml': 'apiVersion: v1\nkind: Pod\n\tmetadata: x\n',
    'broken.json': '{"apiVersion": "v1", "kind": "Pod",\n "metadata": \n',
    'docker-compose.yml': 'services:\n  web: [unclosed\n',
    'Dockerfile': 'FROM alpine:3.19\nFORM x\nCOPY\n',
}
for name, text in files.items():
    write(os.path.join(mixed, name), text)
rc, out, err = scan(mixed, '-f', 'json', '--verbose')
try:
    notes = json.loads(out).get('notes', [])
except ValueError:
    notes = None
stderr_notes = [ln for ln in err.splitlines() if ': note: ' in ln]
bad = []
for n in (notes or []) + stderr_notes:
    if any(c in n for c in '\n\r\v\f\u2028\u2029\x85'):
        bad.append(('line break', n))
    for name in files:
        if name in n and n.count(name) != 1:
            bad.append(('named %d times' % n.count(name), n))
noted = {name for name in ('broken.yaml', 'dup.yaml', 'tabs.yaml', 'broken.json', 'docker-compose.yml', 'Dockerfile')
         if any(name in n for n in (notes or []))}
case('a scan of several broken inputs: every note one line, naming its file exactly once',
     rc == 0 and notes is not None and not bad and len(noted) == 6 and len(stderr_notes) == len(notes),
     'rc %d bad %s noted %s notes %s %s' % (rc, bad, sorted(noted), notes, err[-800:]))

# A plugin's note with line breaks and its path repeated goes through the same formatter.
rc, rep, err = plugin_scan('test-good,test-scan-fails', '--keep-going')
pnotes = [n for n in (rep or {}).get('notes', []) if n.startswith('test-scan-fails:')]
case('a plugin note with line breaks and a repeated path is one line naming the path once',
     len(pnotes) == 1 and '\n' not in pnotes[0] and '\r' not in pnotes[0] and pnotes[0].count('a.txt') == 1
     and 'first second' in pnotes[0], '%s %s' % (pnotes, err))

print('1..%d' % len(cases))
for i, (name, ok, detail, why) in enumerate(cases, 1):
    if why:
        print('ok %d - %s # SKIP %s' % (i, name, why))
        continue
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok and detail:
        for line in str(detail).splitlines()[:20]:
            print('# ' + line)
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(0)
