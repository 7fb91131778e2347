#!/usr/bin/env bash
# KVM API parity between the reference KVM and elvisor.ko, in the emulated
# host: boots it once per backend (scripts/host-run.sh), runs api-reglist -v
# and api-test there, then compares, per vCPU feature set, the sorted
# KVM_GET_REG_LIST and every register's value (the free-running virtual
# counter aside), and checks that api-test passed on both.
# Intended differences are listed in tests/host/api/parity-allowed.txt
# (one "SET ID" or "SET ID value" line each), each explained in docs/abi.md.
#   run-parity.sh [--keep DIR]
# Needs build/aarch64/{elvisor.ko,api-reglist,api-test} in the host image
# (scripts/host-image.sh). Ends with "N passed, N failed".
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tests/host/api
out=$(mktemp -d)
keep=
if [ "${1:-}" = --keep ]; then keep=$2; fi
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
if [ -e /sys/module/elvisor ]; then
	rmmod elvisor || echo "PARITY-ERROR rmmod"
fi
dmesg | grep -E "WARNING|BUG|Oops|Call trace" && echo "PARITY-ERROR kernel log"
exit 0
INHOST

pass=0 fail=0
check() { # name, status
	if [ "$2" = 0 ]; then echo "ok $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}

for b in kvm elvisor; do
	"$top/scripts/host-run.sh" --backend "$b" --timeout 300 "$out/in-host.sh" \
		| tr -d '\r' > "$out/$b.log" || true
	sed -n '/^PARITY-REGLIST-BEGIN/,/^PARITY-REGLIST-END/p' "$out/$b.log" |
		grep -E '^[a-z-]+ [0-9a-f]{16}' |
		grep -v ' 603000000013df1a ' > "$out/$b.values" || true
	cut -d' ' -f1,2 "$out/$b.values" > "$out/$b.ids"
	sed -n '/^PARITY-APITEST-BEGIN/,/^PARITY-APITEST-END/p' "$out/$b.log" > "$out/$b.apitest"
	! grep -q PARITY-ERROR "$out/$b.log"
	check "$b.host_clean" $?
	grep -q "PARITY-APITEST-END rc=0" "$out/$b.apitest"
	check "$b.apitest" $?
	[ -s "$out/$b.ids" ]
	check "$b.reglist_nonempty" $?
done

allowed=$here/parity-allowed.txt
filter() { if [ -f "$allowed" ]; then grep -v -x -F -f <(grep -v '^#' "$allowed" | sed '/^$/d') || true; else cat; fi; }
for set in none psci sve ptrauth sve-ptrauth all; do
	diff <(grep "^$set " "$out/kvm.ids" | filter) <(grep "^$set " "$out/elvisor.ids" | filter) \
		> "$out/diff.$set.ids"
	st=$?
	[ "$st" = 0 ] || sed 's/^/  /' "$out/diff.$set.ids"
	check "reglist.$set" "$st"
	diff <(grep "^$set " "$out/kvm.values" | filter) <(grep "^$set " "$out/elvisor.values" | filter) \
		> "$out/diff.$set.values"
	st=$?
	[ "$st" = 0 ] || sed 's/^/  /' "$out/diff.$set.values"
	check "values.$set" "$st"
done
# Every check the reference passes must pass on elvisor too.
missing=$(comm -23 <(grep '^ok ' "$out/kvm.apitest" | grep -v '^ok ref\.' | sort) <(grep '^ok ' "$out/elvisor.apitest" | sort))
[ -z "$missing" ] || echo "$missing" | sed 's/^/  not ok on elvisor: /'
check apitest.superset "$([ -z "$missing" ]; echo $?)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
