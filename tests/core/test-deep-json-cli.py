#!/usr/bin/env python3
"""test-deep-json-cli.py: deeply nested JSON read by the CLI (TAP). 100,000 '[' overflowed
json-glib's recursive parser: a daemon.json in a scanned rootfs (read by the network-ports
plugin) must end the scan with a note, and a bundle whose bundle.json is nested so deep must
make `hullscan bundle verify` exit 2 with one line, before any signature is looked at."""
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

BIN = os.environ.get("HULLSCAN_BIN", "")
DEEP = b"[" * 100000
results = []


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def run(args):
    p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def test_daemon_json(tmp):
    root = os.path.join(tmp, "rootfs")
    os.makedirs(os.path.join(root, "etc", "docker"))
    with open(os.path.join(root, "etc", "docker", "daemon.json"), "wb") as f:
        f.write(DEEP)
    rc, out, err = run(["scan", root, "--type", "rootfs", "--format", "json", "--no-cache"])
    check("daemon.json: the scan ends (rc %d)" % rc, rc in (0, 1), err[-500:])
    try:
        notes = json.loads(out).get("notes", [])
    except ValueError:
        notes = []
    hit = [n for n in notes if "daemon.json" in n and "nested deeper than 256 levels" in n]
    check("daemon.json: one note names the file and the depth", len(hit) == 1, repr(notes)[:500])


def test_bundle(tmp):
    path = os.path.join(tmp, "deep.hsb")
    with tarfile.open(path, "w:gz", format=tarfile.USTAR_FORMAT) as tf:
        ti = tarfile.TarInfo("bundle.json")
        ti.size = len(DEEP)
        tf.addfile(ti, io.BytesIO(DEEP))
    rc, out, err = run(["bundle", "verify", path])
    lines = [l for l in err.splitlines() if l.strip()]
    check("bundle verify: exit 2 (rc %d)" % rc, rc == 2, err[-500:])
    check("bundle verify: one line naming the bundle", len(lines) == 1 and path in lines[0], repr(lines)[:500])


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_daemon_json(tmp)
        test_bundle(tmp)
    print("1..%d" % len(results))
    for i, (ok, name, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok and detail:
            for l in detail.splitlines():
                print("# " + l)
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
