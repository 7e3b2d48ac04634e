#!/usr/bin/env python3
"""gen-image.py: writes container images for hullscan's tests: docker-archive tars and OCI image
layouts (as a directory or a tar) from a JSON spec of layers, deterministic byte for byte
(fixed mtimes, uid/gid 0), so tests and reports are reproducible. Standard library only; zstd
layers use the `zstd` command and are refused with a message (exit 77) when it is missing.

Usage:
  gen-image.py build SPEC.json OUT [--format docker-archive|oci-dir|oci-tar]
  gen-image.py demo OUT.tar          the bundled example image scripts/demo scans
  gen-image.py has-zstd              exit 0 when zstd layers can be written, 77 otherwise

SPEC (JSON object; "format" defaults to docker-archive; "images" may list several images, each
an object like the top level, otherwise the top level is the one image):
  {"format": "oci-dir", "tags": ["app:1"], "platform": "linux/amd64",
   "config": {"User": "app", "Env": ["A=b"]},          merged into the config's "config"
   "history": [{"created_by": "...", "empty_layer": true}, ...]   default: one entry per layer
   "nested_index": true,                               OCI: put the manifest behind a nested index
   "layers": [{"compression": "none|gzip|zstd|gzip-members|gzip-trailing|gzip-badcrc|gzip-truncated", "created_by": "RUN x",
               "truncate": 100,                        cut the blob to N bytes after hashing
               "entries": [
     {"path": "etc/passwd", "type": "file", "content": "root:x:0:0::/root:/bin/sh\\n",
      "mode": 420, "repeat": 1000, "path_hex": "6162ff"},  content repeated; path from hex bytes
     {"path": "bin/sh", "type": "symlink", "target": "/bin/busybox"},
     {"path": "sbin/x", "type": "hardlink", "target": "bin/busybox"},
     {"path": "var/empty", "type": "dir"},
     {"path": "tmp/fifo", "type": "fifo"},
     {"path": "etc/old", "type": "whiteout"},           writes etc/.wh.old
     {"path": "opt", "type": "opaque"},                 writes opt/.wh..wh..opq
     {"path": "big", "type": "bogus_size", "size": N}   a header claiming N bytes, then the end
   ]}],
   "layer_links": "symlink|hardlink",                  docker-archive: each layer in a "<id>/layer.tar"
                                                        of its own, a repeated blob written once and
                                                        linked to after (as Docker before 25 saves)
   "corrupt": {"diff_id": 0, "blob": 0, "manifest_layer": "../../etc/passwd",
               "config_ref": "../x",
               "layer_link": "../../etc/passwd",        layer 0's member is a symlink to this
               "layer_link_chain": 41}}                 ... reached through N chained symlinks
                                                        hostile variants for tests
"""
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

MTIME = 1700000000


def have_zstd():
    return shutil.which("zstd") is not None


def entry_name(e):
    if "path_hex" in e:
        return bytes.fromhex(e["path_hex"]).decode("utf-8", "surrogateescape")
    return e["path"]


def add_member(tf, name, kind, data=b"", mode=None, target=None):
    ti = tarfile.TarInfo(name)
    ti.mtime = MTIME
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    if kind == "file":
        ti.type = tarfile.REGTYPE
        ti.size = len(data)
        ti.mode = 0o644 if mode is None else mode
        tf.addfile(ti, io.BytesIO(data))
        return
    if kind == "dir":
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755 if mode is None else mode
    elif kind == "symlink":
        ti.type = tarfile.SYMTYPE
        ti.linkname = target
        ti.mode = 0o777
    elif kind == "hardlink":
        ti.type = tarfile.LNKTYPE
        ti.linkname = target
        ti.mode = 0o644 if mode is None else mode
    elif kind == "fifo":
        ti.type = tarfile.FIFOTYPE
        ti.mode = 0o644 if mode is None else mode
    tf.addfile(ti)


def octal(n, width):
    return ("%0*o" % (width - 1, n)).encode() + b"\0"


def bogus_header(name, size):
    """A ustar header claiming @size bytes (base-256 when it does not fit in octal)."""
    h = bytearray(512)
    nb = name.encode()[:99]
    h[0:len(nb)] = nb
    h[100:108] = octal(0o644, 8)
    h[108:116] = octal(0, 8)
    h[116:124] = octal(0, 8)
    if size < 8 ** 11:
        h[124:136] = octal(size, 12)
    else:
        h[124:136] = b"\x80" + size.to_bytes(11, "big")
    h[136:148] = octal(MTIME, 12)
    h[156:157] = b"0"
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    h[148:156] = b" " * 8
    chk = sum(h)
    h[148:156] = ("%06o" % chk).encode() + b"\0 "
    return bytes(h)


