#!/usr/bin/env python3
"""bench-scan.py: the end-to-end benchmark of issue 10. It builds a real Debian image once (cached),
a synthetic large image per run, and times hullscan beside the tools users compare it with, in one
run, side by side: full scan vs GNU tar unpacking the same layers; secrets-only scan vs ripgrep with
a dozen secret regexes on the same tree; peak RSS; --jobs scaling; a cold vs warm layer cache; time
and RSS as the image grows; gitleaks when a WebAssembly build of it is installable from npm. Prints
a table and writes every figure to bench.json. Standard library only. A benchmark, not a test:
scripts/bench builds hullscan and runs it.

Usage: bench-scan.py --build BUILDDIR [--reps N] [--large] [--large-mb MB] [--no-large]
                     [--cache DIR] [--out FILE] [--keep-large]
"""
import argparse
import hashlib
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

MTIME = 1700000000
DEBIAN_MIRROR = "http://deb.debian.org/debian"
DEBOOTSTRAP = ["debootstrap", "--variant=minbase", "--include=openssh-server,curl,python3-minimal",
               "bookworm"]
PLANT_DIR = "opt/hullscan-bench"  # planted secrets: in the rootfs tree, shipped in layer 2 only

# A dozen secret shapes (the same families the secrets plugin has rules for), for ripgrep.
RG_PATTERNS = [
    r"AKIA[0-9A-Z]{16}",                                        # AWS access key id
    r"gh[pousr]_[A-Za-z0-9]{36}",                               # GitHub token
    r"github_pat_[A-Za-z0-9_]{82}",                             # GitHub fine-grained token
    r"glpat-[A-Za-z0-9_-]{20}",                                 # GitLab token
    r"xox[baprs]-[0-9A-Za-z-]{10,}",                            # Slack token
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----",                      # private key header
    r"sk_live_[0-9a-zA-Z]{24,}",                                # Stripe live key
    r"AIza[0-9A-Za-z_-]{35}",                                   # Google API key
    r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",  # JWT
    r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",                # SendGrid key
    r"npm_[A-Za-z0-9]{36}",                                     # npm token
    "(?i)(password|passwd|pwd)\\s*[=:]\\s*[\"']?[^\\s\"']{6,}",  # generic password=...
]

GOALS = {"full_vs_tar": 1.0, "secrets_vs_rg": 1.5, "rss_mib": 200.0, "warm_vs_cold": 0.1}


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def fake(prefix, n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", seed=0):
    """A deterministic fake credential of the right shape (never a real one)."""
    r = random.Random("%s/%d" % (prefix, seed))
    return prefix + "".join(r.choice(alphabet) for _ in range(n))


def planted_files(seed=0):
    """The planted secrets: {relative path: bytes}. Obviously fake, with realistic shapes."""
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    aws = fake("AKIA", 16, seed=seed)
    ghp = fake("ghp_", 36, alnum, seed)
    slack = ("xoxb-" + fake("", 12, "0123456789", seed) + "-" + fake("", 13, "0123456789", seed + 1)
             + "-" + fake("", 24, alnum, seed))
    stripe = fake("sk_live_", 24, alnum, seed)
    google = fake("AIza", 35, alnum, seed)
    jwt = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." "eyJzdWIiOiJodWxsc2Nhbi1iZW5jaCIsIm5hbWUiOiJiZW5jaCJ9."
           + fake("", 43, alnum + "-_", seed))
    key = ("-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(fake("MII", 61, alnum + "+/", seed + i)
                                                        for i in range(8))
           + "\n-----END RSA PRIVATE KEY-----\n")
    return {
        PLANT_DIR + "/.env": ("AWS_ACCESS_KEY_ID=%s\nGITHUB_TOKEN=%s\nSLACK_TOKEN=%s\n"
                              "STRIPE_KEY=%s\nDB_PASSWORD=benchS3cretPassw0rd\n"
                              % (aws, ghp, slack, stripe)).encode(),
        PLANT_DIR + "/config.js": ("const googleKey = '%s';\nconst session = '%s';\n"
                                   % (google, jwt)).encode(),
        PLANT_DIR + "/id_rsa": key.encode(),
        PLANT_DIR + "/settings.ini": b"[db]\nhost=db\npassword=hunter2hunter2\n",
    }


# Layer 2 of the real image deletes these (a file, a directory, a file in a deleted directory).
WHITEOUTS = ["etc/issue.net", "usr/share/doc/curl", "usr/share/man/man1/curl.1.gz", "etc/motd"]


# ---------------------------------------------------------------- measuring

