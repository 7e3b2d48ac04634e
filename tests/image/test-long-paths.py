#!/usr/bin/env python3
"""test-long-paths.py: memory bounded by the tree, not by path length x entries (TAP). A 217 KB
gzip layer of 20,000 entries under a 60 KB directory cost 1.2 GB when every file held its whole
path; now entries past PATH_MAX (4096) are skipped with one note for the layer, and files under
a path just below it name themselves through the tree's nodes. Each case scans the image in a
child hullscan and checks the child's peak RSS (getrusage RUSAGE_CHILDREN) and its notes.

Also a tool: test-long-paths.py build OUT.tar COMPONENT_LEN N_COMPONENTS N_ENTRIES writes one
such image (to measure another build with /usr/bin/time)."""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

BIN = os.environ.get("HULLSCAN_BIN", "")
MTIME = 1700000000
results = []


class HashingWriter(io.RawIOBase):
    """Hashes what the tar writer emits (the diff_id) on its way into gzip."""

    def __init__(self, out):
        self.out = out
        self.sha = hashlib.sha256()

    def writable(self):
        return True

    def write(self, b):
        self.sha.update(b)
        self.out.write(b)
        return len(b)


def build(out, comp_len, n_comp, n_entries):
    """A docker-archive of one gzip layer: @n_entries empty files under a directory path of
    @n_comp components of @comp_len bytes, written as it is made (the tar is 1.2 GB at 60 KB)."""
    d = os.path.dirname(out)
    layer = os.path.join(d, "layer.tar.gz")
    prefix = ("d" * comp_len + "/") * n_comp
    with open(layer, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=MTIME) as gz:
            hw = HashingWriter(gz)
            with tarfile.open(fileobj=hw, mode="w|", format=tarfile.GNU_FORMAT) as tf:
                for i in range(n_entries):
                    ti = tarfile.TarInfo(prefix + "f%d" % i)
                    ti.mtime = MTIME
                    tf.addfile(ti)
                    tf.members.clear()  # TarFile keeps every TarInfo: 1.2 GB of names here
    diff_id = "sha256:" + hw.sha.hexdigest()
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [diff_id]},
                         "history": [{"created_by": "long paths"}]}).encode()
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["long:1"], "Layers": ["layer.tar.gz"]}]).encode()
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in (("manifest.json", manifest), ("config.json", config)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = MTIME
            tf.addfile(ti, io.BytesIO(data))
        tf.add(layer, "layer.tar.gz")
    size = os.path.getsize(layer)
    os.unlink(layer)
    return size


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


# Runs hullscan from a fresh, small interpreter and prints its peak RSS: a child's ru_maxrss
# also counts the memory of the process it was forked from, so not from this one.
MEASURE = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    rc = subprocess.call(sys.argv[3:], stdout=out, stderr=err)
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def scan(tmp, img):
    """The report's notes and hullscan's peak RSS in MB."""
    out, err = os.path.join(tmp, "out.json"), os.path.join(tmp, "err.txt")
    # Under ASan freed blocks wait in a 256 MB quarantine: that is the sanitizer's memory, not
    # the scan's (no effect on a normal build).
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1"
    p = subprocess.run([sys.executable, "-c", MEASURE, out, err, BIN, "scan", img, "--format", "json",
                        "--no-cache", "--jobs", "2"], stdout=subprocess.PIPE, timeout=900, check=True, env=env)
    rc, rss_kb = (int(x) for x in p.stdout.split())
    try:
        with open(out, "rb") as f:
            notes = json.load(f).get("notes", [])
    except ValueError:
        notes = None
    with open(err, "rb") as f:
        return rc, notes, rss_kb / 1024.0, f.read().decode("utf-8", "replace")


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "build":
        print(build(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, "long.tar")
        # 240 x 251 bytes: a 60 KB directory, 20,000 entries under it
        gz = build(img, 250, 240, 20000)
        check("the layer is small (%d KB gzip)" % (gz // 1024), gz < 16 * 1024 * 1024)
        rc, notes, rss, err = scan(tmp, img)
        check("60 KB paths: the scan ends (rc %d)" % rc, rc in (0, 1) and notes is not None, err[-500:])
        hit = [n for n in notes or [] if "20000 entries with a path or link target longer than 4096 bytes skipped" in n]
        check("60 KB paths: one note names the layer and the count", len(hit) == 1 and "layer 0 (" in hit[0],
              repr(notes)[:600])
        check("60 KB paths: peak RSS %.0f MB < 100 MB" % rss, rss < 100)
    print("1..%d" % len(results))
    for i, (ok, name, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok and detail:
            for l in detail.splitlines():
                print("# " + l)
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