def layer_tar(layer):
    buf = io.BytesIO()
    tf = tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT, encoding="utf-8",
                      errors="surrogateescape")
    bogus = None
    for e in layer.get("entries", []):
        kind = e.get("type", "file")
        name = entry_name(e)
        if kind == "file":
            data = e.get("content", "")
            data = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)
            if "content_b64" in e:
                data = base64.b64decode(e["content_b64"])
            data = data * int(e.get("repeat", 1))
            add_member(tf, name, "file", data, e.get("mode"))
        elif kind in ("dir", "symlink", "hardlink", "fifo"):
            add_member(tf, name, kind, mode=e.get("mode"), target=e.get("target"))
        elif kind == "whiteout":
            d, _, b = name.rstrip("/").rpartition("/")
            add_member(tf, (d + "/" if d else "") + ".wh." + b, "file", b"")
        elif kind == "opaque":
            add_member(tf, name.rstrip("/") + "/.wh..wh..opq", "file", b"")
        elif kind == "bogus_size":
            bogus = bogus_header(name, int(e["size"]))
        else:
            raise SystemExit("gen-image: unknown entry type %r" % kind)
    if bogus is not None:
        tf.fileobj.write(bogus)
        data = buf.getvalue()
        return data[: tf.offset + 512]
    tf.close()
    return buf.getvalue()