def timed(cmd, env=None, ok=(0,), cwd=None, stdout=subprocess.DEVNULL):
    """Runs @cmd under /usr/bin/time; returns (seconds, peak RSS KiB). Raises on failure."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd
        t0 = time.monotonic()
        p = subprocess.run(full, env=env, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE)
        wall = time.monotonic() - t0
        if p.returncode not in ok:
            raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), p.returncode,
                                                     p.stderr.decode(errors="replace")[-800:]))
        line = tf.read().strip().splitlines()
        rss = int(line[-1].split()[1]) if line else 0
    # /usr/bin/time's %e has 10 ms resolution; the monotonic clock is finer and includes the fork.
    return wall, rss


def repeat(reps, fn):
    """Calls fn() reps times (after it ran once as a warm-up by the caller) and returns the runs."""
    runs = [fn() for _ in range(reps)]
    return {"runs_s": [round(r[0], 4) for r in runs], "median_s": round(statistics.median(r[0] for r in runs), 4),
            "peak_rss_kib": max(r[1] for r in runs)}


def warm(path):
    """Reads every file under @path once so the timed runs all start from a warm page cache."""
    subprocess.run(["sh", "-c", 'find "$1" -type f -print0 | xargs -0 cat > /dev/null 2>&1', "sh", path])


def tree_size(path):
    total = files = 0
    for d, _dirs, names in os.walk(path):
        for n in names:
            p = os.path.join(d, n)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if os.path.isfile(p) and not os.path.islink(p):
                total += st.st_size
                files += 1
    return total, files


# ---------------------------------------------------------------- images

class HashingWriter:
    def __init__(self, f):
        self.f, self.h, self.n = f, hashlib.sha256(), 0

    def write(self, b):
        self.h.update(b)
        self.n += len(b)
        return self.f.write(b)

    def tell(self):
        return self.n


def norm(ti):
    ti.mtime = min(ti.mtime, MTIME) if ti.mtime else MTIME
    return ti


def write_rootfs_layer(rootfs, out):
    """Layer 1: the rootfs (device nodes, sockets and the planted dir left out). Returns sha256."""
    skip_top = os.path.join(rootfs, PLANT_DIR)
    with open(out, "wb") as raw:
        hw = HashingWriter(raw)
        with tarfile.open(fileobj=hw, mode="w|", format=tarfile.PAX_FORMAT) as tf:
            for d, dirs, names in os.walk(rootfs):
                dirs.sort()
                rel_d = os.path.relpath(d, rootfs)
                if d.startswith(skip_top):
                    dirs[:] = []
                    continue
                if rel_d in ("proc", "sys"):
                    dirs[:] = []
                for n in sorted(dirs) + sorted(names):
                    p = os.path.join(d, n)
                    if p.startswith(skip_top):
                        continue
                    arc = os.path.normpath(os.path.join(rel_d, n))
                    try:
                        ti = tf.gettarinfo(p, arcname=arc)
                    except OSError:
                        continue
                    if ti is None or ti.type in (tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE):
                        continue
                    if ti.isdir() and n not in dirs:
                        continue
                    norm(ti)
                    if ti.isreg():
                        with open(p, "rb") as f:
                            tf.addfile(ti, f)
                    else:
                        tf.addfile(ti)
    return hw.h.hexdigest()


def add_bytes(tf, name, data, mode=0o644):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mtime, ti.mode = len(data), MTIME, mode
    tf.addfile(ti, io.BytesIO(data))


def write_small_layer(out, files, whiteouts):
    """A layer of @files ({path: bytes}) plus a .wh. entry per path in @whiteouts. Returns sha256."""
    with open(out, "wb") as raw:
        hw = HashingWriter(raw)
        with tarfile.open(fileobj=hw, mode="w|", format=tarfile.PAX_FORMAT) as tf:
            dirs = sorted({os.path.dirname(p) for p in files})
            for d in dirs:
                ti = tarfile.TarInfo(d)
                ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, MTIME
                tf.addfile(ti)
            for p in sorted(files):
                add_bytes(tf, p, files[p], 0o600 if p.endswith("id_rsa") else 0o644)
            for w in whiteouts:
                d, _, b = w.rpartition("/")
                add_bytes(tf, (d + "/" if d else "") + ".wh." + b, b"")
    return hw.h.hexdigest()


def write_docker_archive(out, layers, tag):
    """@layers: [(path of an uncompressed layer tar, its sha256)]. Streams them into @out."""
    diff_ids = ["sha256:" + h for _p, h in layers]
    config = {"architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
              "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                         "Cmd": ["/usr/sbin/sshd", "-D"], "ExposedPorts": {"22/tcp": {}}},
              "rootfs": {"type": "layers", "diff_ids": diff_ids},
              "history": [{"created": "2023-11-14T22:13:20Z", "created_by": "hullscan bench layer %d" % i}
                          for i in range(len(layers))]}
    cbytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    cname = hashlib.sha256(cbytes).hexdigest() + ".json"
    names = [h + "/layer.tar" for _p, h in layers]
    tmp = out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tf:
        add_bytes(tf, cname, cbytes)
        for (p, _h), name in zip(layers, names):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = os.path.getsize(p), MTIME, 0o644
            with open(p, "rb") as f:
                tf.addfile(ti, f)
        add_bytes(tf, "manifest.json", json.dumps([{"Config": cname, "RepoTags": [tag], "Layers": names}]).encode())
    os.replace(tmp, out)


# The image config every packing of the real image carries (the self-packed docker-archive, umoci's
# OCI layout, skopeo's docker-archive), so that their reports can be compared finding for finding.
IMAGE_CMD = ["/usr/sbin/sshd", "-D"]
IMAGE_ENV = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
IMAGE_PORTS = ["22/tcp"]
# Bumped when what make_oci_with_umoci() writes changes: a cached layout without it is rebuilt.
OCI_STAMP = "hullscan-bench-oci-2"


def make_oci_with_umoci(out, layers):
    """An OCI layout from the same layer tars, with umoci (gzip-compresses them) and the same
    config as the docker-archive. None if there is no umoci."""
    if not shutil.which("umoci"):
        return None
    stamp = os.path.join(out, OCI_STAMP)
    if os.path.isfile(os.path.join(out, "index.json")) and os.path.isfile(stamp):
        return out
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    image = tmp + ":bench"
    config = ["umoci", "config", "--image", image, "--config.env", IMAGE_ENV[0]]
    for c in IMAGE_CMD:
        config += ["--config.cmd", c]
    for port in IMAGE_PORTS:
        config += ["--config.exposedports", port]
    try:
        subprocess.run(["umoci", "init", "--layout", tmp], check=True)
        subprocess.run(["umoci", "new", "--image", image], check=True)
        for p, _h in layers:
            subprocess.run(["umoci", "raw", "add-layer", "--image", image, p], check=True)
        subprocess.run(config, check=True)
    except (subprocess.CalledProcessError, OSError) as e:
        log("umoci failed (%s): no OCI layout this run" % e)
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    # a stray file beside oci-layout and index.json is allowed by the image-layout spec
    with open(os.path.join(tmp, OCI_STAMP), "w") as f:
        f.write("made by tests/bench/bench-scan.py\n")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    return out


def make_docker_with_skopeo(out, oci):
    """A docker-archive converted from the umoci layout by skopeo (it inflates the layers and links
    each layer.tar to its blob with a symlink member). None without skopeo or a layout."""
    if oci is None or not shutil.which("skopeo"):
        return None
    if os.path.isfile(out) and os.path.getmtime(out) >= os.path.getmtime(os.path.join(oci, "index.json")):
        return out
    tmp = out + ".tmp"
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
    try:
        subprocess.run(["skopeo", "copy", "--quiet", "--insecure-policy", "oci:%s:bench" % oci,
                        "docker-archive:%s:hullscan-bench:latest" % tmp], check=True)
    except (subprocess.CalledProcessError, OSError) as e:
        log("skopeo failed (%s): no skopeo docker-archive this run" % e)
        return None
    os.replace(tmp, out)
    return out


def report_for_compare(hs, target, env):
    """The findings and packages of a full uncached scan of @target, without what names a packing
    (layer digests: compressed for OCI, uncompressed for docker-archive; created_by)."""
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in ("digest", "created_by")}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    rep = scan_json(hs, target, ["--no-cache"], env)
    if rep is None:
        return None
    return {"findings": strip(rep.get("findings")), "packages": strip(rep.get("packages")),
            "os": rep.get("target", {}).get("os")}


def plant(rootfs):
    """Writes the planted secrets into the rootfs tree (idempotent): the tree then shows what the
    image's merged view shows, so the secrets-only comparison has findings to count."""
    for rel, data in planted_files().items():
        p = os.path.join(rootfs, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)


