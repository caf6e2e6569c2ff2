#!/bin/bash
# usage: cmp.sh SETUP -- cmds (one per line on stdin)
OURS=/work/wt/rt3/target/debug/examples/ip
setup="$1"
while IFS= read -r line; do
  [ -z "$line" ] && continue
  a=$(unshare -n bash -c "$setup" >/dev/null 2>&1; unshare -n bash -c "$setup >/dev/null 2>&1; ip $line" 2>&1; echo "rc=$?")
  b=$(unshare -n bash -c "$setup >/dev/null 2>&1; $OURS $line" 2>&1; echo "rc=$?")
  if [ "$a" == "$b" ]; then echo "SAME: ip $line"; else echo "DIFF: ip $line"; diff <(echo "$a") <(echo "$b") | head -10; fi
done
