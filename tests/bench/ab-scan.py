#!/usr/bin/env python3
"""ab-scan.py: two hullscan builds on the same image, runs interleaved (A B A B ...) so that a
shared machine's slow moments fall on both; prints the median and minimum wall time and CPU
time (user + system) of each. For a before/after figure of a change:

  git worktree add /tmp/old HEAD~1 && meson setup /tmp/old/b -Dbuildtype=release && ninja -C /tmp/old/b
  tests/bench/ab-scan.py /tmp/old/b/hullscan build-bench/hullscan IMAGE [--runs 9] [-- SCAN ARGS]

IMAGE may be "files:N": a docker-archive of N small text files (200 bytes, 100 a directory) is
written to a temp dir first, the image whose cost is all per-file work.
"""
import argparse
import hashlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

MTIME = 1700000000


def add(tf, name, data):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mtime = len(data), MTIME
    tf.addfile(ti, io.BytesIO(data))


def many_files_image(n, out):
    """A one-layer docker-archive of @n small files."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for i in range(n):
            add(tf, "usr/share/app%04d/sub/file-%07d.txt" % (i // 100, i), (b"line %d\n" % i) * 25)
    layer = buf.getvalue()
    h = hashlib.sha256(layer).hexdigest()
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h]}}).encode()
    with tarfile.open(out, "w") as tf:
        add(tf, h + "/layer.tar", layer)
        add(tf, "config.json", config)
        add(tf, "manifest.json", json.dumps([{"Config": "config.json", "Layers": [h + "/layer.tar"]}]).encode())


def data_dir(binary):
    """The configs/ of the source tree a build directory belongs to (build dirs sit in it)."""
    d = os.path.dirname(os.path.abspath(binary))
    while d != "/":
        if os.path.isdir(os.path.join(d, "configs", "secrets")):
            return os.path.join(d, "configs")
        d = os.path.dirname(d)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("image")
    ap.add_argument("--runs", type=int, default=9)
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    with tempfile.TemporaryDirectory(prefix="hullscan-ab-") as tmp:
        image = args.image
        if image.startswith("files:"):
            image = os.path.join(tmp, "many.tar")
            many_files_image(int(args.image[6:]), image)
        times = {args.a: [], args.b: []}
        for _ in range(max(1, args.runs)):
            for binary in (args.a, args.b):
                env = dict(os.environ)
                dd = data_dir(binary)
                if dd:
                    env["HULLSCAN_DATA_DIR"] = dd
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                p = subprocess.run([binary, "scan", image, "--no-cache", "--no-progress", "--format", "json",
                                    "-o", "/dev/null"] + extra, env=env, stdout=subprocess.DEVNULL)
                if p.returncode not in (0, 1):
                    sys.exit("ab-scan: %s exited %d" % (binary, p.returncode))
                wall = time.perf_counter() - t
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                times[binary].append((wall, cpu))
        for name, binary in (("A", args.a), ("B", args.b)):
            w = [x[0] for x in times[binary]]
            c = [x[1] for x in times[binary]]
            print("%s %-44s wall median %.3f s (min %.3f)  cpu median %.3f s (min %.3f)"
                  % (name, binary, statistics.median(w), min(w), statistics.median(c), min(c)))
        wa = statistics.median(x[0] for x in times[args.a])
        wb = statistics.median(x[0] for x in times[args.b])
        print("B/A wall: %.2f over %d interleaved runs each" % (wb / wa, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
