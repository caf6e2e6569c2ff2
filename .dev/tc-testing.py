#!/usr/bin/env python3
"""Run the kernel's tc-testing cases (tools/testing/selftests/tc-testing,
JSON with $TC) with iproute2's tc and with the tc example, and print the
pass rate of each file for both.

    .dev/tc-testing.py [--tc PATH] [-v] FILE.json...

Each case runs in a fresh `unshare --net --mount` namespace: lo up, the
veth pair $DEV0/$DEV1 (v0p0/v0p1) of tdc's nsPlugin, and $DUMMY (dummy1;
this kernel has no dummy links, so `type dummy` becomes a veth). A case
passes as tdc judges it: every setup command exits 0 (or with one of the
codes a [cmd, codes...] entry allows), cmdUnderTest exits with
expExitCode, and matchPattern (re.DOTALL | re.MULTILINE) occurs
matchCount times in verifyCmd's output. The case files are not in this
repository: fetch them from torvalds/linux into a scratch directory.
"""
import argparse
import json
import re
import shlex
import subprocess
import sys

PRELUDE = """ip link set lo up
ip link add v0p0 type veth peer name v0p1
ip link set v0p0 up; ip link set v0p1 up
ip link add dummy1 type veth peer name dummy1p
"""


def expand(cmd, tc):
    cmd = re.sub(r"\btype dummy\b", "type veth peer name dummy1p", cmd)
    for k, v in [("$TC", tc), ("$IP", "ip"), ("$DEV0", "v0p0"), ("$DEV1", "v0p1"),
                 ("$DEV2", "v0p2"), ("$DUMMY", "dummy1")]:
        cmd = cmd.replace(k, v)
    return cmd


def script(case, tc):
    lines = [PRELUDE]
    for s in case.get("setup", []):
        cmd, codes = (s[0], [str(c) for c in s[1:]]) if isinstance(s, list) else (s, ["0"])
        lines.append(f"{expand(cmd, tc)} >/dev/null 2>&1; rc=$?")
        lines.append(f"case $rc in {'|'.join(codes)}) ;; *) echo \"@@SETUP-FAILED $rc\"; exit 0;; esac")
    lines.append(f"{expand(case['cmdUnderTest'], tc)} >/dev/null 2>&1; echo \"@@CMD $?\"")
    lines.append("echo @@VERIFY")
    lines.append(f"{expand(case['verifyCmd'], tc)} 2>&1")
    return "\n".join(lines) + "\n"


def run(case, tc):
    out = subprocess.run(["unshare", "--net", "--mount", "bash", "-c", script(case, tc)],
                         capture_output=True, text=True, timeout=60).stdout
    if "@@SETUP-FAILED" in out:
        return False, "setup failed"
    m = re.search(r"@@CMD (\d+)", out)
    if not m or m.group(1) != str(case["expExitCode"]):
        return False, f"exit {m.group(1) if m else '?'} (want {case['expExitCode']})"
    verify = out.split("@@VERIFY\n", 1)[1]
    pat = re.compile(str(case["matchPattern"]), re.DOTALL | re.MULTILINE)
    n = len(pat.findall(verify))
    if n != int(case["matchCount"]):
        return False, f"{n} matches (want {case['matchCount']})\n{verify}"
    return True, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tc", default="target/debug/examples/tc")
    ap.add_argument("-v", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    total = [0, 0, 0]
    print(f"{'file':<16} {'cases':>5} {'iproute2':>9} {'ours':>9}")
    for f in a.files:
        cases = json.load(open(f))
        passed = [0, 0]
        for case in cases:
            results = [run(case, t) for t in ("tc", a.tc)]
            for i, (ok, _) in enumerate(results):
                passed[i] += ok
            if a.v and results[0][0] != results[1][0]:
                print(f"  {case['id']}: iproute2 {results[0]} ours {results[1]}", file=sys.stderr)
        name = f.rsplit("/", 1)[-1]
        print(f"{name:<16} {len(cases):>5} {passed[0]:>9} {passed[1]:>9}")
        total = [total[0] + len(cases), total[1] + passed[0], total[2] + passed[1]]
    print(f"{'all':<16} {total[0]:>5} {total[1]:>9} {total[2]:>9}")


if __name__ == "__main__":
    main()