def compress(data, how):
    if how in (None, "none"):
        return data
    if how == "gzip":
        return gzip.compress(data, compresslevel=6, mtime=0)
    # gzip as other writers (or attackers) make it
    if how == "gzip-members":  # three concatenated members (pigz, appending writers)
        cut = [0, len(data) // 3, 2 * len(data) // 3, len(data)]
        return b"".join(gzip.compress(data[a:b], compresslevel=6, mtime=0) for a, b in zip(cut, cut[1:]))
    if how == "gzip-trailing":  # bytes after the last member that start no other
        return gzip.compress(data, compresslevel=6, mtime=0) + b"\0\0\0\0not a gzip member\n"
    if how == "gzip-badcrc":  # the CRC-32 in the trailer does not match
        z = bytearray(gzip.compress(data, compresslevel=6, mtime=0))
        z[-8] ^= 0xff
        return bytes(z)
    if how == "gzip-truncated":  # the last 100 bytes missing
        return gzip.compress(data, compresslevel=6, mtime=0)[:-100]
    if how == "zstd":
        if not have_zstd():
            print("gen-image: zstd is not installed: cannot write a zstd layer", file=sys.stderr)
            sys.exit(77)
        return subprocess.run(["zstd", "-q", "-c", "-3"], input=data, stdout=subprocess.PIPE, check=True).stdout
    raise SystemExit("gen-image: unknown compression %r" % how)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def build_image(spec):
    """Returns (config bytes, [(blob bytes, diff_id hex, media type)], spec)."""
    layers = []
    diff_ids = []
    for layer in spec.get("layers", []):
        raw = layer_tar(layer)
        blob = compress(raw, layer.get("compression"))
        diff_ids.append("sha256:" + sha(raw))
        mt = {"gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
              "gzip-members": "application/vnd.oci.image.layer.v1.tar+gzip",
              "gzip-trailing": "application/vnd.oci.image.layer.v1.tar+gzip",
              "gzip-badcrc": "application/vnd.oci.image.layer.v1.tar+gzip",
              "gzip-truncated": "application/vnd.oci.image.layer.v1.tar+gzip",
              "zstd": "application/vnd.oci.image.layer.v1.tar+zstd"}.get(layer.get("compression"),
                                                                      "application/vnd.oci.image.layer.v1.tar")
        layers.append([blob, sha(raw), mt])
    corrupt = spec.get("corrupt", {})
    if "diff_id" in corrupt:
        diff_ids[corrupt["diff_id"]] = "sha256:" + "0" * 64
    history = spec.get("history")
    if history is None:
        history = [{"created": "2023-11-14T22:13:20Z",
                    "created_by": l.get("created_by", "/bin/sh -c #(nop) ADD file:%d in /" % i)}
                   for i, l in enumerate(spec.get("layers", []))]
    osname, arch = (spec.get("platform", "linux/amd64").split("/") + [""])[:2]
    config = {
        "architecture": arch,
        "os": osname,
        "created": "2023-11-14T22:13:20Z",
        "config": spec.get("config", {}),
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }
    cbytes = json.dumps(config, indent=None, separators=(",", ":"), sort_keys=True).encode()
    for i, layer in enumerate(spec.get("layers", [])):
        if "truncate" in layer:
            layers[i][0] = layers[i][0][: int(layer["truncate"])]
    return cbytes, layers


def tar_add_bytes(tf, name, data):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mtime = MTIME
    ti.mode = 0o644
    tf.addfile(ti, io.BytesIO(data))


def tar_add_link(tf, name, target, hard=False):
    ti = tarfile.TarInfo(name)
    ti.type = tarfile.LNKTYPE if hard else tarfile.SYMTYPE
    ti.linkname = target
    ti.mtime = MTIME
    ti.mode = 0o777
    tf.addfile(ti)


def write_docker_archive(images, out):
    manifest = []
    files = {}
    links = {}      # member name -> (target, hard)
    first = {}      # blob sha -> member that holds it (layer_links)
    for spec in images:
        cbytes, layers = build_image(spec)
        corrupt = spec.get("corrupt", {})
        link_kind = spec.get("layer_links")
        cname = sha(cbytes) + ".json"
        files[cname] = cbytes
        lnames = []
        for i, (blob, diff_hex, _mt) in enumerate(layers):
            if "blob" in corrupt and corrupt["blob"] == i:
                blob = blob[:-1] + bytes([blob[-1] ^ 0xFF]) if blob else b"x"
            if link_kind:
                # a v1-style id per position, so a repeated blob needs a second name
                name = sha(("%d:%s:%s" % (i, sha(blob), cname)).encode()) + "/layer.tar"
                held = first.get(sha(blob))
                if held is None:
                    first[sha(blob)] = name
                    files[name] = blob
                elif link_kind == "hardlink":
                    links[name] = (held, True)
                else:
                    links[name] = ("../" + held, False)
            else:
                name = sha(blob) + "/layer.tar"
                files[name] = blob
            lnames.append(name)
        if "layer_link" in corrupt or "layer_link_chain" in corrupt:
            # layer 0 is reached through a symlink (or a chain of them) instead
            real = lnames[0]
            name = "linked/layer.tar"
            if "layer_link" in corrupt:
                links[name] = (corrupt["layer_link"], False)
            else:
                n = corrupt["layer_link_chain"]
                for k in range(n):
                    links["chain/%d.tar" % k if k else name] = (
                        ("../" + real) if k == n - 1 else ("%d.tar" % (k + 1) if k else "../chain/1.tar"), False)
            lnames[0] = name
        if "manifest_layer" in corrupt:
            lnames[0] = corrupt["manifest_layer"]
        if "config_ref" in corrupt:
            cname = corrupt["config_ref"]
        manifest.append({"Config": cname, "RepoTags": spec.get("tags"), "Layers": lnames})
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        for name in sorted(files):
            tar_add_bytes(tf, name, files[name])
        for name in sorted(links):
            tar_add_link(tf, name, links[name][0], links[name][1])
        tar_add_bytes(tf, "manifest.json", json.dumps(manifest).encode())


def oci_files(images):
    files = {"oci-layout": json.dumps({"imageLayoutVersion": "1.0.0"}).encode()}
    descs = []

    def blob(data):
        files["blobs/sha256/" + sha(data)] = data
        return "sha256:" + sha(data)

    for spec in images:
        cbytes, layers = build_image(spec)
        corrupt = spec.get("corrupt", {})
        ldescs = []
        for i, (b, _diff, mt) in enumerate(layers):
            d = blob(b)
            size = len(b)
            if "blob" in corrupt and corrupt["blob"] == i:
                bad = b[:-1] + bytes([b[-1] ^ 0xFF]) if b else b"x"
                files["blobs/sha256/" + d[7:]] = bad
            ldescs.append({"mediaType": mt, "digest": d, "size": size})
        if "manifest_layer" in corrupt:
            ldescs[0]["digest"] = corrupt["manifest_layer"]
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                               "digest": blob(cbytes), "size": len(cbytes)},
                    "layers": ldescs}
        mbytes = json.dumps(manifest, sort_keys=True).encode()
        osname, arch = (spec.get("platform", "linux/amd64").split("/") + [""])[:2]
        desc = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": blob(mbytes),
                "size": len(mbytes), "platform": {"os": osname, "architecture": arch}}
        tags = spec.get("tags") or []
        if tags:
            desc["annotations"] = {"org.opencontainers.image.ref.name": tags[0]}
        if spec.get("nested_index"):
            inner = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                     "manifests": [desc]}
            ib = json.dumps(inner, sort_keys=True).encode()
            desc = {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": blob(ib), "size": len(ib)}
            if tags:
                desc["annotations"] = {"org.opencontainers.image.ref.name": tags[0]}
        descs.append(desc)
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": descs}
    files["index.json"] = json.dumps(index, sort_keys=True).encode()
    return files


def write_oci(images, out, as_tar):
    files = oci_files(images)
    if as_tar:
        with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
            for name in sorted(files):
                tar_add_bytes(tf, name, files[name])
        return
    os.makedirs(out, exist_ok=True)
    for name, data in files.items():
        p = os.path.join(out, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)


def write(spec, out, fmt=None):
    fmt = fmt or spec.get("format", "docker-archive")
    images = spec.get("images") or [spec]
    if fmt == "docker-archive":
        write_docker_archive(images, out)
    elif fmt == "oci-dir":
        write_oci(images, out, False)
    elif fmt == "oci-tar":
        write_oci(images, out, True)
    else:
        raise SystemExit("gen-image: unknown format %r" % fmt)


DPKG_STATUS = """Package: base-files
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 340
Maintainer: Santiago Vila <sanvila@debian.org>
Architecture: amd64
Version: 12.4+deb12u2
Description: Debian base system miscellaneous files

Package: libssl3
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 6183
Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
Architecture: amd64
Multi-Arch: same
Source: openssl
Version: 3.0.11-1~deb12u2
Description: Secure Sockets Layer toolkit - shared libraries

Package: openssl
Status: install ok installed
Priority: optional
Section: utils
Installed-Size: 2264
Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
Architecture: amd64
Version: 3.0.11-1~deb12u2
Depends: libc6 (>= 2.34), libssl3 (>= 3.0.9)
Description: Secure Sockets Layer toolkit - cryptographic utility

Package: openssh-server
Status: install ok installed
Priority: optional
Section: net
Installed-Size: 1971
Maintainer: Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>
Architecture: amd64
Source: openssh
Version: 1:9.2p1-2+deb12u1
Depends: libssl3 (>= 3.0.0), openssh-client (= 1:9.2p1-2+deb12u1)
Description: secure shell (SSH) server, for secure access from remote machines

Package: openssh-client
Status: install ok installed
Priority: standard
Section: net
Installed-Size: 4151
Maintainer: Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>
Architecture: amd64
Source: openssh
Version: 1:9.2p1-2+deb12u1
Description: secure shell (SSH) client, for secure access to remote machines

Package: zlib1g
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 168
Maintainer: Mark Brown <broonie@debian.org>
Architecture: amd64
Multi-Arch: same
Source: zlib
Version: 1:1.2.13.dfsg-1
Description: compression library - runtime
"""

OS_RELEASE = """PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
"""

PASSWD = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
sshd:x:100:65534::/run/sshd:/usr/sbin/nologin
app:x:1000:1000::/app:/bin/sh
"""

SSHD_CONFIG = """# demo sshd_config (hullscan example image)
Port 22
PermitRootLogin yes
PasswordAuthentication yes
UsePAM yes
Subsystem sftp /usr/lib/openssh/sftp-server
"""

RBAC = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: demo-app
  namespace: default
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: demo-everything
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: demo-everything
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: demo-everything
subjects:
  - kind: ServiceAccount
    name: demo-app
    namespace: default
"""

DOCKERFILE = """FROM debian:12
RUN apt-get update && apt-get install -y openssh-server openssl
COPY sshd_config /etc/ssh/sshd_config
USER root
COPY app /app
RUN rm /app/old-id_rsa
EXPOSE 22 8080
CMD ["/usr/sbin/sshd", "-D"]
"""

# A planted, obviously fake token with the shape of a GitHub personal access token (no long run
# of zeros or "example": scanners rightly drop those as placeholders, and the demo must show it).
DEMO_TOKEN = "ghp_" + "hullscanDEMO" + "a1B2c3D4e5F6g7H8i9J0kLmN"
FAKE_KEY = ("-----BEGIN OPENSSH PRIVATE KEY-----\n"
            "b3BlbnNzaC1rZXktdjEAAAAAHULLSCANDEMOKEYNOTREAL0000000000000000000000000\n"
            "-----END OPENSSH PRIVATE KEY-----\n")


COMPOSE = """services:
  app:
    image: hullscan/demo:latest
    ports: ["8080:8080"]
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
    cap_add: [NET_ADMIN]
"""


def demo_spec():
    assert len(DEMO_TOKEN) == 40
    return {
        "format": "docker-archive",
        "tags": ["hullscan/demo:latest"],
        "config": {
            "User": "",
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "API_TOKEN=hullscan-demo-api-token-0123456789abcdef"],
            "ExposedPorts": {"22/tcp": {}, "8080/tcp": {}},
            "Cmd": ["/usr/sbin/sshd", "-D"],
            "WorkingDir": "/app",
            "Labels": {"org.opencontainers.image.title": "hullscan demo"},
        },
        "history": [
            {"created": "2023-11-14T22:13:20Z", "created_by": "/bin/sh -c #(nop) ADD file:5d6b639e8b6bcc01 in / "},
            {"created": "2023-11-14T22:13:20Z", "created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": True},
            {"created": "2023-11-14T22:13:20Z", "created_by": "/bin/sh -c #(nop)  USER root", "empty_layer": True},
            {"created": "2023-11-14T22:13:20Z", "created_by": "COPY app /app # buildkit", "comment": "buildkit.dockerfile.v0"},
            {"created": "2023-11-14T22:13:20Z", "created_by": "RUN /bin/sh -c rm /app/old-id_rsa # buildkit",
             "comment": "buildkit.dockerfile.v0"},
            {"created": "2023-11-14T22:13:20Z", "created_by": "EXPOSE map[22/tcp:{} 8080/tcp:{}]", "empty_layer": True,
             "comment": "buildkit.dockerfile.v0"},
            {"created": "2023-11-14T22:13:20Z", "created_by": "CMD [\"/usr/sbin/sshd\" \"-D\"]", "empty_layer": True,
             "comment": "buildkit.dockerfile.v0"},
        ],
        "layers": [
            {"compression": "gzip", "entries": [
                {"path": "etc", "type": "dir"},
                {"path": "etc/os-release", "content": OS_RELEASE},
                {"path": "etc/passwd", "content": PASSWD},
                {"path": "etc/ssh", "type": "dir"},
                {"path": "etc/ssh/sshd_config", "content": SSHD_CONFIG},
                {"path": "var/lib/dpkg", "type": "dir"},
                {"path": "var/lib/dpkg/status", "content": DPKG_STATUS},
                {"path": "usr/sbin", "type": "dir"},
                {"path": "bin", "type": "dir"},
                {"path": "bin/sh", "type": "symlink", "target": "dash"},
                {"path": "bin/dash", "content": "\x7fELF-demo-not-a-real-binary\n", "mode": 0o755},
            ]},
            {"compression": "none", "entries": [
                {"path": "app", "type": "dir"},
                {"path": "app/.env", "content": "DEBUG=false\nGITHUB_TOKEN=%s\n" % DEMO_TOKEN},
                {"path": "app/k8s", "type": "dir"},
                {"path": "app/k8s/rbac.yaml", "content": RBAC},
                {"path": "app/Dockerfile", "content": DOCKERFILE},
                {"path": "app/docker-compose.yml", "content": COMPOSE},
                {"path": "app/old-id_rsa", "content": FAKE_KEY, "mode": 0o600},
            ]},
            {"compression": "none", "entries": [
                {"path": "app/old-id_rsa", "type": "whiteout"},
            ]},
        ],
    }


def main(argv):
    if len(argv) >= 2 and argv[1] == "has-zstd":
        return 0 if have_zstd() else 77
    if len(argv) == 3 and argv[1] == "demo":
        write(demo_spec(), argv[2])
        return 0
    if len(argv) >= 4 and argv[1] == "build":
        with open(argv[2], encoding="utf-8") as f:
            spec = json.load(f)
        fmt = None
        if len(argv) == 6 and argv[4] == "--format":
            fmt = argv[5]
        write(spec, argv[3], fmt)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
