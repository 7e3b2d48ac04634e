#!/usr/bin/env python3
"""validate-schemas.py: validates the SARIF and CycloneDX output of the sample report (plain
and hostile) against the official JSON schemas in $HULL_SHARED_DATA/schemas, printing TAP.
Skips with a reason when python3-jsonschema or the schemas are absent.
Usage: validate-schemas.py REPORT_SAMPLE_BINARY"""
import json
import os
import subprocess
import sys

CASES = [
    ("sarif", "", "sarif-schema-2.1.0.json"),
    ("sarif", "hostile", "sarif-schema-2.1.0.json"),
    ("cyclonedx", "", "bom-1.5.schema.json"),
    ("cyclonedx", "hostile", "bom-1.5.schema.json"),
]


def main():
    sample = sys.argv[1]
    print("1..%d" % len(CASES))
    try:
        import jsonschema
    except ImportError:
        for i, (fmt, variant, _) in enumerate(CASES, 1):
            print("ok %d - %s %s # SKIP python3 module jsonschema is not installed" % (i, fmt, variant))
        return 0
    data = os.environ.get("HULL_SHARED_DATA", "")
    schemas = os.path.join(data, "schemas")
    loaded = {}
    for name in ("sarif-schema-2.1.0.json", "bom-1.5.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"):
        path = os.path.join(schemas, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                loaded[name] = json.load(f)

    def validator_for(schema_name):
        schema = loaded[schema_name]
        cls = jsonschema.validators.validator_for(schema)
        try:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT7
            resources = []
            for name, doc in loaded.items():
                res = Resource.from_contents(doc, default_specification=DRAFT7)
                resources.append((name, res))
                if "$id" in doc:
                    resources.append((doc["$id"], res))
            registry = Registry().with_resources(resources)
            return cls(schema, registry=registry)
        except ImportError:
            # Older jsonschema (Debian 12's 4.10): every schema under each name it is known by,
            # draft-04 "id" included, so no $ref is ever fetched from the network.
            store = {}
            for name, doc in loaded.items():
                store[name] = doc
                for key in ("$id", "id"):
                    if isinstance(doc.get(key), str):
                        store[doc[key]] = doc
                        store[doc[key].rstrip("#")] = doc
            resolver = jsonschema.RefResolver.from_schema(schema, store=store)
            return cls(schema, resolver=resolver)

    failed = 0
    for i, (fmt, variant, schema_name) in enumerate(CASES, 1):
        desc = "%s%s validates against %s" % (fmt, " (hostile strings)" if variant else "", schema_name)
        needed = [schema_name] + (["spdx.schema.json", "jsf-0.82.schema.json"] if fmt == "cyclonedx" else [])
        missing = [n for n in needed if n not in loaded]
        if missing:
            print("ok %d - %s # SKIP %s not found in %s" % (i, desc, ", ".join(missing), schemas))
            continue
        args = [sample, fmt] + ([variant] if variant else [])
        out = subprocess.run(args, stdout=subprocess.PIPE, check=True).stdout
        try:
            doc = json.loads(out.decode("utf-8"))
            errors = sorted(validator_for(schema_name).iter_errors(doc), key=lambda e: list(e.path))
        except Exception as e:  # invalid UTF-8 or JSON is a failure too
            errors = [e]
        if errors:
            failed += 1
            print("not ok %d - %s" % (i, desc))
            for e in errors[:10]:
                print("# %s at %s" % (getattr(e, "message", str(e)), list(getattr(e, "path", []))))
        else:
            print("ok %d - %s" % (i, desc))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