def ensure_rootfs(cache):
    """The real rootfs: debootstrap bookworm (cached), else a labelled synthetic tree from /usr."""
    real = os.path.join(cache, "rootfs")
    kind_file = os.path.join(cache, "rootfs.kind")
    if os.path.isdir(real) and os.path.isfile(kind_file):
        with open(kind_file) as f:
            kind = f.read().strip()
        plant(real)
        return real, kind
    tmp = real + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = DEBOOTSTRAP + [tmp, DEBIAN_MIRROR]
    reason = None
    if os.geteuid() != 0:
        reason = "not running as root"
    elif not shutil.which("debootstrap"):
        reason = "debootstrap is not installed"
    else:
        log("running: " + " ".join(cmd) + " (once; cached in %s)" % cache)
        with open(os.path.join(cache, "debootstrap.log"), "w") as lf:
            rc = subprocess.run(cmd, stdout=lf, stderr=subprocess.STDOUT).returncode
        if rc != 0:
            reason = "debootstrap exited %d (see %s/debootstrap.log)" % (rc, cache)
    if reason is None:
        os.replace(tmp, real)
        kind = "debian bookworm (debootstrap --variant=minbase --include=openssh-server,curl,python3-minimal)"
    else:
        shutil.rmtree(tmp, ignore_errors=True)
        print("*** DEBOOTSTRAP FAILED: %s. Falling back to a SYNTHETIC rootfs copied from this "
              "machine's /usr (figures below are NOT for the Debian image). ***" % reason, flush=True)
        os.makedirs(real, exist_ok=True)
        budget = [250 << 20]
        for top in ("/etc", "/usr/share", "/usr/lib", "/usr/bin"):
            for d, dirs, names in os.walk(top):
                dirs.sort()
                for n in sorted(names):
                    p = os.path.join(d, n)
                    if (os.path.islink(p) or not os.path.isfile(p) or budget[0] <= 0
                            or os.path.getsize(p) > (2 << 20)):
                        continue
                    dst = os.path.join(real, p.lstrip("/"))
                    try:
                        os.makedirs(os.path.dirname(dst), exist_ok=True)
                        shutil.copy2(p, dst)
                        budget[0] -= os.path.getsize(p)
                    except OSError:
                        pass
        kind = "SYNTHETIC (copied from this machine's /usr and /etc: debootstrap failed: %s)" % reason
    plant(real)
    with open(kind_file, "w") as f:
        f.write(kind + "\n")
    return real, kind


