"""lib.py - helpers for the end-to-end tests (Python 3 standard library only).

    import lib
    rc, events, err = lib.run(["capture.pcap"], ["--no-dpi"])
    lib.ok(rc == 0, "exits 0", err)
    sys.exit(lib.done())

TELEXPOSE names the binary (default ./src/telexpose), srcdir the source tree
(default "."); make check sets both. Output is TAP with the plan at the end:
"ok N - msg" / "not ok N - msg", diagnostics as "# ..." lines after a failure.
"""
import json
import os
import subprocess
import sys
import traceback

SRCDIR = os.environ.get("srcdir", ".")
TELEXPOSE = os.environ.get("TELEXPOSE", "./src/telexpose")
TIMEOUT = 300  # seconds for one telexpose run

_n = 0
_failed = 0


def path(*parts):
    """A path under the source tree."""
    return os.path.join(SRCDIR, *parts)


def diag(text):
    """Print text as TAP diagnostic lines."""
    for line in str(text).splitlines() or [""]:
        print("# " + line)


def ok(cond, msg, info=None):
    """One assertion. On failure, info (any value) is printed as diagnostics."""
    global _n, _failed
    _n += 1
    msg = msg.replace("\n", " ").replace("#", "\\#")
    print("%s %d - %s" % ("ok" if cond else "not ok", _n, msg))
    if not cond:
        _failed += 1
        if info is not None:
            diag(info)
    sys.stdout.flush()
    return bool(cond)


def eq(got, want, msg):
    """ok(got == want) with both values in the diagnostics."""
    return ok(got == want, msg, "got:  %r\nwant: %r" % (got, want))


def done():
    """Print the plan; the exit status to use (0 when nothing failed)."""
    print("1..%d" % _n)
    if _failed:
        diag("%d of %d assertions failed" % (_failed, _n))
    sys.stdout.flush()
    return 1 if _failed else 0


def guard(label, fn, *args, **kw):
    """Run fn; an exception (a missing field, say) counts as one failure."""
    try:
        return fn(*args, **kw)
    except Exception:  # noqa: BLE001 - any error is a test failure
        ok(False, "%s: no exception in the test" % label, traceback.format_exc())
        return None


def parse_ndjson(text):
    """(events, problems): every line must be one complete JSON object."""
    events, problems = [], []
    if text == "":
        return events, problems
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    else:
        problems.append("output does not end with a newline (partial last line)")
    for i, line in enumerate(lines, 1):
        try:
            ev = json.loads(line)
        except ValueError as e:
            problems.append("line %d is not JSON (%s): %.200s" % (i, e, line))
            continue
        if not isinstance(ev, dict):
            problems.append("line %d is not a JSON object: %.200s" % (i, line))
            continue
        events.append(ev)
    return events, problems


def run(files, args=(), label=None):
    """Run telexpose -r F... ARGS. Returns (exit code, events, stderr).

    Records one assertion: standard output is well-formed NDJSON (every line
    a complete JSON object). A missing binary or a hang is a failure of that
    assertion, with exit code None.
    """
    cmd = [TELEXPOSE]
    for f in files:
        cmd += ["-r", f]
    cmd += list(args)
    label = label or " ".join(os.path.basename(f) for f in files) or "run"
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        ok(False, "%s: telexpose ran and wrote NDJSON" % label, "%s\n%s" % (" ".join(cmd), e))
        return None, [], ""
    err = p.stderr.decode("utf-8", "replace")
    try:
        # Strict: JSON text must be UTF-8 (RFC 8259), and SIEM parsers refuse
        # anything else.
        out = p.stdout.decode("utf-8")
        utf8_problem = []
    except UnicodeDecodeError as e:
        out = p.stdout.decode("utf-8", "replace")
        utf8_problem = ["output is not valid UTF-8: %s" % e]
    events, problems = parse_ndjson(out)
    problems = utf8_problem + problems
    ok(not problems, "%s: stdout is NDJSON (%d events)" % (label, len(events)),
       "\n".join([" ".join(cmd), "exit %s" % p.returncode] + problems + [err]))
    return p.returncode, events, err


def flows(events):
    return [e for e in events if e.get("event_type") == "flow"]


def stats(events):
    """The stats event (the last one), or {} when there is none."""
    s = [e for e in events if e.get("event_type") == "stats"]
    return s[-1].get("stats", {}) if s else {}


def get(obj, dotted, default=None):
    """get(ev, "flow.pkts_toserver"): a nested field, default when absent."""
    for k in dotted.split("."):
        if not isinstance(obj, dict) or k not in obj:
            return default
        obj = obj[k]
    return obj


def find(flow_events, **want):
    """Flow events whose fields equal want; keys use __ for dots
    (flow__reason="timeout")."""
    return [f for f in flow_events
            if all(get(f, k.replace("__", "."), object()) == v for k, v in want.items())]


def pkts(flow_event):
    return get(flow_event, "flow.pkts_toserver", 0) + get(flow_event, "flow.pkts_toclient", 0)
