#!/usr/bin/env bash
# make test-debug: elvisor.ko's groups on the debug (sanitizer) 6.1 host
# kernel, then every group's whole host console scanned for kernel reports.
#   test-debug.sh [GROUP...]    GROUP is a scenario (api.sh, ...: groups.sh path);
#                               default: the list below
# Builds what is missing first: the kernel (scripts/debug-kernel.sh, cached
# by source version and fragment), elvisor.ko against it
# (build/kernel/6.1-debug) and its host image (build/host-image/6.1-debug);
# build/aarch64 must be built (make all; the Makefile target does it).
# Every group runs through tests/integration/run.sh on host elvisor-debug;
# its console is build/test-logs/elvisor-debug-<group>.log. A report of any
# kind in a console (REPORT_PATTERNS) is a failure of that group's
# "debug.<group>.kernel-log-clean" check, shown with the log lines around it
# and kept in build/test-logs/elvisor-debug-reports.txt.
#
# The knobs the heavy groups read, set smaller here (a KASAN + lockdep host
# under TCG is several times slower): DEBUG_CYCLES (cycles.sh, default 10 of
# its 100) and DEBUG_STRESS_ARGS (api/run-stress.sh, default 200 VMs,
# 4000 rounds, of its 1000 and 20000).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/test-logs
abi=6.1-debug
log() { printf 'test-debug: %s\n' "$*" >&2; }

