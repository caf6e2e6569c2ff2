#!/bin/bash
# For every "# tc CMD" line of nl-proto/src/tc/golden.txt, capture (with
# /work/shared/tools/nl-capture) what the tc example sends for CMD and
# compare it with the bytes iproute2 sent (plus the ack our session asks
# for). Lines that are not plain commands (notes in parentheses) differ.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OURS=${OURS:-$ROOT/target/debug/examples/tc}
pass=0; fail=0
while read -r line; do
  case "$line" in "# tc "*) cmd="${line#\# tc }";; *) continue;; esac
  read -r name hex
  got=$(/work/shared/tools/nl-capture --json --normalize --setup "ip link add v0 type veth peer name v1" --setup "ip link add ifb0 type ifb" -- $OURS $cmd 2>/dev/null | python3 -c '
import sys,json
last=None
for l in sys.stdin:
    try: d=json.loads(l)
    except: continue
    h=d["hex"]
    t=int.from_bytes(bytes.fromhex(h[8:12]),"little")
    if d["dir"]=="send" and t not in (18,38) and len(h)>=32: last=h
print(last)')
  # our session always asks for an ack
  want=$(python3 -c "h=bytearray.fromhex('$hex'); t=int.from_bytes(h[4:6],'little'); d=(h[7]&3)==3 and t%4==2; h[6]|=0 if d else 4; print(h.hex())")
  if [ "$got" == "$want" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "DIFF $name: $cmd"; fi
done < <(grep -A1 "^# tc " $ROOT/nl-proto/src/tc/golden.txt | grep -v "^--")
echo "pass $pass fail $fail"
