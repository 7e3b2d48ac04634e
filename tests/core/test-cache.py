#!/usr/bin/env python3
"""test-cache.py: the scan cache end to end. A warm scan must report exactly what a cold one
and a --no-cache one report; every input of a result (profile, --config, a rule file, the
image's bytes) must invalidate it; a tampered archive must be caught even when its results
are cached; a damaged, foreign or world-writable cache must never fail a scan; plugins that do
not declare themselves cacheable, failed plugins and non-image targets are never stored; and
concurrent scans of images sharing layers must all finish and agree. Prints TAP."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

BIN = os.environ['HULLSCAN_BIN']
BUILD = os.environ['HULL_BUILD_ROOT']
GEN = os.environ['HULL_GEN_IMAGE']
EXAMPLE = os.path.join(BUILD, 'tests', 'example.tar')
cases = []
REPLAYED = 'results replayed from the scan cache'
NOT_READ = 'layers not read'


def run(*args, env=None):
    e = dict(os.environ)
    e.pop('HULLSCAN_PLUGIN_PATH', None)
    if env:
        e.update(env)
    p = subprocess.run([BIN] + list(args), capture_output=True, env=e, timeout=240)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def case(name, ok, detail=''):
    cases.append((name, bool(ok), detail))


def entries(cache):
    db = os.path.join(cache, 'cache.sqlite')
    if not os.path.exists(db):
        return 0
    with sqlite3.connect(db) as c:
        return c.execute('SELECT count(*) FROM results').fetchone()[0]


def gen(spec, out, fmt='docker-archive'):
    path = os.path.join(tmp, 'spec-%d.json' % len(os.listdir(tmp)))
    with open(path, 'w') as f:
        json.dump(spec, f)
    subprocess.run([sys.executable, GEN, 'build', path, out, '--format', fmt], check=True)
    return out


def age(path, seconds=10):
    """Moves a file's mtime back past the cache's racy window; its ctime (which cannot be set)
    is left to age by waiting in the one test that needs it."""
    t = time.time() - seconds
    os.utime(path, (t, t))


tmp = tempfile.mkdtemp(prefix='hullscan-cache-')
try:
    cache = os.path.join(tmp, 'cache')
    # 1. cold, warm and uncached scans report the same, in every format
    for fmt in ('json', 'sarif', 'table', 'cyclonedx'):
        _, nocache, _ = run('scan', '--no-cache', '-f', fmt, EXAMPLE)
        rc1, cold, err1 = run('scan', '--cache-dir', cache, '-f', fmt, '--verbose', EXAMPLE)
        rc2, warm, err2 = run('scan', '--cache-dir', cache, '-f', fmt, '--verbose', EXAMPLE)
        case('%s: a warm scan reports byte for byte what a cold and an uncached one do' % fmt,
             rc1 == rc2 and cold == warm == nocache and len(cold) > 100, err2[-400:])
        case('%s: the second scan is replayed, the first is not' % fmt,
             (REPLAYED in err2) and (fmt != 'json' or REPLAYED not in err1), err1[-300:] + err2[-300:])
    case('one entry per result key (formats share it)', entries(cache) == 1, str(entries(cache)))
    rc, warm, _ = run('scan', '--cache-dir', cache, '-f', 'json', '--severity', 'CRITICAL', EXAMPLE)
    _, cold, _ = run('scan', '--no-cache', '-f', 'json', '--severity', 'CRITICAL', EXAMPLE)
    doc = json.loads(warm)
    case('per-run filters apply to replayed results', warm == cold and
         all(f['severity'] == 'CRITICAL' for f in doc['findings']) and doc['findings'], warm[:200])
    rc, _, _ = run('scan', '--cache-dir', cache, '--fail-on', 'HIGH', '-f', 'json', EXAMPLE)
    case('--fail-on exits 1 on replayed findings', rc == 1, str(rc))

    # 2. --no-cache neither reads nor writes
    other = os.path.join(tmp, 'unused')
    run('scan', '--no-cache', '--cache-dir', other, '-f', 'json', EXAMPLE)
    case('--no-cache creates no cache', not os.path.exists(other))

    # 3. every input of a result is in its key
    prof = os.path.join(tmp, 'prof.conf')
    with open(prof, 'w') as f:
        f.write('[severity]\nSEC-0001 = LOW\n')
    _, out, err = run('scan', '--cache-dir', cache, '--config', prof, '-f', 'json', '--verbose', EXAMPLE)
    case('another --config is a miss', REPLAYED not in err and entries(cache) == 2, err[-300:])
    _, out, err = run('scan', '--cache-dir', cache, '--profile', 'ci', '-f', 'json', '--verbose', EXAMPLE)
    _, want, _ = run('scan', '--no-cache', '--profile', 'ci', '-f', 'json', EXAMPLE)
    case('another profile is a miss, scanned by modules the cache knew but had not opened',
         REPLAYED not in err and out == want and 'opened only if a scan needs it' in err, err[-300:])
    _, out, err = run('scan', '--cache-dir', cache, '--no-deleted', '-f', 'json', '--verbose', EXAMPLE)
    case('--no-deleted is a miss', REPLAYED not in err, err[-300:])
    _, out, err = run('scan', '--cache-dir', cache, '--plugins', 'secrets', '-f', 'json', '--verbose', EXAMPLE)
    case('another plugin set is a miss', REPLAYED not in err, err[-300:])

    # a rule file named in --config: the result stands only while the file is unchanged
    rules = os.path.join(tmp, 'extra-rules.json')
    with open(rules, 'w') as f:
        json.dump({'rules': []}, f)
    cfg = os.path.join(tmp, 'extra.conf')
    with open(cfg, 'w') as f:
        f.write('[secrets]\nrules = %s\n' % rules)
    rc1, first, err1 = run('scan', '--cache-dir', cache, '--config', cfg, '-f', 'json', '--verbose', EXAMPLE)
    rc2, second, err2 = run('scan', '--cache-dir', cache, '--config', cfg, '-f', 'json', '--verbose', EXAMPLE)
    case('an extra rule file: cached while unchanged', rc1 in (0, 1) and REPLAYED in err2 and first == second,
         err1[-300:] + err2[-300:])
    with open(rules, 'w') as f:
        json.dump({'rules': [{'id': 'ACME-SECRET-1', 'title': 'ACME token', 'kind': 'acme', 'severity': 'HIGH',
                              'regex': '(?<secret>acme_[a-z0-9]{8})', 'keywords': ['acme_']}]}, f)
    rc3, third, err3 = run('scan', '--cache-dir', cache, '--config', cfg, '-f', 'sarif', '--verbose', EXAMPLE)
    case('an extra rule file changed: a miss, and the new rule is loaded',
         REPLAYED not in err3 and 'ACME-SECRET-1' in third and 'failed' not in err3, err3[-400:])

    # 4. the image's bytes: a tampered layer is caught even with its results cached
    img = os.path.join(tmp, 'img.tar')
    shutil.copy(EXAMPLE, img)
    age(img)
    # a private copy of the plugin modules, to change one under the cache's feet below
    mods = os.path.join(tmp, 'mods')
    os.makedirs(mods)
    os.chmod(mods, 0o755)
    for root, _dirs, files in os.walk(os.path.join(BUILD, 'plugins')):
        for n in files:
            if n.startswith('hullscan-') and n.endswith('.so'):
                shutil.copy(os.path.join(root, n), mods)
                age(os.path.join(mods, n))
    time.sleep(2.2)  # past the racy window for the ctime as well
    c2 = os.path.join(tmp, 'cache2')
    run('scan', '--cache-dir', c2, '-f', 'json', img)
    rc, out, err = run('scan', '--cache-dir', c2, '-f', 'json', '--verbose', img)
    case('an unchanged archive is trusted by its stat: no layer read',
         REPLAYED in err and NOT_READ in err, err[-400:])
    # ... nor listed: the probe memo answers for the archive, and the libraries that read
    # archives and hash large files are never loaded (LD_DEBUG lists what the loader opens)
    def loaded(*args):
        _, _, e = run(*args, env={'LD_DEBUG': 'files'})
        return {n for n in ('libarchive.so', 'libcrypto.so', 'libyaml', 'libltdl') if 'file=' + n in e}
    cold_libs = loaded('scan', '--no-cache', '-f', 'json', img)
    warm_libs = loaded('scan', '--cache-dir', c2, '-f', 'json', img)
    case('a warm scan loads neither libarchive, libcrypto nor libltdl; an uncached one does',
         warm_libs == set() and {'libarchive.so', 'libltdl'} <= cold_libs, '%s / %s' % (warm_libs, cold_libs))
    db2 = os.path.join(c2, 'cache.sqlite')
    with sqlite3.connect(db2) as c:
        memos = c.execute('SELECT path, length(memo) FROM probes').fetchall()
    case('one probe memo, for the archive', len(memos) == 1 and memos[0][0] == os.path.realpath(img) and
         memos[0][1] > 100, str(memos))
    # a damaged memo, and a memo that belongs to another archive: the result is still this
    # archive's, read and verified, never another image's
    _, want_img, _ = run('scan', '--no-cache', '-f', 'json', img)
    with sqlite3.connect(db2) as c:
        c.execute('UPDATE probes SET memo = randomblob(700)')
    rc, out, err = run('scan', '--cache-dir', c2, '-f', 'json', '--verbose', img)
    case('a damaged probe memo: the archive is listed again, results still replayed',
         out == want_img and REPLAYED in err, err[-300:])
    rc, out, err = run('scan', '--cache-dir', c2, '-f', 'json', img)  # a good memo again
    with sqlite3.connect(db2) as c:
        memo = bytes(c.execute('SELECT memo FROM probes').fetchone()[0])
        at = memo.find(b'"architecture"')
        if at >= 0:
            c.execute('UPDATE probes SET memo = ?', (memo[:at + 1] + b'X' + memo[at + 2:],))
    rc, out, err = run('scan', '--cache-dir', c2, '-f', 'json', '--verbose', img)
    case('a probe memo whose config no longer matches its digest: listed again, results replayed',
         at >= 0 and rc in (0, 1) and out == want_img and REPLAYED in err, 'at=%d rc=%d %s' % (at, rc, err[-300:]))
    other_img = gen({'tags': ['other:1'], 'layers': [
        {'entries': [{'path': 'etc/os-release', 'type': 'file', 'content': 'ID=alpine\nVERSION_ID=3.18.0\n'},
                     {'path': 'srv/.env', 'type': 'file', 'content': 'GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n'}]}]},
        os.path.join(tmp, 'other.tar'))
    age(other_img)
    time.sleep(2.2)
    _, want_other, _ = run('scan', '--no-cache', '-f', 'json', other_img)
    run('scan', '--cache-dir', c2, '-f', 'json', other_img)
    run('scan', '--cache-dir', c2, '-f', 'json', img)
    with sqlite3.connect(db2) as c:
        theirs = c.execute('SELECT memo FROM probes WHERE path = ?', (os.path.realpath(other_img),)).fetchone()
        if theirs:
            c.execute('UPDATE probes SET memo = ? WHERE path = ?', (theirs[0], os.path.realpath(img)))
    rc, out, err = run('scan', '--cache-dir', c2, '-f', 'json', '--verbose', img)
    case("another archive's memo: this archive's results, verified; not the other's",
         theirs is not None and out == want_img and out != want_other, err[-300:])
    rc, out, err = run('scan', '--cache-dir', c2, '-f', 'json', '--verbose', img)
    case('and the wrong memo was replaced: the next scan reads no layer',
         out == want_img and REPLAYED in err and NOT_READ in err, err[-300:])
    size = os.path.getsize(img)
    with open(img, 'r+b') as f:
        # flip one byte well inside the first layer: same size, new ctime
        f.seek(size // 2)
        b = f.read(1)
        f.seek(size // 2)
        f.write(bytes([b[0] ^ 0x55]))
    rc, out, err = run('scan', '--cache-dir', c2, '-f', 'json', img)
    case('a byte flipped in a cached image is refused, not replayed',
         rc == 2 and ('digest' in err or 'corrupt' in err) and not out, 'rc=%d %s' % (rc, err[-300:]))
    copy = os.path.join(tmp, 'copy.tar')
    shutil.copy(EXAMPLE, copy)
    rc, out, err = run('scan', '--cache-dir', c2, '-f', 'json', '--verbose', copy)
    case('a fresh copy of a cached image: layers verified, results replayed',
         REPLAYED in err and NOT_READ not in err, err[-400:])

    # a module's digest is remembered by its stat: a module changed in place is seen
    menv = {'HULLSCAN_PLUGIN_PATH': mods, 'HULLSCAN_PLUGIN_PATH_ONLY': '1'}
    c4 = os.path.join(tmp, 'cache4')
    _, want, _ = run('scan', '--no-cache', '-f', 'json', EXAMPLE, env=menv)
    run('scan', '--cache-dir', c4, '-f', 'json', EXAMPLE, env=menv)
    _, out, err = run('scan', '--cache-dir', c4, '-f', 'json', '--verbose', EXAMPLE, env=menv)
    case('modules from a private plugin dir: warm scan replayed', REPLAYED in err and out == want, err[-300:])
    with sqlite3.connect(os.path.join(c4, 'cache.sqlite')) as c:
        known = c.execute('SELECT count(*) FROM file_digests').fetchone()[0]
    case('their digests are remembered by stat (no module read at the next scan)', known >= 6, str(known))
    with open(os.path.join(mods, 'hullscan-secrets.so'), 'ab') as f:
        f.write(b'\0changed')
    _, out, err = run('scan', '--cache-dir', c4, '-f', 'json', '--verbose', EXAMPLE, env=menv)
    case('a module changed in place: a miss, the module opened and run', REPLAYED not in err and out == want and
         'secrets: known to the scan cache' not in err, err[-400:])

    # 5. OCI layouts (a directory: one trusted file per layer blob)
    oci = gen({'tags': ['app:1'], 'layers': [
        {'entries': [{'path': 'etc/os-release', 'type': 'file', 'content': 'ID=alpine\nVERSION_ID=3.19.0\n'},
                     {'path': 'app/.env', 'type': 'file',
                      'content': 'AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH\n'}]},
        {'entries': [{'path': 'app/config.yaml', 'type': 'file', 'content': 'a: 1\n'}]}]},
        os.path.join(tmp, 'oci'), 'oci-dir')
    _, cold, _ = run('scan', '--no-cache', '-f', 'json', oci)
    run('scan', '--cache-dir', cache, '-f', 'json', oci)
    _, warm, err = run('scan', '--cache-dir', cache, '-f', 'json', '--verbose', oci)
    case('OCI directory: warm equals uncached', warm == cold and REPLAYED in err and '"findings"' in warm,
         err[-300:])

    # 6. what is never stored
    c3 = os.path.join(tmp, 'cache3')
    root = os.path.join(tmp, 'rootfs')
    os.makedirs(os.path.join(root, 'etc'))
    with open(os.path.join(root, 'etc', 'os-release'), 'w') as f:
        f.write('ID=debian\nVERSION_ID="12"\n')
    run('scan', '--cache-dir', c3, '-f', 'json', root)
    case('a rootfs directory is not cached (no digest to key it)', entries(c3) == 0)
    broken = os.path.join(tmp, 'broken.conf')
    with open(broken, 'w') as f:
        f.write('[secrets]\nrules = %s\n' % os.path.join(tmp, 'no-such-rules.json'))
    rc, out, err = run('scan', '--cache-dir', c3, '--config', broken, '-f', 'json', EXAMPLE)
    case('a scan with a failed plugin is not stored', entries(c3) == 0 and 'secrets failed' in err,
         '%d %s' % (entries(c3), err[-300:]))
    plugdir = os.environ.get('HULL_TEST_PLUGIN_DIR')
    mods = [n for n in os.listdir(plugdir) if n.endswith('.so') and 'test-good' in n] if plugdir else []
    if mods:
        only = os.path.join(tmp, 'plug')
        os.makedirs(only)
        shutil.copy(os.path.join(plugdir, mods[0]), only)
        os.chmod(only, 0o755)
        run('scan', '--cache-dir', c3, '-f', 'json', EXAMPLE,
            env={'HULLSCAN_PLUGIN_PATH': only, 'HULLSCAN_PLUGIN_PATH_ONLY': '1'})
        case('a plugin that does not declare HULL_CAP_CACHEABLE: nothing stored', entries(c3) == 0)
    else:
        case('the test plugin module is built', False, 'no *test-good*.so in %s' % plugdir)

    # 7. a damaged, foreign or open cache never fails a scan
    _, good, _ = run('scan', '--no-cache', '-f', 'json', EXAMPLE)
    with sqlite3.connect(os.path.join(cache, 'cache.sqlite')) as c:
        c.execute("UPDATE payloads SET payload = CAST('{\"format\": 1, \"findings\": [{\"severity\": 99}]' AS BLOB)")
    rc, out, err = run('scan', '--cache-dir', cache, '-f', 'json', '--verbose', EXAMPLE)
    case('a damaged stored result is a miss, and the scan is right', out == good and REPLAYED not in err, err[-300:])
    rc, out, err = run('scan', '--cache-dir', cache, '-f', 'json', '--verbose', EXAMPLE)
    case('... and is replaced by a good one', out == good and REPLAYED in err, err[-300:])
    with sqlite3.connect(os.path.join(cache, 'cache.sqlite')) as c:
        c.execute("UPDATE payloads SET payload = CAST('[1, 2' AS BLOB)")
        c.execute("UPDATE results SET deps = 'not json'")
    rc, out, err = run('scan', '--cache-dir', cache, '-f', 'json', EXAMPLE)
    case('unparsable deps and payload: a miss', out == good, err[-300:])
    junk = os.path.join(tmp, 'junk')
    os.makedirs(junk, mode=0o700)
    with open(os.path.join(junk, 'cache.sqlite'), 'wb') as f:
        f.write(os.urandom(8192))
    rc, out, err = run('scan', '--cache-dir', junk, '-f', 'json', EXAMPLE)
    case('a cache file that is not a database: warned, scan right', out == good and 'scan cache not used' in err,
         err[-300:])
    opened = os.path.join(tmp, 'open')
    os.makedirs(opened)
    os.chmod(opened, 0o777)
    rc, out, err = run('scan', '--cache-dir', opened, '-f', 'json', EXAMPLE)
    case('a world-writable cache directory is refused (it could hide findings)',
         out == good and 'writable by others' in err and not os.path.exists(os.path.join(opened, 'cache.sqlite')),
         err[-300:])
    older = os.path.join(tmp, 'older')
    run('scan', '--cache-dir', older, '-f', 'json', EXAMPLE)
    with sqlite3.connect(os.path.join(older, 'cache.sqlite')) as c:
        c.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    rc, out, err = run('scan', '--cache-dir', older, '-f', 'json', EXAMPLE)
    with sqlite3.connect(os.path.join(older, 'cache.sqlite')) as c:
        now = c.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
    case('a cache of an older schema is rebuilt, silently', out == good and not err and now != '1' and
         entries(older) == 1, err[-300:] + now)
    newer = os.path.join(tmp, 'newer')
    run('scan', '--cache-dir', newer, '-f', 'json', EXAMPLE)
    with sqlite3.connect(os.path.join(newer, 'cache.sqlite')) as c:
        c.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")
    rc, out, err = run('scan', '--cache-dir', newer, '-f', 'json', EXAMPLE)
    case('a cache of another schema is left alone', out == good and 'schema 999' in err, err[-300:])

    # 8. concurrent scans of images sharing layers: all finish, all agree
    base = {'entries': [{'path': 'etc/os-release', 'type': 'file', 'content': 'ID=debian\nVERSION_ID="12"\n'},
                        {'path': 'srv/id_rsa', 'type': 'file',
                         'content': '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----\n'}]}
    imgs = []
    for i in range(3):
        top = {'entries': [{'path': 'app/v%d.txt' % i, 'type': 'file', 'content': 'token=ghp_%s\n' % ('x%d' % i * 18)[:36]}]}
        imgs.append(gen({'tags': ['app:%d' % i], 'layers': [base, top]}, os.path.join(tmp, 'shared-%d.tar' % i)))
    expect = {p: run('scan', '--no-cache', '-f', 'json', p)[1] for p in imgs}
    conc = os.path.join(tmp, 'concurrent')
    jobs = [imgs[i % 3] for i in range(12)]
    with ThreadPoolExecutor(max_workers=6) as ex:
        res = list(ex.map(lambda p: (p, run('scan', '--cache-dir', conc, '-f', 'json', p)), jobs))
    bad = [(p, r[0], r[2][-200:]) for p, r in res if r[0] not in (0, 1) or r[1] != expect[p]]
    case('12 concurrent scans of 3 images sharing a layer: all finish and agree with uncached scans',
         not bad, repr(bad[:2]))
    case('... and leave one entry per image', entries(conc) == 3, str(entries(conc)))
    with ThreadPoolExecutor(max_workers=6) as ex:
        res = list(ex.map(lambda p: (p, run('scan', '--cache-dir', conc, '-f', 'json', p)), jobs))
    bad = [(p, r[0]) for p, r in res if r[1] != expect[p]]
    case('12 concurrent warm scans agree too', not bad, repr(bad[:2]))

    # 9. digests are checked whatever --jobs (with more than one, on a thread beside the walk)
    layer = {'compression': 'gzip', 'entries': [{'path': 'etc/os-release', 'type': 'file', 'content': 'ID=debian\n'},
                                                {'path': 'app/.env', 'type': 'file', 'content': 'TOKEN=abc\n'}]}
    bad = {
        'diff_id': gen({'layers': [layer], 'corrupt': {'diff_id': 0}}, os.path.join(tmp, 'bad-diffid.tar')),
        'blob': gen({'layers': [layer], 'corrupt': {'blob': 0}}, os.path.join(tmp, 'bad-blob'), 'oci-dir'),
        'truncated': gen({'layers': [dict(layer, truncate=60)]}, os.path.join(tmp, 'bad-trunc.tar')),
    }
    for what, path in sorted(bad.items()):
        for jobs in ('1', '2', '4'):
            for extra in (['--no-cache'], ['--cache-dir', os.path.join(tmp, 'cache-bad')]):
                rc, out, err = run('scan', '--jobs', jobs, '-f', 'json', path, *extra)
                case('%s layer, --jobs %s%s: exit 2, no report' % (what, jobs, ' (cache)' if len(extra) > 1 else ''),
                     rc == 2 and not out and err.strip(), 'rc=%d %s' % (rc, err[-200:]))
    case('a scan that failed its digest check stores nothing', entries(os.path.join(tmp, 'cache-bad')) == 0,
         str(entries(os.path.join(tmp, 'cache-bad'))))
    bomb = gen({'layers': [{'compression': 'gzip', 'entries': [
        {'path': 'zeros', 'type': 'file', 'content': '\u0000' * 4096, 'repeat': 16384}]}]},
        os.path.join(tmp, 'bomb.tar'))
    t0 = time.time()
    rc, out, err = run('scan', '--jobs', '2', '--no-cache', '--max-image-size', '8M', '-f', 'json', bomb)
    case('--max-image-size stops a gzip bomb with --jobs 2 too (index pass and digest thread)',
         rc == 2 and 'limit' in err and not out and time.time() - t0 < 30, 'rc=%d %s' % (rc, err[-200:]))

    # 10. rows are authenticated: whoever can rewrite the database but not read cache.key
    # cannot make a warm scan report less than a cold one
    os_release = {'path': 'etc/os-release', 'type': 'file', 'content': 'ID=debian\nVERSION_ID="12"\n'}
    leaky = gen({'tags': ['leaky:1'], 'layers': [{'entries': [
        os_release, {'path': 'app/.env', 'type': 'file', 'content': 'AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH\n'}]}]},
        os.path.join(tmp, 'leaky.tar'))
    clean = gen({'tags': ['leaky:1'], 'layers': [{'entries': [
        os_release, {'path': 'app/.env', 'type': 'file', 'content': 'NOTHING=here\n'}]}]},
        os.path.join(tmp, 'clean.tar'))
    _, want_leaky, _ = run('scan', '--no-cache', '-f', 'json', leaky)
    _, want_clean, _ = run('scan', '--no-cache', '-f', 'json', clean)

    def criticals(report):
        return [f for f in json.loads(report)['findings'] if f['severity'] == 'CRITICAL'] if report else []
    case('the leaky image has a CRITICAL finding, its clean twin none',
         criticals(want_leaky) and not criticals(want_clean), want_clean[-300:])
    authc = os.path.join(tmp, 'auth')
    dba = os.path.join(authc, 'cache.sqlite')
    keyf = os.path.join(authc, 'cache.key')

    def warm_cache():
        """A cache holding both images' results; returns {image: (key, deps, payload, mac)}."""
        shutil.rmtree(authc, ignore_errors=True)
        run('scan', '--cache-dir', authc, '-f', 'json', leaky)
        run('scan', '--cache-dir', authc, '-f', 'json', clean)
        with sqlite3.connect(dba) as c:
            rows = c.execute('SELECT r.key, r.deps, p.payload, r.mac FROM results r JOIN payloads p'
                             ' ON p.key = r.key ORDER BY r.created').fetchall()
        return dict(zip((leaky, clean), rows)) if len(rows) == 2 else {}

    rows = warm_cache()
    st = os.stat(keyf) if os.path.exists(keyf) else None
    case('the key file is made on first use: 32 bytes, mode 0600, ours',
         st is not None and st.st_size == 32 and (st.st_mode & 0o777) == 0o600 and st.st_uid == os.geteuid(),
         repr(st))
    _, out, err = run('scan', '--cache-dir', authc, '-f', 'json', '--verbose', leaky)
    case('an untouched row is replayed, with no warning', out == want_leaky and REPLAYED in err and
         'warning' not in err, err[-300:])

    def tampered(name, *edits):
        rows.update(warm_cache())
        with sqlite3.connect(dba) as c:
            for sql, params in edits:
                c.execute(sql, params)
        rc, out, err = run('scan', '--cache-dir', authc, '-f', 'json', '--verbose', leaky)
        case(name + ': a miss, with a warning; the CRITICAL finding is reported as cold',
             rows and out == want_leaky and REPLAYED not in err and 'fails its integrity check' in err,
             err[-400:])
        rc, out, err = run('scan', '--cache-dir', authc, '-f', 'json', '--verbose', leaky)
        case(name + ': the row was replaced by a good one', out == want_leaky and REPLAYED in err and
             'warning' not in err, err[-300:])

    if rows:
        k_leaky = rows[leaky][0]
        clean_deps, clean_payload, clean_mac = rows[clean][1:]
        no_critical = ('UPDATE payloads SET payload = ? WHERE key = ?', (clean_payload, k_leaky))
        tampered("payload rewritten (the clean twin's, no CRITICAL)", no_critical)
        tampered('payload and MAC rewritten', no_critical,
                 ('UPDATE results SET mac = randomblob(32) WHERE key = ?', (k_leaky,)))
        tampered('MAC column rewritten', ('UPDATE results SET mac = zeroblob(32) WHERE key = ?', (k_leaky,)))
        tampered('payload, deps and MAC copied from another row (same MAC key, other cache key)', no_critical,
                 ('UPDATE results SET deps = ?, mac = ? WHERE key = ?', (clean_deps, clean_mac, k_leaky)))
    else:
        case('both images were cached', False)

    # a rule file's fingerprint: the changed file's stat written into the row that held the old
    # file's digest would make the stale result current
    rules2 = os.path.join(tmp, 'auth-rules.json')
    with open(rules2, 'w') as f:
        json.dump({'rules': []}, f)
    cfg2 = os.path.join(tmp, 'auth-rules.conf')
    with open(cfg2, 'w') as f:
        f.write('[secrets]\nrules = %s\n' % rules2)
    age(rules2)
    time.sleep(2.2)  # past the racy window, so that the file's digest is remembered
    shutil.rmtree(authc, ignore_errors=True)
    _, stale, _ = run('scan', '--cache-dir', authc, '--config', cfg2, '-f', 'json', clean)
    with open(rules2, 'w') as f:
        json.dump({'rules': [{'id': 'ACME-NOTHING', 'title': 'nothing here', 'kind': 'acme', 'severity': 'CRITICAL',
                              'regex': '(?<secret>NOTHING=[a-z]{4})', 'keywords': ['NOTHING=']}]}, f)
    _, want_rules, _ = run('scan', '--no-cache', '--config', cfg2, '-f', 'json', clean)
    st2 = os.stat(rules2)
    with sqlite3.connect(dba) as c:
        n = c.execute('UPDATE file_digests SET dev = ?, ino = ?, size = ?, mtime_ns = ?, ctime_ns = ? WHERE path = ?',
                      (st2.st_dev, st2.st_ino, st2.st_size, st2.st_mtime_ns, st2.st_ctime_ns,
                       os.path.realpath(rules2))).rowcount
    rc, out, err = run('scan', '--cache-dir', authc, '--config', cfg2, '-f', 'json', '--verbose', clean)
    case('a rule file\'s digest row moved onto the changed file: a miss, the new rule applies',
         n == 1 and stale != want_rules and out == want_rules and REPLAYED not in err and
         'fails its integrity check' in err, 'n=%d %s' % (n, err[-400:]))

    # the key file: the cache is not used unless it is ours, private and a regular file
    _, good_leaky, _ = run('scan', '--no-cache', '-f', 'json', leaky)
    for what in ('mode 0644', 'owned by uid 65534', 'a symbolic link'):
        warm_cache()
        if what == 'mode 0644':
            os.chmod(keyf, 0o644)
        elif what == 'owned by uid 65534':
            if os.geteuid() != 0:
                case('# SKIP a key file owned by another user: needs root to chown', True)
                continue
            os.chown(keyf, 65534, -1)
        else:
            os.rename(keyf, keyf + '.real')
            os.symlink(keyf + '.real', keyf)
        rc, out, err = run('scan', '--cache-dir', authc, '-f', 'json', '--verbose', leaky)
        lines = [l for l in err.splitlines() if 'scan cache not used' in l]
        case('a key file %s: the cache is not used, one warning naming it' % what,
             out == good_leaky and REPLAYED not in err and len(lines) == 1 and 'cache.key' in lines[0],
             err[-400:])
    warm_cache()
    os.unlink(keyf)
    rc, out, err = run('scan', '--cache-dir', authc, '-f', 'json', '--verbose', leaky)
    with sqlite3.connect(dba) as c:
        left = c.execute('SELECT count(*) FROM results').fetchone()[0]
    case('a deleted key file: the old rows are dropped, the scan is cold and right, a new key made',
         out == want_leaky and REPLAYED not in err and left == 1 and os.path.getsize(keyf) == 32,
         '%d %s' % (left, err[-300:]))
    rc, out, err = run('scan', '--cache-dir', authc, '-f', 'json', '--verbose', leaky)
    case('... and the new key\'s rows are replayed', out == want_leaky and REPLAYED in err, err[-300:])
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print('1..%d' % len(cases))
for i, (name, ok, detail) in enumerate(cases, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok and detail:
        for line in str(detail).splitlines()[-8:]:
            print('#   ' + line)
