#!/usr/bin/env python3
"""test-db-cli.py: `hullscan db import` and `hullscan db info` through the real executable:
exit codes (0 done, 2 unusable input or usage, one line naming the input), the summary line,
counts per ecosystem and the newest `modified`, JSON output. Prints TAP."""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ.get("HULLSCAN_BIN", "")
SHARED = os.environ.get("HULL_SHARED_DATA", "")
results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def run(*args):
    p = subprocess.run([BIN, "db", *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def main():
    if not BIN or not os.access(BIN, os.X_OK):
        print("1..0 # SKIP hullscan executable not built")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "v.db")
        rec = {"id": "CLI-1", "modified": "2024-06-01T12:00:00Z", "aliases": ["CVE-2024-9"],
               "affected": [{"package": {"ecosystem": "Debian:12", "name": "foo"},
                             "ranges": [{"type": "ECOSYSTEM",
                                         "events": [{"introduced": "0"}, {"fixed": "1.2-1"}]}]}]}
        src = os.path.join(tmp, "CLI-1.json")
        with open(src, "w") as f:
            json.dump(rec, f)
        deep = os.path.join(tmp, "deep.json")
        with open(deep, "w") as f:
            f.write("[" * 10000 + "]" * 10000)

        rc, out, err = run("import", src, "--db", db)
        check("import exits 0", rc == 0, err)
        check("import summary counts one record", "imported 1 records" in out and "(0 skipped)" in out, out)
        rc, out, err = run("import", deep, "--db", db)
        check("10,000-deep file exits 2 naming it", rc == 2 and "deep.json" in err and "nested" in err, err)
        sub = os.path.join(tmp, "dir")
        os.mkdir(sub)
        os.rename(deep, os.path.join(sub, "deep.json"))
        rc, out, err = run("import", sub, "--db", db)
        check("deep file inside a directory is a noted skip", rc == 0 and "(1 skipped)" in out and "deep.json" in err, out + err)

        rc, out, err = run("info", "--db", db)
        check("info exits 0", rc == 0, err)
        check("info lists the ecosystem", "Debian:12" in out, out)
        check("info prints newest modified", "2024-06-01T12:00:00Z" in out, out)

        rec["modified"] = "2024-07-01T00:00:00Z"
        with open(src, "w") as f:
            json.dump(rec, f)
        rc, out, err = run("import", src, "--db", db)
        rc, out, err = run("info", "--json", "--db", db)
        info = json.loads(out) if rc == 0 else {}
        check("re-import updates, no duplicate", info.get("advisories") == 1 and
              info.get("newest_modified") == "2024-07-01T00:00:00Z", out)
        ecos = {e["ecosystem"]: e for e in info.get("ecosystems", [])}
        check("json info per ecosystem", ecos.get("Debian:12", {}).get("advisories") == 1, out)

        rc, out, err = run("import", os.path.join(tmp, "nope.json"), "--db", db)
        check("missing source exits 2 naming it", rc == 2 and "nope.json" in err and len(err.strip().splitlines()) == 1, err)

        junk = os.path.join(tmp, "junk.db")
        with open(junk, "w") as f:
            f.write("not a database\n" * 100)
        rc, out, err = run("info", "--db", junk)
        check("corrupt db exits 2 naming it", rc == 2 and "junk.db" in err, err)
        rc, out, err = run("import", src, "--db", junk)
        check("import into corrupt db exits 2", rc == 2 and "junk.db" in err, err)

        rc, out, err = run("info", "--db", os.path.join(tmp, "absent.db"))
        check("info on absent db exits 2", rc == 2 and "absent.db" in err, err)
        check("info did not create the db", not os.path.exists(os.path.join(tmp, "absent.db")))

        rc, out, err = run("import", src)
        check("import without --db exits 2", rc == 2 and "--db" in err, err)
        rc, out, err = run("frobnicate", "--db", db)
        check("unknown db subcommand exits 2", rc == 2, err)
        rc, out, err = run("import", "--db", db)
        check("import without sources exits 2", rc == 2, err)

        vd = os.path.join(SHARED, "vulndata") if SHARED else ""
        if vd and os.path.isdir(vd):
            rc, out, err = run("import", vd, "--db", db)
            check("shared samples import", rc == 0, err)
            rc, out, err = run("info", "--json", "--db", db)
            names = [e["ecosystem"] for e in json.loads(out).get("ecosystems", [])] if rc == 0 else []
            check("shared samples ecosystems", "Alpine:v3.10" in names and "Debian:9" in names, out)
        else:
            results.append(("shared samples import", None, "HULL_SHARED_DATA/vulndata absent"))

    print(f"1..{len(results)}")
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        if ok is None:
            print(f"ok {i} - {name} # SKIP {detail}")
        elif ok:
            print(f"ok {i} - {name}")
        else:
            failed += 1
            print(f"not ok {i} - {name}")
            for line in str(detail).splitlines()[:10]:
                print(f"# {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
