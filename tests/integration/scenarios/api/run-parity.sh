#!/usr/bin/env bash
# groups: order=170 test=kvm-6.1,kvm-6.12,elvisor-6.1,elvisor-6.12 via=tests/run-all.sh   (tests/integration/groups.sh)
# proves: KVM API parity per host kernel: `api-reglist -v` and `api-test` on the kernel's own KVM and on elvisor.ko on the same kernel; `api-idmasks` (KVM_ARM_GET_REG_WRITABLE_MASKS ranges, every mask, each feature-ID register after INIT) on elvisor-6.12 line for line as on kvm-6.12, and elvisor-6.1's masks as kvm-6.12's; per vCPU feature set the sorted KVM_GET_REG_LIST and every register's value (free-running counters aside) must match, every check a reference passes must pass on elvisor.ko; intended differences listed in `parity-allowed-<series>.txt`, each explained in docs/abi.md
# KVM API parity between the reference KVMs and elvisor.ko, in the emulated
# host: per host kernel (6.1, 6.12) it boots the kernel's own KVM and
# elvisor.ko on that same kernel (scripts/host-run.sh), runs api-reglist -v
# and api-test there, then compares, per vCPU feature set, the sorted
# KVM_GET_REG_LIST and every register's value (the free-running counters
# aside), and checks that api-test passed on all four and that every check
# a reference passes passes on elvisor.ko beside it; and api-idmasks (the
# writable ID-register masks and values) against kvm-6.12's.
# Intended differences are listed per reference in
# tests/integration/scenarios/api/parity-allowed-<series>.txt (one "SET ID" or
# "SET ID = VALUE" line each, SET "*" for every feature set), each
# explained in docs/abi.md.
#   run-parity.sh [--keep DIR] [--from DIR]
# Needs build/aarch64/{api-reglist,api-test} and elvisor.ko for both kernels
# in the host images (make host-image). --keep DIR keeps the consoles and the
# files compared; --from DIR compares the consoles DIR/HOST.log of an earlier
# --keep run instead of booting (to check this script). Every check runs and
# prints its line, a mismatch included (no set -e: the first failure must
# not hide the rest); api-reglist and api-test must exit 0 on every host,
# and every register's whole value is compared (SVE Z registers: all 2048
# bits). Ends with "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../../../.." && pwd)
here=$top/tests/integration/scenarios/api
out=$(mktemp -d)
keep= from=
while [ $# -gt 0 ]; do
	case $1 in
	--keep) keep=$2; shift 2 ;;
	--from) from=$2; shift 2 ;;
	*) echo "usage: $0 [--keep DIR] [--from DIR]" >&2; exit 2 ;;
	esac
done
trap '[ -n "$keep" ] && { mkdir -p "$keep"; cp -a "$out"/. "$keep"/; }; rm -rf "$out"' EXIT

cat > "$out/in-host.sh" <<'INHOST'
if grep -q kvm-arm.mode=none /proc/cmdline; then
	insmod /elvisor/elvisor.ko || { echo "PARITY-ERROR insmod"; exit 1; }
fi
echo PARITY-REGLIST-BEGIN
/elvisor/api-reglist -v
echo PARITY-REGLIST-END rc=$?
echo PARITY-APITEST-BEGIN
/elvisor/api-test
echo PARITY-APITEST-END rc=$?
echo PARITY-IDMASKS-BEGIN
/elvisor/api-idmasks
echo PARITY-IDMASKS-END rc=$?
if [ -e /sys/module/elvisor ]; then
	rmmod elvisor || echo "PARITY-ERROR rmmod"
fi
dmesg | grep -E "WARNING|BUG|Oops|Call trace" && echo "PARITY-ERROR kernel log"
exit 0
INHOST

sets="none psci sve ptrauth sve-ptrauth all"
# Running counters: KVM_REG_ARM_TIMER_CNT and KVM_REG_ARM_PTIMER_CNT.
counters='^([a-z-]+ (603000000013df1a|603000000013df01)) = .*'

