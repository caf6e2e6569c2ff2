#!/usr/bin/env python3
"""Measure the nft example against nftables' own tests/py (issue 20's bar).

Usage: nft-testpy.py TESTS_PY_DIR EXAMPLE_BIN [FILE.t ...]

For every `rule;ok` line of every table line of a test file: nft 1.0.6
applies it (with the file's chain, and the set/object/element lines before
it) in private namespace A (a case nft refuses on this kernel is skipped);
`nft -j list ruleset` there is the JSON J. The case passes when
  1. the example's `-j list ruleset` in A equals J, and
  2. the example's `-j -f J` in a clean namespace B leaves a ruleset that
     nft lists as nft's own `-j -f J` leaves it (or both refuse J: nft
     1.0.6's JSON has no `dev` for netdev chains, for one).
Handles are ignored (their counters differ between namespaces).
Everything runs in two namespaces this script creates (`unshare -n`); the
host's is never touched. nftables' test files are read, never copied.
"""
import collections, json, os, re, subprocess, sys, tempfile

def holder():
    p = subprocess.Popen(["unshare", "-n", "sleep", "1d"])
    for _ in range(100):
        try:
            if os.readlink(f"/proc/{p.pid}/ns/net") != os.readlink("/proc/self/ns/net"):
                return p
        except OSError:
            pass
        import time; time.sleep(0.01)
    raise SystemExit("could not create a namespace")

def nft(ns, args, stdin=None):
    return subprocess.run(["nsenter", f"--net=/proc/{ns.pid}/ns/net", "nft"] + args,
                          input=stdin, capture_output=True, text=True)

def ours(bin, ns, args):
    return subprocess.run([bin, "-n", f"/proc/{ns.pid}/ns/net"] + args,
                          capture_output=True, text=True)

def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k != "handle"}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v

KEYWORDS = ("flags", "timeout", "size", "policy", "gc-interval", "counter", "elements")

def set_decl(rest):
    # "type ipv4_addr timeout 60s" -> "type ipv4_addr; timeout 60s;"
    out, cur = [], []
    for tok in rest.split():
        if tok in KEYWORDS and cur:
            out.append(" ".join(cur)); cur = []
        cur.append(tok)
    if cur:
        out.append(" ".join(cur))
    return "; ".join(out) + ";"

def obj_decl(fam, name, rest):
    m = re.match(r"type (counter|quota|limit|ct helper|ct timeout|ct expectation|synproxy|secmark)\s*(.*)", rest)
    if not m:
        return None
    kind, body = m.group(1), m.group(2).strip()
    if body.startswith("{"):
        return f"add {kind} {fam} t {name} {body}"
    return f"add {kind} {fam} t {name} {{ {body} }}" if body else f"add {kind} {fam} t {name}"

def cases(path):
    chains, tables, setup, out = {}, [], [], []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if not line or line.startswith("#") or line.startswith("-"):
            continue
        if line.startswith(":"):
            name, spec = line[1:].split(";", 1)
            chains[name] = spec
        elif line.startswith("*"):
            fam, _, cs = line[1:].split(";")
            tables.append((fam, cs.split(",")[0]))
        elif line[0] in "!?%":
            parts = line[1:].split(";")
            if len(parts) < 2 or parts[1] != "ok":
                continue
            name, _, rest = parts[0].partition(" ")
            setup.append((line[0], name, rest))
        else:
            parts = line.split(";")
            if len(parts) >= 2 and parts[1] == "ok":
                out.append((parts[0], list(setup)))
    for rule, st in out:
        for fam, chain in tables:
            if chain not in chains:
                continue
            lines = [f"add table {fam} t", f"add chain {fam} t c {{ {chains[chain]}; }}"]
            for kind, name, rest in st:
                if kind == "!":
                    lines.append(f"add set {fam} t {name} {{ {set_decl(rest)} }}")
                elif kind == "?":
                    elems = rest if "," in rest else ", ".join(rest.split())
                    lines.append(f"add element {fam} t {name} {{ {elems} }}")
                else:
                    o = obj_decl(fam, name, rest)
                    if o:
                        lines.append(o)
            lines.append(f"add rule {fam} t c {rule}")
            yield fam, rule, "\n".join(lines) + "\n"

def main():
    root, bin, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not files:
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".t"))
    a, b = holder(), holder()
    stats = collections.Counter()
    reasons = collections.Counter()
    fails = []
    try:
        for path in files:
            for fam, rule, text in cases(path):
                nft(a, ["flush", "ruleset"])
                r = nft(a, ["-f", "-"], text)
                if r.returncode != 0:
                    stats["refused by nft"] += 1
                    continue
                stats["cases"] += 1
                j = nft(a, ["-j", "list", "ruleset"]).stdout
                want = strip(json.loads(j))
                mine = ours(bin, a, ["-j", "list", "ruleset"])
                try:
                    listed = strip(json.loads(mine.stdout))
                except ValueError:
                    listed = None
                ok_list = listed == want and not mine.stderr
                with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                    f.write(j)
                nft(b, ["flush", "ruleset"])
                theirs = nft(b, ["-j", "-f", f.name])
                by_nft = strip(json.loads(nft(b, ["-j", "list", "ruleset"]).stdout))
                nft(b, ["flush", "ruleset"])
                applied = ours(bin, b, ["-j", "-f", f.name])
                os.unlink(f.name)
                ok_apply = False
                if theirs.returncode != 0:
                    ok_apply = applied.returncode != 0
                elif applied.returncode == 0:
                    got = strip(json.loads(nft(b, ["-j", "list", "ruleset"]).stdout))
                    ok_apply = got == by_nft
                if ok_list and ok_apply:
                    stats["pass"] += 1
                    continue
                why = []
                if not ok_list:
                    w = mine.stderr.strip().splitlines()
                    why.append("list: " + (re.sub(r"handle \d+: ", "", w[0]) if w else "differs"))
                if not ok_apply:
                    e = applied.stderr.strip().splitlines()
                    why.append("apply: " + (re.sub(r"^Error: command \d+: ", "", e[0]) if e else "differs"))
                for w in why:
                    reasons[re.sub(r"rule \S+ t c ", "", w)[:90]] += 1
                fails.append((os.path.relpath(path, root), fam, rule, why))
    finally:
        a.kill(); b.kill()
    n = stats["cases"]
    print(f"cases nft accepts: {n}, refused by nft: {stats['refused by nft']}")
    print(f"pass: {stats['pass']} ({100.0 * stats['pass'] / max(n, 1):.1f}%)")
    print("top failure reasons:")
    for r, c in reasons.most_common(40):
        print(f"  {c:5d}  {r}")
    with open(os.environ.get("FAILS", "/tmp/nft-testpy-fails.txt"), "w") as f:
        for p, fam, rule, why in fails:
            f.write(f"{p} [{fam}] {rule}\n    {' | '.join(why)}\n")

main()
