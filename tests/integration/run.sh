#!/usr/bin/env bash
# Integration tests: boot the emulated arm64 host once per scenario group and
# count what the scenario scripts print ("ok", "FAIL", "SKIP" lines).
# Full consoles are kept in build/test-logs/.
#   run.sh [GROUP...]     GROUP is host:script, e.g. kvm-6.1:boot.sh
# Hosts (scripts/host-run.sh): kvm-6.1, kvm-6.12 (the host kernels' own KVM,
# the references), elvisor-6.1, elvisor-6.12 (elvisor.ko on that kernel).
# "kvm:" and "elvisor:" mean the 6.1 host.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
logs=$top/build/test-logs
mkdir -p "$logs"

# host:script. The table in docs/testing.md says which group runs on which
# host in make test and why; make test-full runs FULL_GROUPS as well.
default_groups=(
	kvm-6.1:boot.sh
	elvisor-6.1:boot.sh
	kvm-6.1:errors.sh
	kvm-6.1:config.sh
	kvm-6.12:config.sh
	elvisor-6.1:config.sh
	kvm-6.1:config-errors.sh
	kvm-6.12:config-errors.sh
	elvisor-6.1:config-errors.sh
	elvisor-6.12:config-errors.sh
	kvm-6.1:devices.sh
	elvisor-6.1:devices.sh
	kvm-6.1:devices-errors.sh
	kvm-6.1:api.sh
	kvm-6.12:api.sh
	elvisor-6.1:api.sh
	elvisor-6.12:api.sh
	kvm-6.1:api/run-module.sh
	elvisor-6.1:api/run-module.sh
	kvm-6.12:api/run-module.sh
	elvisor-6.12:api/run-module.sh
	kvm-6.1:api/run-stress.sh
	elvisor-6.1:api/run-stress.sh
	kvm-6.1:api/run-manyvms.sh
	elvisor-6.1:api/run-manyvms.sh
	kvm-6.1:api/run-fuzz.sh
	elvisor-6.1:api/run-fuzz.sh
	elvisor-6.1:cycles.sh
	kvm-6.1:baremetal.sh
	elvisor-6.1:baremetal.sh
	kvm-6.1:hostile.sh
	elvisor-6.1:hostile.sh
	kvm-6.1:vgic.sh
	elvisor-6.1:vgic.sh
	kvm-6.1:selftests.sh
	elvisor-6.1:selftests.sh
	kvm-6.12:selftests.sh
	elvisor-6.12:selftests.sh
)
# The rest of the host x group matrix (make test-full).
full_groups=(
	kvm-6.12:boot.sh
	elvisor-6.12:boot.sh
	kvm-6.12:errors.sh
	elvisor-6.12:config.sh
	kvm-6.12:devices.sh
	elvisor-6.12:devices.sh
	kvm-6.12:devices-errors.sh
	kvm-6.12:baremetal.sh
	elvisor-6.12:baremetal.sh
	kvm-6.12:hostile.sh
	elvisor-6.12:hostile.sh
	kvm-6.12:vgic.sh
	elvisor-6.12:vgic.sh
	kvm-6.12:api/run-stress.sh
	elvisor-6.12:api/run-stress.sh
	kvm-6.12:api/run-manyvms.sh
	elvisor-6.12:api/run-manyvms.sh
	elvisor-6.12:api/run-fuzz.sh
	elvisor-6.12:cycles.sh
)
[ "${ELV_TEST_FULL:-}" = 1 ] && default_groups+=("${full_groups[@]}")
[ -f "$top/tests/integration/groups.local" ] && . "$top/tests/integration/groups.local"
groups=("${@:-${default_groups[@]}}")
[ $# -gt 0 ] && groups=("$@")

# One boot of the emulated host for the current group ($backend, $script).
run_group() {
	"$top/scripts/host-run.sh" --host "$host" --timeout 1200 --log "$log" \
		"$top/tests/host/$script" "${extra[@]}" 2>&1
}

passed=0 failed=0 skipped=0 retried=0
for g in "${groups[@]}"; do
	host=${g%%:*} script=${g#*:}
	case $host in kvm | elvisor) host=$host-6.1 ;; esac
	backend=${host%%-*}
	name=${script%.sh}
	log=$logs/$host-${name//\//-}.log
	echo "== [$host] $script"
	start=$(date +%s)
	extra=("$top/tests/host/lib.sh")
	[ -d "$top/tests/host/files" ] && extra+=("$top/tests/host/files")
	out=$(run_group); status=$?
	# The reference is Debian's own KVM under QEMU TCG; it has been seen to
	# oops once in many runs (a guest's pointer-authentication keys left
	# in place after __kvm_vcpu_run). Such a crash of the reference host
	# kernel is said, kept (.crash.log) and retried once; a crash of the
	# elvisor.ko host is our bug and never retried.
	if [ "$status" != 0 ] && [ "$backend" = kvm ] && grep -q "Internal error: Oops\|Kernel panic" "$log"; then
		cp "$log" "${log%.log}.crash.log"
		echo "[$host] NOTE $script: the reference host kernel crashed ($(grep -m1 -o 'Internal error: Oops[^[]*\|Kernel panic.*' "$log" | tr -d '\r')); log kept in ${log%.log}.crash.log; retrying the group once"
		retried=$((retried + 1))
		out=$(run_group); status=$?
	fi
	# Result lines, and the context blocks scenarios print for failures.
	printf '%s\n' "$out" | awk -v b="[$host] " '
		/^---- output/ { ctx = 1 }
		ctx { print "    " $0; if ($0 == "----") ctx = 0; next }
		/^(ok|FAIL|SKIP) / { print b $0 }'
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^FAIL ')
	s=$(printf '%s\n' "$out" | grep -c '^SKIP ')
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		echo "[$host] FAIL $script: the emulated host did not finish (status $status, see $log)"
		f=$((f + 1))
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	echo "   [$host] $script: $p passed, $f failed, $s skipped in $(($(date +%s) - start)) s"
done
[ "$retried" = 0 ] || echo "integration: $retried group(s) retried after a crash of the reference host kernel (see the NOTE lines)"
echo "integration: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
