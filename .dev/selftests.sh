#!/bin/bash
# Run one of the kernel's networking selftests (tools/testing/selftests/net/)
# with iproute2's `ip` or with ours first on PATH, inside a private network
# and mount namespace with a private /run/netns. The scripts themselves are
# not in this repository: fetch them into $SELFTESTS (default
# /work/scratch-selftests). `type dummy` becomes `type ifb` (this kernel has
# no dummy links).
#
#   .dev/selftests.sh iproute2|ours SCRIPT [ARGS…]     e.g. ours fib_nexthops.sh -t basic
#   .dev/selftests.sh compare SCRIPT [ARGS…]            both, then the tests whose verdicts differ
#
# Prints the script's output, then "PASS n FAIL m" (fib_* count "[ OK ]" and
# "[FAIL]" lines; rtnetlink.sh counts "PASS:" and "FAIL:" lines).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
SELFTESTS=${SELFTESTS:-/work/scratch-selftests}
which=$1; shift
script=$1; shift

run_one() {
	local which=$1; shift
	local dir="$here/target/selftests/$which"
	rm -rf "$dir"; mkdir -p "$dir/bin"
	sed -e 's/type dummy/type ifb/g' "$SELFTESTS/$script" > "$dir/$script"
	[ -f "$SELFTESTS/lib.sh" ] && cp "$SELFTESTS/lib.sh" "$dir/"
	# uuidgen is not installed here; rtnetlink.sh's ifalias test needs one.
	command -v uuidgen > /dev/null || printf '#!/bin/sh\ncat /proc/sys/kernel/random/uuid\n' > "$dir/bin/uuidgen"
	chmod +x "$dir/bin/uuidgen" 2> /dev/null
	if [ "$which" = ours ]; then
		ln -s "$here/target/release/examples/ip" "$dir/bin/ip"
	fi
	# fib_tests.sh stops at the first `set -e` failure of a test that
	# this kernel cannot run (carrier on ifb, vrf): run its tests one by one.
	local runs=("$*")
	if [ "$script" = fib_tests.sh ] && [ $# -eq 0 ]; then
		runs=()
		for t in unregister down carrier nexthop suppress ipv6_rt ipv4_rt ipv6_addr_metric \
			ipv4_addr_metric ipv6_route_metrics ipv4_route_metrics ipv4_route_v6_gw rp_filter; do
			runs+=("-t $t")
		done
	fi
	: > "$dir/out.txt"
	for args in "${runs[@]}"; do
		# shellcheck disable=SC2086 # one run's words
		unshare --net --mount bash -c '
			mkdir -p /run/netns && mount -t tmpfs none /run/netns
			cd "$1" && shift && PATH="$PWD/bin:$PATH" timeout 600 bash "$@"
		' _ "$dir" "$script" $args 2>&1 | tee -a "$dir/out.txt"
	done
	local ok fail
	if [ "$script" = rtnetlink.sh ]; then
		ok=$(grep -c '^PASS:' "$dir/out.txt"); fail=$(grep -c '^FAIL:' "$dir/out.txt")
	else
		ok=$(grep -c '\[ OK \]' "$dir/out.txt"); fail=$(grep -c '\[FAIL\]' "$dir/out.txt")
	fi
	echo "== $which $script $*: PASS $ok FAIL $fail"
}

if [ "$which" = ours ] || [ "$which" = compare ]; then
	(cd "$here" && cargo build -q --release -p nl-rustix --example ip) || exit 1
fi
case $which in
compare)
	run_one iproute2 "$@" > /dev/null
	run_one ours "$@" > /dev/null
	for w in iproute2 ours; do
		grep -E '\[ OK \]|\[FAIL\]|^PASS:|^FAIL:' "$here/target/selftests/$w/out.txt" | nl -ba > "$here/target/selftests/$w.verdicts"
		echo "== $w: $(grep -cE '\[ OK \]|^PASS:' "$here/target/selftests/$w.verdicts") pass, $(grep -cE '\[FAIL\]|^FAIL:' "$here/target/selftests/$w.verdicts") fail"
	done
	diff "$here/target/selftests/iproute2.verdicts" "$here/target/selftests/ours.verdicts"
	;;
*) run_one "$which" "$@" ;;
esac
