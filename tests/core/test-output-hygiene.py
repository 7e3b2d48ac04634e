#!/usr/bin/env python3
"""test-output-hygiene.py: nothing a scan prints leaks a secret or drives a terminal. An image
whose history, config and file names carry credentials, C1 controls and bidi overrides, and a
Dockerfile holding credentials, are scanned in every format (with and without the secrets
plugin), listed by `files` (table and JSON) and run with --verbose; no secret appears whole
(more than 4 characters in a row) in stdout or stderr, no raw control or bidi character
reaches either, and the JSON outputs still carry the names exactly (escaped, not lost).
Prints TAP."""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ['HULLSCAN_BIN']
cases = []


def case(name, ok, detail=''):
    cases.append((name, ok, detail))


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, timeout=240)
    return p.returncode, p.stdout, p.stderr


SECRETS = [
    'ghp_x8Yq2LmN0pQrStUvWxYz0123456789abCDef',  # a GitHub token in an Authorization header
    'Sup3rS3cretPass',                            # URL user-info password in ADD
    's3cr3tv4lu99',                               # export GITHUB_TOKEN=…
    'RootPass123',                                # mysql -p…
    'hun7er2pw',                                  # ENV DB_PASSWORD hun7er2pw
    'AKIAZ7QXWERTYUIOPASD',                       # an AWS key id in the config's Env
]
# C1 CSI, bidi override (RLO), isolate (LRI), ESC: none may reach a terminal raw
UNSAFE = [b'\xc2\x9b', b'\xe2\x80\xae', b'\xe2\x81\xa6', b'\x1b']


def leaked(data):
    """The secrets of which more than 4 characters in a row appear in @data (the secrets are
    chosen so that no 5 characters of theirs make an English word or a name in a report)."""
    text = data.decode('utf-8', 'replace')
    out = []
    for s in SECRETS:
        if any(s[i:i + 5] in text for i in range(len(s) - 4)):
            out.append(s)
    return out


def unsafe(data):
    return [u for u in UNSAFE if u in data]


tmp = tempfile.mkdtemp(prefix='hullscan-hygiene-')
history = [
    {'created_by': '/bin/sh -c #(nop) ADD file:0 in / '},
    {'created_by': 'RUN /bin/sh -c curl -H "Authorization: token %s" https://api.github.com/x # buildkit' % SECRETS[0]},
    {'created_by': 'ADD https://deploy:%s@example.com/app.tar.gz /app/ # buildkit' % SECRETS[1]},
    {'created_by': 'RUN /bin/sh -c export GITHUB_TOKEN=%s && mysql -uroot -p%s db # buildkit' % (SECRETS[2], SECRETS[3])},
    {'created_by': '/bin/sh -c #(nop)  ENV DB_PASSWORD hun7er2pw', 'empty_layer': True},
]
spec = {
    'config': {'Env': ['AWS_ACCESS_KEY_ID=%s' % SECRETS[5], 'PATH=/usr/bin'], 'User': 'root'},
    'history': history,
    'layers': [
        {'entries': [{'path': 'etc/os-release', 'content': 'ID=debian\nVERSION_ID="12"\n'}]},
        {'entries': [{'path': 'app/run.sh', 'content': '#!/bin/sh\n'}]},
        {'entries': [{'path_hex': '6170702f' + 'e280ae' + '6770a92e657865', 'content': 'x'},
                     {'path_hex': '6170702f' + 'c29b' + '316d2e6a736f6e', 'content': 'x'},
                     {'path_hex': '6170702f' + 'e281a6' + '78' + '1b5b326a', 'content': 'x'},
                     {'path': 'app/.env', 'content': 'GITHUB_TOKEN=%s\n' % SECRETS[0]}]},
        {'entries': [{'path': 'app/x', 'content': 'y'}]},
    ],
}
spec_fn = os.path.join(tmp, 'spec.json')
with open(spec_fn, 'w') as f:
    json.dump(spec, f)
image = os.path.join(tmp, 'image.tar')
subprocess.run([sys.executable, os.environ['HULL_GEN_IMAGE'], 'build', spec_fn, image], check=True)

dockerfile = os.path.join(tmp, 'Dockerfile')
with open(dockerfile, 'w') as f:
    f.write('FROM debian:12\n'
            'ENV DB_PASSWORD hun7er2pw\n'
            'RUN curl -H "Authorization: token %s" https://api.github.com/x\n'
            'ADD https://deploy:%s@example.com/app.tar.gz /app/\n'
            'RUN export GITHUB_TOKEN=%s && mysql -uroot -p%s db\n' % (SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[3]))

for target in (image, dockerfile):
    name = os.path.basename(target)
    for fmt in ('json', 'sarif', 'junit', 'table', 'cyclonedx'):
        for plugins in ([], ['--plugins', 'dockerfile']):
            rc, out, err = run('scan', target, '--no-cache', '--no-progress', '--verbose', '--format', fmt, *plugins)
            label = '%s as %s%s' % (name, fmt, ' (dockerfile plugin alone)' if plugins else '')
            case('%s: a report' % label, rc in (0, 1) and len(out) > 0, err.decode('utf-8', 'replace')[-2000:])
            case('%s: no secret in stdout or stderr' % label, not leaked(out) and not leaked(err),
                 'stdout leaks %s, stderr leaks %s' % (leaked(out), leaked(err)))
            case('%s: no raw control or bidi character' % label, not unsafe(out) and not unsafe(err),
                 'stdout %r stderr %r' % (unsafe(out), unsafe(err)))

# The secrets are found (masked), so the test would notice a scan that simply saw nothing.
rc, out, err = run('scan', image, '--no-cache', '--no-progress', '--format', 'json')
report = json.loads(out)
rules = {f['rule_id'] for f in report['findings']}
case('the image scan reports the planted token and the URL credentials',
     'SEC-GITHUB-PAT' in rules and 'DF-0004' in rules, sorted(rules))
created = [l.get('created_by') or '' for l in report.get('layers', [])] + \
    [f.get('location', {}).get('layer', {}).get('created_by') or '' for f in report['findings']]
case('created_by is kept, with the secret masked',
     any('Authorization: token ghp_' in c and '(redacted)' in c for c in created), created)
paths = {f['location'].get('path') for f in report['findings'] if f.get('location')}

for args in (['files', image], ['files', image, '--json'], ['files', image, '--deleted']):
    rc, out, err = run(*args)
    label = ' '.join(a if a != image else 'IMAGE' for a in args)
    case('%s: exit 0' % label, rc == 0, err)
    case('%s: no secret in the output' % label, not leaked(out) and not leaked(err), leaked(out) + leaked(err))
    case('%s: no raw control or bidi character' % label, not unsafe(out) and not unsafe(err), unsafe(out))
rc, out, err = run('files', image, '--json')
listing = json.loads(out)
names = [f['path'] for f in listing['files']]
case('files --json names the hostile files, escaped', any('\\u202e' in n for n in names) and
     any('\\u009b' in n for n in names), names)

print('1..%d' % len(cases))
for i, (name, ok, detail) in enumerate(cases, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok and detail:
        for line in str(detail).splitlines()[:20]:
            print('# ' + line)