pass=0 fail=0
check() { # name, status
	if [ "$2" = 0 ]; then echo "ok $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}

boot() { # host
	local h=$1
	if [ -n "$from" ]; then
		tr -d '\r' < "$from/$h.log" > "$out/$h.log"
	else
		"$top/scripts/host-run.sh" --host "$h" --timeout 300 "$out/in-host.sh" \
			| tr -d '\r' > "$out/$h.log"
	fi
	sed -n '/^PARITY-REGLIST-BEGIN/,/^PARITY-REGLIST-END/p' "$out/$h.log" |
		grep -E '^[a-z-]+ [0-9a-f]{16}' |
		sed -E "s/$counters/\\1 = counter/" > "$out/$h.values" || true
	cut -d' ' -f1,2 "$out/$h.values" > "$out/$h.ids"
	sed -n '/^PARITY-APITEST-BEGIN/,/^PARITY-APITEST-END/p' "$out/$h.log" > "$out/$h.apitest"
	check "$h.host_clean" "$(! grep -q PARITY-ERROR "$out/$h.log"; echo $?)"
	# api-reglist exits non-zero when a feature set could not be listed.
	grep "^# .*: KVM_" "$out/$h.log" | sed 's/^/  /'
	check "$h.reglist_status" "$(grep -q "^PARITY-REGLIST-END rc=0$" "$out/$h.log"; echo $?)"
	check "$h.apitest" "$(grep -q "PARITY-APITEST-END rc=0" "$out/$h.apitest"; echo $?)"
	check "$h.reglist_nonempty" "$([ -s "$out/$h.ids" ]; echo $?)"
	sed -n '/^PARITY-IDMASKS-BEGIN/,/^PARITY-IDMASKS-END/p' "$out/$h.log" |
		grep -E '^(cap230|range|mask|idreg) ' > "$out/$h.idmasks" || true
	check "$h.idmasks_status" "$(grep -q "^PARITY-IDMASKS-END rc=0$" "$out/$h.log" &&
		[ -s "$out/$h.idmasks" ]; echo $?)"
}

# diff_check NAME REFERENCE ELVISOR: the two files equal, the diff shown
# (and kept as diff.NAME) where not.
diff_check() {
	local st=0
	diff "$2" "$3" > "$out/diff.$1" || st=$?
	[ "$st" = 0 ] || sed 's/^/  /' "$out/diff.$1"
	check "$1" "$st"
}

# The allowed lines of one reference, "*" expanded to every feature set.
allowed_lines() { # series
	local f=$here/parity-allowed-$1.txt s
	[ -f "$f" ] || return 0
	grep -v '^#' "$f" | sed '/^$/d' | while IFS= read -r l; do
		if [ "${l%% *}" = "*" ]; then
			for s in $sets; do echo "$s ${l#\* }"; done
		else
			echo "$l"
		fi
	done
}

compare() { # series
	local series=$1 ref=kvm-$1 elv=elvisor-$1 set missing
	allowed_lines "$series" > "$out/allowed-$series"
	filter() { grep -v -x -F -f "$out/allowed-$series" || true; }
	for set in $sets; do
		for kind in ids values; do
			diff_check "$series.${kind/ids/reglist}.$set" \
				<(grep "^$set " "$out/$ref.$kind" | filter) <(grep "^$set " "$out/$elv.$kind" | filter)
		done
	done
	# Every check the reference passes must pass on elvisor.ko too.
	missing=$(comm -23 <(grep '^ok ' "$out/$ref.apitest" | grep -v '^ok ref\.' | sort) \
			   <(grep '^ok ' "$out/$elv.apitest" | sort))
	[ -z "$missing" ] || echo "$missing" | sed 's/^/  not ok on elvisor: /'
	check "$series.apitest.superset" "$([ -z "$missing" ]; echo $?)"
}

for series in 6.1 6.12; do
	boot "kvm-$series"
	boot "elvisor-$series"
	compare "$series"
done
# The writable-masks API as 6.12's, line by line (api-idmasks: the mask
# ranges, every non-zero mask, each feature-ID register after INIT).
# elvisor-6.12 against kvm-6.12: all of it. elvisor-6.1 offers 6.12's API
# on the 6.1 kernel: its capability, ranges and masks against kvm-6.12's,
# not its ID values (those follow the host kernel: 6.1 does not enable
# FEAT_HCX, so ID_AA64MMFR1_EL1.HCX is 0 there). kvm-6.1 has no such API.
diff_check 6.12.idmasks "$out/kvm-6.12.idmasks" "$out/elvisor-6.12.idmasks"
masks='^(cap230|range|mask) '
diff_check 6.1.idmasks-as-6.12 <(grep -E "$masks" "$out/kvm-6.12.idmasks") <(grep -E "$masks" "$out/elvisor-6.1.idmasks")
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
