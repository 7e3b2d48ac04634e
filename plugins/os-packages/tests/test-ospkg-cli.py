#!/usr/bin/env python3
"""test-ospkg-cli.py: the os-packages plugin through the real CLI and plugin loader: a Debian
rootfs scanned with `hullscan scan --format json`, an OSV record set imported with
`hullscan db import`, matching with --vuln-db and --ignore-unfixed; a rootfs whose rpmdb.sqlite
makes a reader work forever (issue #17) scanned to its end with a note. Prints TAP."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HULLSCAN = os.environ.get("HULLSCAN_BIN")
results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def run(*args):
    p = subprocess.run([HULLSCAN] + list(args), capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


STATUS = (
    "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\n"
    "Version: 3.0.11-1~deb12u1\n\n"
    "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\n"
    "Version: 1:1.2.13.dfsg-1\n\n"
    "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n")

OSV = [
    {"id": "DSA-9999-1", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2099-0001"],
     "summary": "openssl: test flaw",
     "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                              {"fixed": "3.0.11-1~deb12u2"}]}]}]},
    {"id": "DEBIAN-CVE-2099-0002", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2099-0002"],
     "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]},
]


def main():
    if not HULLSCAN or not os.path.exists(HULLSCAN):
        print("1..0 # SKIP HULLSCAN_BIN is not built")
        return 0
    tmp = tempfile.mkdtemp(prefix="hull-ospkg-cli-")
    try:
        root = os.path.join(tmp, "root")
        os.makedirs(os.path.join(root, "etc"))
        os.makedirs(os.path.join(root, "var/lib/dpkg"))
        with open(os.path.join(root, "etc/os-release"), "w") as f:
            f.write('ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
        with open(os.path.join(root, "var/lib/dpkg/status"), "w") as f:
            f.write(STATUS)
        osv = os.path.join(tmp, "osv.json")
        with open(osv, "w") as f:
            json.dump(OSV, f)
        db = os.path.join(tmp, "vuln.db")

        rc, out, err = run("scan", root, "--type", "rootfs", "--plugins", "os-packages", "--format", "json")
        check("scan exits 0", rc == 0, err)
        rep = json.loads(out) if rc == 0 else {}
        pkgs = {p["name"]: p for p in rep.get("packages", [])}
        check("packages[] lists the installed packages", sorted(pkgs) == ["libssl3", "zlib1g"], sorted(pkgs))
        check("package source and purl", pkgs.get("libssl3", {}).get("source") == "openssl" and
              pkgs.get("libssl3", {}).get("purl", "").startswith("pkg:deb/debian/libssl3@3.0.11-1~deb12u1"),
              pkgs.get("libssl3"))
        check("target.os from the os fact", rep.get("target", {}).get("os", {}).get("id") == "debian",
              rep.get("target"))

        rc, out, err = run("db", "import", osv, "--db", db)
        check("db import exits 0", rc == 0, err)

        rc, out, err = run("scan", root, "--type", "rootfs", "--plugins", "os-packages", "--format", "json",
                           "--vuln-db", db)
        check("scan with --vuln-db exits 0", rc == 0, err)
        rep = json.loads(out) if rc == 0 else {}
        ids = sorted(f["rule_id"] for f in rep.get("findings", []))
        check("advisories matched by source package", ids == ["DEBIAN-CVE-2099-0002", "DSA-9999-1"], ids)
        by_id = {f["rule_id"]: f for f in rep.get("findings", [])}
        dsa = by_id.get("DSA-9999-1", {})
        check("fixed advisory fields", dsa.get("package") == "libssl3" and
              dsa.get("installed_version") == "3.0.11-1~deb12u1" and
              dsa.get("fixed_version") == "3.0.11-1~deb12u2" and "CVE-2099-0001" in dsa.get("aliases", []), dsa)
        unfixed = by_id.get("DEBIAN-CVE-2099-0002", {})
        check("unfixed advisory has fixed_version null", "fixed_version" in unfixed and
              unfixed["fixed_version"] is None, unfixed)

        rc, out, err = run("scan", root, "--type", "rootfs", "--plugins", "os-packages", "--format", "json",
                           "--vuln-db", db, "--ignore-unfixed")
        rep = json.loads(out) if rc == 0 else {}
        ids = sorted(f["rule_id"] for f in rep.get("findings", []))
        check("--ignore-unfixed drops advisories without a fix", rc == 0 and ids == ["DSA-9999-1"], (rc, ids, err))

        # Issue #17: a 4 KiB rpmdb.sqlite whose Packages is an endless recursive view hung the scan.
        hostile = os.path.join(tmp, "hostile")
        os.makedirs(os.path.join(hostile, "var/lib/rpm"))
        os.makedirs(os.path.join(hostile, "etc"))
        with open(os.path.join(hostile, "etc/os-release"), "w") as f:
            f.write('ID="rocky"\nVERSION_ID="9.3"\n')
        con = sqlite3.connect(os.path.join(hostile, "var/lib/rpm/rpmdb.sqlite"))
        con.execute("CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
                    "SELECT x AS hnum, x AS blob FROM c")
        con.close()
        start = time.monotonic()
        try:
            p = subprocess.run([HULLSCAN, "scan", hostile, "--type", "rootfs", "--format", "json"],
                               capture_output=True, text=True, timeout=30)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            rc, out, err = None, "", "timed out after 30 s"
        elapsed = time.monotonic() - start
        check("recursive-view rpmdb.sqlite: the scan ends, exit 0", rc == 0 and elapsed < 10, (rc, elapsed, err))
        rep = json.loads(out) if rc == 0 else {}
        notes = [n for n in rep.get("notes", []) if "/var/lib/rpm/rpmdb.sqlite" in n]
        check("recursive-view rpmdb.sqlite: one note naming it, no packages",
              len(notes) == 1 and "not an rpm database" in notes[0] and rep.get("packages") == [],
              (rep.get("notes"), rep.get("packages")))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("1..%d" % len(results))
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            print("# %s" % str(detail)[:2000].replace("\n", "\n# "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
