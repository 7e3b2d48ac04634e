#!/usr/bin/env python3
"""test-files-cli.py: `hullscan files` end to end (TAP). Generates images with tests/gen/gen-image.py,
compares `hullscan files --json` against a merged tree computed here by an independent model of
the layer rules (whiteouts, opaque directories, replacement), checks escaping of non-UTF-8 names,
the exit codes and one-line errors of hostile inputs, and, where umoci is installed, compares
against `umoci unpack`'s tree."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ.get("HULLSCAN_BIN", "")
GEN = os.environ.get("HULL_GEN_IMAGE", os.path.join(os.path.dirname(__file__), "..", "gen", "gen-image.py"))
results = []


def report(ok, name, skip=None):
    results.append((ok, name, skip))


def run(args):
    p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def gen(tmp, spec, fmt, name="img"):
    sp = os.path.join(tmp, "spec.json")
    with open(sp, "w") as f:
        json.dump(spec, f)
    out = os.path.join(tmp, name)
    p = subprocess.run([sys.executable, GEN, "build", sp, out, "--format", fmt], stderr=subprocess.PIPE)
    if p.returncode == 77:
        return None
    assert p.returncode == 0, p.stderr
    return out


def norm(path):
    parts = []
    for c in path.split("/"):
        if c in ("", "."):
            continue
        if c == "..":
            if parts:
                parts.pop()
            continue
        parts.append(c)
    return "/" + "/".join(parts)


def model(spec):
    """Expected visible tree: path -> (type, layer)."""
    tree = {}
    for li, layer in enumerate(spec["layers"]):
        for e in layer["entries"]:
            kind = e.get("type", "file")
            p = norm(e["path"])
            if kind == "whiteout":
                for k in [k for k in tree if (k == p or k.startswith(p + "/")) and tree[k][1] < li]:
                    del tree[k]
                continue
            if kind == "opaque":
                for k in [k for k in tree if k.startswith(p + "/") and tree[k][1] < li]:
                    del tree[k]
                continue
            # parents become directories
            parts = p.strip("/").split("/")
            for i in range(1, len(parts)):
                d = "/" + "/".join(parts[:i])
                if d in tree and tree[d][0] != "dir":
                    del tree[d]
                if d not in tree:
                    tree[d] = ("dir", li)
            if p in tree and not (tree[p][0] == "dir" and kind == "dir"):
                if tree[p][0] == "dir":
                    for k in [k for k in tree if k.startswith(p + "/")]:
                        del tree[k]
                del tree[p]
            tree[p] = ({"file": "file", "dir": "dir", "symlink": "symlink", "hardlink": "hardlink",
                        "fifo": "fifo"}[kind], li)
    return tree


SPEC = {"tags": ["cli:1"], "layers": [
    {"compression": "gzip", "entries": [
        {"path": "etc/passwd", "content": "root:x:0:0\n"},
        {"path": "etc/shadow", "content": "root:*:1::::::\n", "mode": 0o640},
        {"path": "opt/a/b", "content": "b"},
        {"path": "opt/a/c", "content": "c"},
        {"path": "srv", "type": "dir"},
        {"path": "srv/x", "content": "x"},
        {"path": "bin/sh", "type": "symlink", "target": "/bin/busybox"},
        {"path": "bin/busybox", "content": "bb"},
        {"path": "bin/ls", "type": "hardlink", "target": "bin/busybox"}]},
    {"compression": "none", "entries": [
        {"path": "etc/shadow", "type": "whiteout"},
        {"path": "opt/a", "type": "opaque"},
        {"path": "opt/a/new", "content": "n"},
        {"path": "srv", "content": "now a file"},
        {"path": "etc/passwd", "content": "root:x:0:0\napp:x:1:1\n"}]},
    {"compression": "gzip", "entries": [
        {"path": "bin/busybox", "type": "whiteout"},
        {"path": "tmp/fifo", "type": "fifo"}]},
]}


def test_model(tmp, fmt):
    img = gen(tmp, SPEC, fmt)
    rc, out, err = run(["files", "--json", img])
    assert rc == 0, err
    doc = json.loads(out.decode("utf-8"))
    got = {f["path"]: (f["type"], f["layer"]["index"]) for f in doc["files"]}
    want = model(SPEC)
    assert got == want, "mismatch:\n got %s\nwant %s" % (sorted(got.items()), sorted(want.items()))
    assert len(doc["layers"]) == 3 and doc["layers"][1]["digest"].startswith("sha256:")
    passwd = [f for f in doc["files"] if f["path"] == "/etc/passwd"][0]
    assert passwd["size"] == 21 and passwd["mode"] == "0644"
    ls = [f for f in doc["files"] if f["path"] == "/bin/ls"][0]
    assert ls["link_target"] == "/bin/busybox" and ls["size"] == 2
    rc, out, err = run(["files", "--json", "--deleted", img])
    doc = json.loads(out.decode("utf-8"))
    deleted = {f["path"]: f["deleted_in"] for f in doc["files"] if "deleted_in" in f}
    assert deleted.get("/etc/shadow") == 1 and deleted.get("/opt/a/b") == 1 and deleted.get("/srv/x") == 1, deleted
    assert deleted.get("/bin/busybox") == 2, deleted


def test_demo(tmp):
    out = os.path.join(tmp, "demo.tar")
    subprocess.run([sys.executable, GEN, "demo", out], check=True)
    rc, text, err = run(["files", out])
    assert rc == 0, err
    text = text.decode()
    assert text.splitlines()[0].split()[:3] == ["TYPE", "MODE", "SIZE"], text
    assert "/etc/os-release" in text and "/app/.env" in text and "/app/old-id_rsa" not in text
    rc, js, err = run(["files", "--json", out])
    doc = json.loads(js)
    env = [f for f in doc["files"] if f["path"] == "/app/.env"][0]
    assert env["layer"]["index"] == 1 and env["layer"]["created_by"].startswith("COPY app /app")
    assert doc["target"]["type"] == "image" and doc["target"]["digest"].startswith("sha256:")


def test_non_utf8(tmp):
    spec = {"layers": [{"entries": [{"path_hex": "6261645fff2e747874", "content": "x"},
                                    {"path_hex": "6374726c0a01", "content": "y"},
                                    {"path": "ok\"quote\\back", "content": "z"}]}]}
    img = gen(tmp, spec, "docker-archive")
    rc, out, err = run(["files", "--json", img])
    assert rc == 0, err
    doc = json.loads(out.decode("utf-8"))  # strict UTF-8 and valid JSON
    paths = sorted(f["path"] for f in doc["files"])
    assert "/bad_\\xff.txt" in paths, paths
    assert "/ctrl\\x0a\\x01" in paths, paths
    rc, out, err = run(["files", img])
    assert rc == 0 and b"\xff" not in out


def expect_usage_error(args, must_contain):
    rc, out, err = run(args)
    assert rc == 2, (rc, err)
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    for m in must_contain:
        assert m in lines[0], (m, lines[0])


def test_hostile(tmp):
    rnd = os.path.join(tmp, "random.tar")
    r = random.Random(7)
    with open(rnd, "wb") as f:
        f.write(bytes(r.getrandbits(8) for _ in range(5000)))
    expect_usage_error(["files", rnd], [rnd])
    expect_usage_error(["files", "--type", "image", rnd], [rnd])
    expect_usage_error(["files", os.path.join(tmp, "missing")], ["missing"])
    bad = gen(tmp, {"layers": [{"entries": [{"path": "a", "content": "x"}]}], "corrupt": {"diff_id": 0}},
              "oci-dir", "bad")
    expect_usage_error(["files", bad], [bad, "blob"])
    big = gen(tmp, {"layers": [{"compression": "gzip", "entries": [{"path": "z", "content": "0" * 1024,
                                                                     "repeat": 4096}]}]}, "docker-archive", "big")
    expect_usage_error(["files", "--max-image-size", "1M", big], [big])
    rc, out, err = run(["files", "--max-image-size", "100M", big])
    assert rc == 0, err
    trav = gen(tmp, {"layers": [{"entries": [{"path": "a", "content": "x"}]}],
                     "corrupt": {"manifest_layer": "../../../etc/passwd"}}, "docker-archive", "trav")
    expect_usage_error(["files", trav], [trav])
    expect_usage_error(["files"], ["TARGET"])


def test_umoci(tmp):
    if not shutil.which("umoci"):
        return "umoci is not installed (apt-get install umoci)"
    img = gen(tmp, SPEC, "oci-dir")
    bundle = os.path.join(tmp, "bundle")
    p = subprocess.run(["umoci", "unpack", "--rootless", "--image", img + ":cli:1", bundle],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.returncode == 0, p.stderr
    root = os.path.join(bundle, "rootfs")
    want = set()
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            want.add("/" + os.path.relpath(os.path.join(d, n), root))
    rc, out, err = run(["files", "--json", img])
    got = {f["path"] for f in json.loads(out)["files"]}
    assert got == want, (sorted(got ^ want))
    return None


def main():
    if not BIN or not os.path.exists(BIN):
        print("1..0 # SKIP hullscan binary not built (HULLSCAN_BIN=%s)" % BIN)
        return 0
    cases = [("files --json matches the layer model (docker-archive)", lambda t: test_model(t, "docker-archive")),
             ("files --json matches the layer model (oci-dir)", lambda t: test_model(t, "oci-dir")),
             ("files --json matches the layer model (oci-tar)", lambda t: test_model(t, "oci-tar")),
             ("files on the demo image (table and json)", test_demo),
             ("non-UTF-8 and control characters are escaped, JSON stays valid", test_non_utf8),
             ("hostile inputs exit 2 with one line naming the input", test_hostile),
             ("files agrees with umoci unpack", test_umoci)]
    print("1..%d" % len(cases))
    failed = 0
    for i, (name, fn) in enumerate(cases, 1):
        tmp = tempfile.mkdtemp(prefix="hull-files-")
        try:
            skip = fn(tmp)
            if skip:
                print("ok %d - %s # SKIP %s" % (i, name, skip))
            else:
                print("ok %d - %s" % (i, name))
        except Exception as e:  # noqa: BLE001 - report any failure as TAP
            failed += 1
            print("not ok %d - %s" % (i, name))
            for line in repr(e).splitlines():
                print("# " + line)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