def ensure_real_image(cache, rootfs):
    d = os.path.join(cache, "real")
    meta = os.path.join(d, "layers.json")
    # The cached image is rebuilt when the planted secrets or whiteouts change.
    key = hashlib.sha256(json.dumps([sorted((k, v.hex()) for k, v in planted_files().items()), WHITEOUTS])
                         .encode()).hexdigest()
    if os.path.isfile(meta) and os.path.isfile(os.path.join(d, "image-docker.tar")):
        with open(meta) as f:
            m = json.load(f)
        if isinstance(m, dict) and m.get("key") == key:
            return [tuple(x) for x in m["layers"]], os.path.join(d, "image-docker.tar")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d, exist_ok=True)
    log("packing the real image (layer 1 = rootfs, layer 2 = planted secrets + whiteouts)")
    l1 = os.path.join(d, "layer1.tar")
    l2 = os.path.join(d, "layer2.tar")
    h1 = write_rootfs_layer(rootfs, l1)
    h2 = write_small_layer(l2, planted_files(), WHITEOUTS)
    layers = [(l1, h1), (l2, h2)]
    out = os.path.join(d, "image-docker.tar")
    write_docker_archive(out, layers, "hullscan-bench/debian:bookworm")
    with open(meta, "w") as f:
        json.dump({"key": key, "layers": layers}, f)
    return layers, out


