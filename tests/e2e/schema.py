#!/usr/bin/env python3
"""schema.py - every event telexpose writes for the bundled captures validates
against docs/schema/events.schema.json (python3-jsonschema, draft 2020-12).
TAP output."""
import glob
import json
import os
import subprocess
import sys

srcdir = os.environ.get("srcdir", ".")
exe = os.environ.get("TELEXPOSE", "./src/telexpose")
n = failed = 0


def ok(cond, msg, diag=""):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, msg))
    if not cond:
        failed += 1
        for line in str(diag).splitlines()[:20]:
            print("# " + line)


try:
    import jsonschema
except ImportError:
    ok(False, "python3-jsonschema is installed (apt-get install -y python3-jsonschema)")
    print("1..%d" % n)
    sys.exit(1)

with open(os.path.join(srcdir, "docs", "schema", "events.schema.json")) as fh:
    schema = json.load(fh)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(
    schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

# A record that breaks the schema must be refused, or the test proves nothing.
bad = {"timestamp": "2024-01-01 00:00:00", "event_type": "flow"}
ok(not validator.is_valid(bad), "the schema rejects a malformed event")
bad = {"timestamp": "2024-01-01T00:00:00.000000+0000", "event_type": "device", "change": "new",
       "device": {"id": "mac=00:e0:fc:00:00:01", "vendor": "Huawei"}}
ok(not validator.is_valid(bad), "the schema rejects a device event with a partial device")

captures = sorted(glob.glob(os.path.join(srcdir, "tests", "pcap", "**", "*.pcap*"),
                            recursive=True))
ok(len(captures) > 0, "captures found under tests/pcap (%d)" % len(captures))
total = 0
types = set()
for cap in captures:
    r = subprocess.run([exe, "-q", "-r", cap], capture_output=True, text=True)
    errors = []
    for line in r.stdout.splitlines():
        ev = json.loads(line)
        types.add(ev["event_type"])
        total += 1
        for e in validator.iter_errors(ev):
            errors.append("%s: %s" % (list(e.absolute_path), e.message))
    ok(not errors, "%s: %d events valid" % (os.path.relpath(cap, srcdir), r.stdout.count("\n")),
       "\n".join(errors))
want = {"flow", "evidence", "stats", "device", "exposure"}
ok(types == want, "every event type was validated: %s" % sorted(types),
   "missing: %s" % sorted(want - types))
print("# %d events validated" % total)
print("1..%d" % n)
sys.exit(1 if failed else 0)
