#!/bin/sh
# bench-image.sh: builds a ~250 MB two-layer docker-archive from files of this machine's /usr
# (debootstrap needs root and a network; this needs neither), then times, side by side,
# `bench-image` (hullscan indexing + verifying + streaming every byte) and GNU tar unpacking the
# same two layers to a temp dir. Prints both and hullscan's peak RSS. A benchmark, not a test.
#   tests/bench/bench-image.sh BUILD_DIR [SIZE_MB] [gzip]
set -eu
build=${1:?usage: bench-image.sh BUILD_DIR [SIZE_MB] [gzip]}
size=${2:-250}
comp=${3:-none}
bench="$build/tests/bench/bench-image"
work=$(mktemp -d /tmp/hull-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$size" "$comp" <<'PY'
import gzip, hashlib, json, os, sys, tarfile
work, size, comp = sys.argv[1], int(sys.argv[2]) << 20, sys.argv[3]
def files(top, budget):
    for d, dirs, names in os.walk(top):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(d, n)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            s = os.path.getsize(p)
            if s > budget[0]:
                continue
            budget[0] -= s
            yield p
            if budget[0] <= 0:
                return
class Hashing:
    def __init__(self, f):
        self.f, self.h = f, hashlib.sha256()
    def write(self, b):
        self.h.update(b)
        self.f.write(b)
    def tell(self):
        return self.f.tell()
layers, diffs = [], []
for i, (top, share) in enumerate([("/usr/lib", 0.8), ("/usr/share", 0.2)]):
    name = "layer%d.tar" % i
    with open(os.path.join(work, name), "wb") as raw:
        hw = Hashing(raw)
        with tarfile.open(fileobj=hw, mode="w|", format=tarfile.PAX_FORMAT) as tf:
            for p in files(top, [int(size * share)]):
                try:
                    tf.add(p, arcname=p.lstrip("/"), recursive=False)
                except OSError:
                    pass
    diffs.append("sha256:" + hw.h.hexdigest())
    if comp == "gzip":
        with open(os.path.join(work, name), "rb") as src, gzip.open(os.path.join(work, name + ".gz"), "wb", 1) as dst:
            while True:
                b = src.read(1 << 20)
                if not b:
                    break
                dst.write(b)
        name += ".gz"
    layers.append(name)
cfg = json.dumps({"config": {}, "rootfs": {"type": "layers", "diff_ids": diffs},
                  "history": [{"created_by": "usr/lib"}, {"created_by": "usr/share"}]}).encode()
cname = hashlib.sha256(cfg).hexdigest() + ".json"
with open(os.path.join(work, cname), "wb") as f:
    f.write(cfg)
with open(os.path.join(work, "manifest.json"), "w") as f:
    json.dump([{"Config": cname, "RepoTags": ["bench:1"], "Layers": layers}], f)
with tarfile.open(os.path.join(work, "image.tar"), "w") as tf:
    for n in [cname, "manifest.json"] + layers:
        tf.add(os.path.join(work, n), arcname=n)
PY
ls -l "$work"/image.tar | awk '{printf "image: %.0f MB (%s layers)\n", $5/1048576, "'"$comp"'"}'
cat "$work/image.tar" > /dev/null   # warm the page cache for both contenders
"$bench" "$work/image.tar" 2
mkdir "$work/out"
start=$(date +%s.%N)
for l in "$work"/layer0.tar* "$work"/layer1.tar*; do
	case "$l" in *.tar) [ "$comp" = none ] || continue ;; esac
	tar -xf "$l" -C "$work/out"
done
mid=$(date +%s.%N)
sync -f "$work/out" 2>/dev/null || true
end=$(date +%s.%N)
echo "GNU tar -xf of the same layers to disk: $(echo "$mid - $start" | bc) s ($(echo "$end - $start" | bc) s with sync)"