def write_large_layers(d, size_bytes, pool_src, seed=1, n_files=None):
    """A synthetic image of many small files (0.5-32 KiB, text and binary slices of the real rootfs,
    each made unique by a header line), 100 files a directory, plus planted secrets every 20,000
    files; layer 2 holds whiteouts. With @n_files, about that many files of whatever size fills
    @size_bytes instead: the image grows, the file count does not. Returns [(path, sha256)]."""
    rnd = random.Random(seed)
    pool = bytearray()
    for dd, dirs, names in os.walk(pool_src):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(dd, n)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            try:
                with open(p, "rb") as f:
                    pool += f.read(256 << 10)
            except OSError:
                pass
            if len(pool) >= 48 << 20:
                break
        if len(pool) >= 48 << 20:
            break
    pool = bytes(pool)
    secrets = planted_files(seed)
    l1 = os.path.join(d, "layer1.tar")
    written = nfiles = 0
    with open(l1, "wb") as raw:
        hw = HashingWriter(raw)
        with tarfile.open(fileobj=hw, mode="w|", format=tarfile.PAX_FORMAT) as tf:
            while written < size_bytes:
                dname = "srv/data/d%04d/d%03d" % (nfiles // 10000, (nfiles // 100) % 100)
                if nfiles % 100 == 0:
                    ti = tarfile.TarInfo(dname)
                    ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, MTIME
                    tf.addfile(ti)
                if nfiles % 20000 == 0:
                    for rel, data in secrets.items():
                        add_bytes(tf, "%s/planted-%d-%s" % (dname, nfiles, os.path.basename(rel)), data)
                if n_files:
                    avg = max(1024, size_bytes // n_files)
                    size = rnd.randint(avg // 2, avg * 3 // 2)
                else:
                    size = rnd.randint(512, 32 << 10)
                off = rnd.randrange(0, max(1, len(pool) - size))
                data = ("# hullscan-bench file %d\n" % nfiles).encode() + pool[off:off + size]
                add_bytes(tf, "%s/f%07d.dat" % (dname, nfiles), data)
                written += len(data)
                nfiles += 1
    h1 = hw.h.hexdigest()
    l2 = os.path.join(d, "layer2.tar")
    h2 = write_small_layer(l2, {"etc/bench-note": b"large synthetic image\n"},
                           ["srv/data/d0000/d000/f0000001.dat", "srv/data/d0000/d001"])
    return [(l1, h1), (l2, h2)], nfiles


# ---------------------------------------------------------------- the runs

def hullscan_cmd(hs, target, extra=()):
    return [hs, "scan", target, "--format", "json", "-o", "/dev/null", "--no-progress"] + list(extra)


def scan_json(hs, target, extra, env):
    """The JSON report of one scan of @target, or None when there is none."""
    with tempfile.NamedTemporaryFile(suffix=".json") as tf:
        subprocess.run([hs, "scan", target, "--format", "json", "-o", tf.name, "--no-progress"] + list(extra),
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with open(tf.name) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None


def count_findings(hs, target, extra, env):
    rep = scan_json(hs, target, extra, env)
    if rep is None:
        return None, []
    return len(rep.get("findings", [])), [(p.get("name"), p.get("status")) for p in rep.get("plugins", [])]


def tmpfs_room(nbytes):
    """/dev/shm when it (and the machine's free memory) has room for 2.5 x @nbytes, else None."""
    try:
        st = os.statvfs("/dev/shm")
        with open("/proc/meminfo") as f:
            avail = next(int(l.split()[1]) * 1024 for l in f if l.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError):
        return None
    return "/dev/shm" if min(st.f_bavail * st.f_frsize, avail) > 2.5 * nbytes else None


def bench_tar(layers, reps, scratch):
    def one():
        with tempfile.TemporaryDirectory(dir=scratch, prefix="tar-") as out:
            t = 0.0
            rss = 0
            for p, _h in layers:
                s, r = timed(["tar", "-xf", p, "-C", out])
                t += s
                rss = max(rss, r)
            return t, rss
    one()
    return repeat(reps, one)


def bench_hullscan(hs, target, reps, extra, env):
    cmd = hullscan_cmd(hs, target, extra)
    timed(cmd, env=env, ok=(0, 1))
    return repeat(reps, lambda: timed(cmd, env=env, ok=(0, 1)))


def rg_cmd(tree):
    cmd = ["rg", "-uuu", "-c", "--no-messages"]
    for p in RG_PATTERNS:
        cmd += ["-e", p]
    return cmd + [tree]


def rg_matches(tree):
    p = subprocess.run(rg_cmd(tree), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return sum(int(l.rsplit(b":", 1)[1]) for l in p.stdout.splitlines() if b":" in l)


def gitleaks_probe(cache):
    """gitleaks is quoted only as a WebAssembly build installable from npm. Returns (cmd or None, note)."""
    if not shutil.which("npm"):
        return None, "npm is not installed"
    try:
        p = subprocess.run(["npm", "view", "gitleaks", "version", "bin", "--json"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=60)
        info = json.loads(p.stdout or b"{}")
        if not isinstance(info, dict):  # only "version" came back: the package has no bin
            info = {"version": info}
    except (subprocess.TimeoutExpired, ValueError, OSError) as e:
        return None, "npm view gitleaks failed (%s)" % e
    if isinstance(info, dict) and info.get("bin"):
        d = os.path.join(cache, "npm")
        os.makedirs(d, exist_ok=True)
        r = subprocess.run(["npm", "install", "--prefix", d, "gitleaks@" + str(info.get("version"))],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        binp = os.path.join(d, "node_modules", ".bin", "gitleaks")
        wasm = any(n.endswith(".wasm") for _r, _d, ns in os.walk(os.path.join(d, "node_modules", "gitleaks"))
                   for n in ns)
        if r.returncode == 0 and os.path.exists(binp) and wasm:
            return [binp], "gitleaks %s, the WebAssembly build from npm" % info.get("version")
        return None, "npm gitleaks %s installed but has no .wasm / runnable bin" % info.get("version")
    return None, ("npm package 'gitleaks' %s ships no executable and no .wasm (README and a config only): "
                  "no WebAssembly gitleaks is installable here" % (info.get("version") if isinstance(info, dict)
                                                                    else "?"))


def fmt_s(x):
    return "%.3f s" % x


def mib(kib):
    return kib / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--large", action="store_true", help="also the 2 GB synthetic image")
    ap.add_argument("--large-mb", type=int, default=1024, help="size of the synthetic image (MB)")
    ap.add_argument("--no-large", action="store_true", help="skip the synthetic images")
    ap.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME") or
                                                   os.path.expanduser("~/.cache"), "hullscan-bench"))
    ap.add_argument("--out")
    args = ap.parse_args()

    src_root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    hs = None
    for c in ("hullscan", "core/hullscan"):  # top-level first: core/ may hold a stale one
        p = os.path.join(args.build, c)
        if os.access(p, os.X_OK) and os.path.isfile(p):
            hs = os.path.abspath(p)
            break
    if hs is None:
        print("bench: no hullscan in %s (build it first: scripts/bench does)" % args.build, file=sys.stderr)
        return 2
    for tool in ("tar", "rg", "/usr/bin/time"):
        if not shutil.which(tool):
            print("bench: %s is missing (apt-get install -y tar ripgrep time)" % tool, file=sys.stderr)
            return 2
    env = dict(os.environ)
    env.setdefault("HULLSCAN_DATA_DIR", os.path.join(src_root, "configs"))
    os.makedirs(args.cache, exist_ok=True)
    out_json = args.out or os.path.join(args.build, "bench.json")
    ncpu = os.cpu_count() or 1
    reps = max(1, args.reps)
    R = {"machine": {"cpus": ncpu, "load_avg_at_start": os.getloadavg(), "uname": " ".join(os.uname()),
                     "note": "shared machine (other jobs running): figures are noisy; compare ratios"},
         "hullscan": hs, "reps": reps, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
         "goals": GOALS}
    plugins = subprocess.run([hs, "plugins", "list"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env).stdout.decode(errors="replace")
    R["plugins"] = [l.split()[0] for l in plugins.splitlines()[1:] if l.split() and " ok " in l]

    rootfs, kind = ensure_rootfs(args.cache)
    layers, docker = ensure_real_image(args.cache, rootfs)
    oci = make_oci_with_umoci(os.path.join(args.cache, "real", "image-oci"), layers)
    skopeo = make_docker_with_skopeo(os.path.join(args.cache, "real", "image-skopeo.tar"), oci)
    img_bytes = sum(os.path.getsize(p) for p, _h in layers)
    tbytes, tfiles = tree_size(rootfs)
    R["real"] = {"kind": kind, "layers_bytes": img_bytes, "rootfs_bytes": tbytes, "rootfs_files": tfiles,
                 "docker_archive": docker, "oci_layout": oci,
                 "docker_archive_skopeo": skopeo}
    log("real image: %s, %.0f MB of layers, rootfs %d files" % (kind, img_bytes / 1e6, tfiles))

    scratch = tempfile.mkdtemp(prefix="hullscan-bench-", dir=args.cache)
    try:
        warm(os.path.join(args.cache, "real"))
        warm(rootfs)
        # 1. full scan vs GNU tar unpacking the same layers
        log("full scan vs tar (%d reps)" % reps)
        full = bench_hullscan(hs, docker, reps, ["--no-cache"], env)
        full["findings"], full["plugin_status"] = count_findings(hs, docker, ["--no-cache"], env)
        tar = bench_tar(layers, reps, scratch)
        R["full_vs_tar"] = {"hullscan": full, "tar": tar, "ratio": round(full["median_s"] / tar["median_s"], 3)}
        # GNU tar into RAM (tmpfs): no disk writes, the stricter baseline.
        shm = tmpfs_room(img_bytes)
        if shm:
            t = bench_tar(layers, reps, shm)
            R["full_vs_tar_tmpfs"] = {"tar": t, "ratio": round(full["median_s"] / t["median_s"], 3)}
        if oci:
            o = bench_hullscan(hs, oci, reps, ["--no-cache"], env)
            R["full_oci_umoci_gzip"] = o
        if skopeo:
            R["full_docker_skopeo"] = bench_hullscan(hs, skopeo, reps, ["--no-cache"], env)
        # the same image in every packing must give the same report
        packings = {"self-packed docker-archive": docker, "umoci OCI layout": oci, "skopeo docker-archive": skopeo}
        reports = {k: report_for_compare(hs, v, env) for k, v in packings.items() if v}
        ref = reports.get("self-packed docker-archive")
        R["packings_agree"] = {"compared": sorted(reports),
                               "differ": sorted(k for k, v in reports.items() if v is None or v != ref),
                               "findings": len(ref["findings"] or []) if ref else None,
                               "packages": len(ref["packages"] or []) if ref else None}
        # 2. secrets-only on the rootfs tree vs ripgrep
        log("secrets-only vs ripgrep")
        sec_args = ["--type", "rootfs", "--plugins", "secrets", "--no-cache"]
        sec = bench_hullscan(hs, rootfs, reps, sec_args, env)
        sec["findings"], _ = count_findings(hs, rootfs, sec_args, env)
        timed(rg_cmd(rootfs), ok=(0, 1))
        rg = repeat(reps, lambda: timed(rg_cmd(rootfs), ok=(0, 1)))
        rg["matches"] = rg_matches(rootfs)
        rg["patterns"] = len(RG_PATTERNS)
        R["secrets_vs_rg"] = {"hullscan": sec, "ripgrep": rg, "ratio": round(sec["median_s"] / rg["median_s"], 3)}
        # 3. gitleaks (WebAssembly build from npm) on the same tree, when installable
        gl_cmd, gl_note = gitleaks_probe(args.cache)
        R["gitleaks"] = {"note": gl_note}
        if gl_cmd:
            rep = os.path.join(scratch, "gitleaks.json")
            c = gl_cmd + ["detect", "--no-git", "-s", rootfs, "-f", "json", "-r", rep]
            try:
                g = repeat(reps, lambda: timed(c, ok=(0, 1)))
                with open(rep) as f:
                    g["findings"] = len(json.load(f))
                R["gitleaks"].update(g)
            except (RuntimeError, OSError, ValueError) as e:
                R["gitleaks"]["error"] = str(e)
        # 4. --jobs scaling (full scan of the real image)
        log("jobs scaling")
        R["jobs"] = {}
        for j in sorted({1, 2, ncpu, 2 * ncpu}):
            R["jobs"][str(j)] = bench_hullscan(hs, docker, reps, ["--no-cache", "--jobs", str(j)], env)
        # 5. layer cache: cold (empty --cache-dir) vs warm (same dir again)
        log("layer cache cold vs warm")
        cold, warmr = [], []
        for _ in range(reps):
            cd = tempfile.mkdtemp(dir=scratch, prefix="cache-")
            cold.append(timed(hullscan_cmd(hs, docker, ["--cache-dir", cd]), env=env, ok=(0, 1)))
            warmr.append(timed(hullscan_cmd(hs, docker, ["--cache-dir", cd]), env=env, ok=(0, 1)))
            cache_bytes = tree_size(cd)[0]
            shutil.rmtree(cd, ignore_errors=True)
        cm, wm = statistics.median(x[0] for x in cold), statistics.median(x[0] for x in warmr)
        R["layer_cache"] = {"cold_runs_s": [round(x[0], 4) for x in cold], "warm_runs_s": [round(x[0], 4) for x in warmr],
                            "cold_median_s": round(cm, 4), "warm_median_s": round(wm, 4),
                            "ratio": round(wm / cm, 3), "cache_dir_bytes_after": cache_bytes,
                            "implemented": cache_bytes > 0}
        # 5b. the cache under concurrent scans: four processes at once, two images, one fresh cache
        log("layer cache: concurrent scans")
        targets = [docker, docker] + ([oci, oci] if oci else [])
        want = {}
        for t in set(targets):
            want[t] = subprocess.run([hs, "scan", t, "--format", "json", "--no-progress", "--no-cache"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        cd = tempfile.mkdtemp(dir=scratch, prefix="cache-conc-")
        procs = [(t, subprocess.Popen([hs, "scan", t, "--format", "json", "--no-progress", "--cache-dir", cd],
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)) for t in targets]
        outs = [(t, p.communicate()[0], p.returncode) for t, p in procs]
        agree = all(rc in (0, 1) and out == want[t] for t, out, rc in outs)
        R["layer_cache"]["concurrent"] = {"processes": len(targets), "all_finished_and_agree": agree}
        shutil.rmtree(cd, ignore_errors=True)
        # 6. growth: the real image, then synthetic images of many small files
        R["growth"] = [{"image": "real", "bytes": img_bytes, "hullscan": full, "tar": tar}]
        sizes = [] if args.no_large else [args.large_mb] + ([2048] if args.large and args.large_mb != 2048 else [])
        # the largest size once more with the real image's file count: what memory does when the
        # bytes grow and the number of files does not (the merged index is per file)
        runs = [(mb, None) for mb in sizes] + ([(max(sizes), R["real"]["rootfs_files"])] if sizes else [])
        for mb, fixed in runs:
            d = tempfile.mkdtemp(dir=scratch, prefix="large-")
            log("generating the %d MB synthetic image%s" % (mb, " of %d files" % fixed if fixed else ""))
            ls, nfiles = write_large_layers(d, mb * 1000 * 1000, rootfs, n_files=fixed)
            lb = sum(os.path.getsize(p) for p, _h in ls)
            # tar first (layers + unpacked on disk), then pack the archive and drop the loose layers:
            # at most twice the image on disk at any time.
            warm(d)
            t = bench_tar(ls, reps, scratch)
            arch = os.path.join(d, "image-docker.tar")
            write_docker_archive(arch, ls, "hullscan-bench/large:%d" % mb)
            for p, _h in ls:
                os.unlink(p)
            warm(d)
            h = bench_hullscan(hs, arch, reps, ["--no-cache"], env)
            h["findings"], _ = count_findings(hs, arch, ["--no-cache"], env)
            R["growth"].append({"image": "synthetic-%dMB%s" % (mb, "-fewfiles" if fixed else ""), "bytes": lb,
                                "files": nfiles,
                                "hullscan": h, "tar": t})
            shutil.rmtree(d, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    R["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    R["machine"]["load_avg_at_end"] = os.getloadavg()
    print_table(R)
    with open(out_json, "w") as f:
        json.dump(R, f, indent=2)
    print("\nbench.json: %s" % out_json)
    return 0


def print_table(R):
    ok = lambda b: "met" if b else "NOT met"
    print("\nhullscan benchmark — %s — %d reps, medians — %d CPUs, load %.1f at start (shared machine)"
          % (R["started"], R["reps"], R["machine"]["cpus"], R["machine"]["load_avg_at_start"][0]))
    print("real image: %s; layers %.0f MB, rootfs %d files" % (R["real"]["kind"], R["real"]["layers_bytes"] / 1e6,
                                                               R["real"]["rootfs_files"]))
    print("plugins: %s\n" % ", ".join(R["plugins"]))
    row = "%-44s %12s %12s %10s  %s"
    print(row % ("measure", "hullscan", "peer", "ratio", "goal"))
    f = R["full_vs_tar"]
    print(row % ("full scan (docker-archive) vs GNU tar -x", fmt_s(f["hullscan"]["median_s"]),
                 fmt_s(f["tar"]["median_s"]), "%.2f" % f["ratio"], "<= 1.0: " + ok(f["ratio"] <= 1.0)))
    if "full_vs_tar_tmpfs" in R:
        t = R["full_vs_tar_tmpfs"]
        print(row % ("full scan vs GNU tar -x into tmpfs (RAM)", fmt_s(f["hullscan"]["median_s"]),
                     fmt_s(t["tar"]["median_s"]), "%.2f" % t["ratio"], "(stricter than the goal)"))
    if "full_oci_umoci_gzip" in R:
        print(row % ("full scan (OCI layout by umoci, gzip)", fmt_s(R["full_oci_umoci_gzip"]["median_s"]),
                     "-", "-", ""))
    if "full_docker_skopeo" in R:
        print(row % ("full scan (docker-archive by skopeo)", fmt_s(R["full_docker_skopeo"]["median_s"]),
                     "-", "-", ""))
    pa = R.get("packings_agree")
    if pa:
        print("same image, %d packings (%s): %s" % (
            len(pa["compared"]), ", ".join(pa["compared"]),
            "same findings (%s) and packages (%s)" % (pa["findings"], pa["packages"]) if not pa["differ"]
            else "REPORTS DIFFER: " + ", ".join(pa["differ"])))
    s = R["secrets_vs_rg"]
    print(row % ("secrets-only rootfs vs rg -uuu (%d regexes)" % s["ripgrep"]["patterns"],
                 fmt_s(s["hullscan"]["median_s"]), fmt_s(s["ripgrep"]["median_s"]), "%.2f" % s["ratio"],
                 "<= 1.5: " + ok(s["ratio"] <= 1.5)))
    print(row % ("  findings / matching lines", str(s["hullscan"]["findings"]), str(s["ripgrep"]["matches"]),
                 "", ""))
    g = R["gitleaks"]
    if "median_s" in g:
        print(row % ("gitleaks (WebAssembly build, npm)", fmt_s(s["hullscan"]["median_s"]), fmt_s(g["median_s"]),
                     "%.2f" % (s["hullscan"]["median_s"] / g["median_s"]), "findings %s" % g.get("findings")))
    else:
        print("gitleaks: skipped: %s" % g["note"])
    c = R["layer_cache"]
    print(row % ("layer cache warm vs cold", fmt_s(c["warm_median_s"]), fmt_s(c["cold_median_s"]),
                 "%.2f" % c["ratio"], "<= 0.1: " + ok(c["ratio"] <= 0.1) +
                 ("" if c["implemented"] else " (no cache written: not implemented)")))
    if "concurrent" in c:
        cc = c["concurrent"]
        print("layer cache: %d concurrent scans into one fresh cache: %s" % (
            cc["processes"], "all finished and agree with uncached scans" if cc["all_finished_and_agree"]
            else "DISAGREE or failed"))
    base = R["jobs"].get("1", {}).get("median_s")
    for j, v in R["jobs"].items():
        print(row % ("full scan --jobs %s" % j, fmt_s(v["median_s"]), "", "x%.2f" % (base / v["median_s"])
                     if base else "", "peak RSS %.1f MiB" % mib(v["peak_rss_kib"])))
    print("\n%-26s %10s %8s %12s %12s %10s %12s %9s" % ("image", "MB", "files", "hullscan", "tar", "ratio",
                                                       "s/GB", "RSS MiB"))
    maxrss = 0
    for gr in R["growth"]:
        h, t = gr["hullscan"], gr["tar"]
        maxrss = max(maxrss, h["peak_rss_kib"])
        print("%-26s %10.0f %8s %12s %12s %10.2f %12.2f %9.1f" % (
            gr["image"], gr["bytes"] / 1e6, gr.get("files", R["real"]["rootfs_files"]), fmt_s(h["median_s"]),
            fmt_s(t["median_s"]), h["median_s"] / t["median_s"], h["median_s"] / (gr["bytes"] / 1e9),
            mib(h["peak_rss_kib"])))
    few = [gr for gr in R["growth"] if gr["image"].endswith("-fewfiles")]
    if few:
        real = R["growth"][0]
        print("\nmemory with the number of files held: %.1f MiB at %.0f MB, %.1f MiB at %.0f MB (%d and %s files)" % (
            mib(real["hullscan"]["peak_rss_kib"]), real["bytes"] / 1e6, mib(few[0]["hullscan"]["peak_rss_kib"]),
            few[0]["bytes"] / 1e6, R["real"]["rootfs_files"], few[0].get("files")))
    allrss = max([maxrss, R["secrets_vs_rg"]["hullscan"]["peak_rss_kib"]] +
                 [v["peak_rss_kib"] for v in R["jobs"].values()])
    print("\npeak RSS of hullscan over every run: %.1f MiB (goal <= 200 MiB: %s)" % (mib(allrss),
                                                                                    ok(mib(allrss) <= 200)))
    R["max_peak_rss_kib"] = allrss


if __name__ == "__main__":
    sys.exit(main())