groups=(api.sh api/run-stress.sh baremetal.sh hostile.sh vgic.sh boot.sh cycles.sh)
# The host KVM API fuzzer, when it is there.
[ -f "$top/tests/integration/scenarios/api/run-fuzz.sh" ] && groups+=(api/run-fuzz.sh)
[ $# -gt 0 ] && groups=("$@")

# One pattern a line: what the sanitizers, lockdep, the RCU checker, UBSAN,
# the list checks, WARN(), BUG() and oopses print (the 6.1 kernel's words).
REPORT_PATTERNS='BUG: KASAN
BUG: KFENCE
WARNING: possible circular locking
WARNING: possible recursive locking
WARNING: inconsistent lock state
WARNING: suspicious RCU usage
WARNING: bad unlock balance
WARNING: held lock freed
WARNING: lock held when returning to user space
WARNING: Nested lock was not taken
possible irq lock inversion
DEBUG_LOCKS_WARN_ON
UBSAN:
BUG: sleeping function called from invalid context
BUG: scheduling while atomic
BUG: spinlock
BUG: workqueue lockup
BUG: Bad page
list_add corruption
list_del corruption
refcount_t:
usercopy:
detected buffer overflow
kernel BUG at
WARNING:
BUG:
Oops
Unable to handle kernel
Internal error:
Kernel panic
Call trace:
rcu: INFO:
detected stalls on CPUs
soft lockup
hung_task
blocked for more than'

# A time budget (.ci/run): with ELV_DEADLINE (seconds since the epoch) set,
# the kernel is built only if enough time is left for it and a group, as
# estimated from ELV_CI_TEST_SECONDS (how long make test took on this
# machine: the cold build and image took a fifth of that on the 2-core
# machine, allowed here twice over); run.sh then starts each group only
# while ELV_GROUP_RESERVE seconds are left. What was not run is a SKIP,
# never a pass.
not_started=$logs/elvisor-debug-not-started.txt
mkdir -p "$logs"
rm -f "$not_started"
budget_skip() { # WHY: nothing runs
	echo "SKIP test-debug: not run: $*"
	echo "test-debug: 0 passed, 0 failed, 1 skipped"
	exit 0
}
build_timeout=0 reserve=${ELV_GROUP_RESERVE:-600}
if [ -n "${ELV_DEADLINE:-}" ] && ! "$top/scripts/debug-kernel.sh" dir > /dev/null 2>&1; then
	left=$((ELV_DEADLINE - $(date +%s)))
	need=$(( ${ELV_CI_TEST_SECONDS:-1800} * 2 / 5 + reserve ))
	[ "$left" -ge "$need" ] ||
		budget_skip "$left s left of the time budget (ELV_DEADLINE), and the debug kernel's build and one group need about $need s here"
	build_timeout=$((left - reserve))
fi
set -e
if [ "$build_timeout" -gt 0 ]; then
	set +e
	tree=$(timeout "$build_timeout" "$top/scripts/debug-kernel.sh" build)
	rc=$?
	set -e
	[ "$rc" = 124 ] && budget_skip "the debug kernel's build did not end within the $build_timeout s the time budget left it"
	[ "$rc" = 0 ] || exit "$rc"
else
	tree=$("$top/scripts/debug-kernel.sh" build)
fi
"$top/scripts/host-kernel.sh" --kdir "$tree" "$abi"
echo "  IMAGE   build/host-image/$abi/base.cpio"
"$top/scripts/host-image.sh" "$abi"
set +e

specs=()
for g in "${groups[@]}"; do specs+=("elvisor-debug:$g"); done
export HOST_CMDLINE_EXTRA="CYCLES=${DEBUG_CYCLES:-10} STRESS_ARGS=\"${DEBUG_STRESS_ARGS:--n 200 -r 4000}\""
log "kernel $(cat "$tree/.complete") ($(sed -n 's/^CONFIG_LOCALVERSION=//p' "$tree/.config")), groups: ${groups[*]}"
log "host knobs: $HOST_CMDLINE_EXTRA"
start=$(date +%s)
for g in "${groups[@]}"; do
	name=${g%.sh}
	rm -f "$logs/elvisor-debug-${name//\//-}.log"
done
ELV_NOT_STARTED=$not_started "$top/tests/integration/run.sh" "${specs[@]}"
groups_status=$?

reports=$logs/elvisor-debug-reports.txt
: > "$reports"
clean=0 dirty=0 notrun=0
for g in "${groups[@]}"; do
	name=${g%.sh}
	f=$logs/elvisor-debug-${name//\//-}.log
	check=debug.${name//\//-}.kernel-log-clean
	if grep -qxF "elvisor-debug:$g" "$not_started" 2>/dev/null; then
		echo "SKIP $check: the group was not started (time budget)"
		notrun=$((notrun + 1))
		continue
	fi
	if [ ! -s "$f" ]; then
		echo "FAIL $check: no console log $f"
		dirty=$((dirty + 1))
		continue
	fi
	# Host kernel lines only, numbered as in the console (a guest's RCU
	# stall quoted in a FAIL line or a context block is the scenario's).
	hits=$(tr -d '\r' < "$f" | awk -v numbered=1 -f "$top/tests/integration/host-kernel-lines.awk" |
		grep -F -f <(printf '%s\n' "$REPORT_PATTERNS"))
	if [ -z "$hits" ]; then
		echo "ok $check"
		clean=$((clean + 1))
		continue
	fi
	first=$(printf '%s\n' "$hits" | head -n1 | cut -d: -f1)
	echo "FAIL $check: $(printf '%s\n' "$hits" | wc -l) report line(s), first: $(printf '%s\n' "$hits" | head -n1 | cut -d: -f2-)"
	{
		echo "==== $g (${f#$top/}): report lines"
		printf '%s\n' "$hits"
		echo "==== $g: the console from 5 lines before the first report (up to 120 lines)"
		tr -d '\r' < "$f" | sed -n "$((first > 5 ? first - 5 : 1)),$((first + 115))p"
	} >> "$reports"
	echo "---- output (log lines around the first report)"
	tr -d '\r' < "$f" | sed -n "$((first > 2 ? first - 2 : 1)),$((first + 40))p"
	echo "----"
	dirty=$((dirty + 1))
done
[ "$dirty" = 0 ] && rm -f "$reports"
echo "test-debug: log scan: $clean passed, $dirty failed, $notrun skipped$([ "$dirty" = 0 ] || echo " (reports in ${reports#$top/})"); groups $([ "$groups_status" = 0 ] && echo passed || echo FAILED); $(($(date +%s) - start)) s"
[ "$groups_status" = 0 ] && [ "$dirty" = 0 ]
