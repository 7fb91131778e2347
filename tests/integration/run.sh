#!/usr/bin/env bash
# Integration tests: boot the emulated arm64 host once per scenario group and
# count what the scenario scripts print ("ok", "FAIL", "SKIP" lines).
# Full consoles are kept in build/test-logs/.
#   run.sh [GROUP...]     GROUP is host:script, e.g. kvm-6.1:boot.sh (script:
#                         its path in tests/integration/scenarios/, or
#                         tests/selftests/ for selftests.sh: groups.sh path)
# Hosts (scripts/host-run.sh): kvm-6.1, kvm-6.12 (the host kernels' own KVM,
# the references), elvisor-6.1, elvisor-6.12 (elvisor.ko on that kernel).
# "kvm:" and "elvisor:" mean the 6.1 host.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
logs=$top/build/test-logs
mkdir -p "$logs"

# host:script. The table in docs/testing.md says which group runs on which
# host in make test and why; make test-full runs full_groups as well.
# The groups come from the scenarios' headers ("# groups: order=.. test=..
# full=.."), not from a list kept here: tests/integration/groups.sh.
no_groups() { echo "run.sh: tests/integration/groups.sh $1 failed"; echo "integration: 0 passed, 1 failed, 0 skipped"; exit 1; }
t=$("$top/tests/integration/groups.sh" test) || no_groups test
mapfile -t default_groups <<<"$t"
# The rest of the host x group matrix (make test-full).
t=$("$top/tests/integration/groups.sh" full) || no_groups full
mapfile -t full_groups <<<"$t"
# The scripts see ELV_TEST_FULL=1 too (host-run.sh passes NAME=VALUE words
# of HOST_CMDLINE_EXTRA to /init), for knobs that are larger there (cycles.sh).
if [ "${ELV_TEST_FULL:-}" = 1 ]; then
	default_groups+=("${full_groups[@]}")
	export HOST_CMDLINE_EXTRA="${HOST_CMDLINE_EXTRA:+$HOST_CMDLINE_EXTRA }ELV_TEST_FULL=1"
fi
[ -f "$top/tests/integration/groups.local" ] && . "$top/tests/integration/groups.local"
groups=("${@:-${default_groups[@]}}")
[ $# -gt 0 ] && groups=("$@")

# A time budget (.ci/run sets it): ELV_DEADLINE, in seconds since the epoch;
# a group is started only while ELV_GROUP_RESERVE seconds (default 600) are
# left before it, else it is one SKIP line, not started, and listed in the
# file ELV_NOT_STARTED (if set), so that a caller can tell it from a group
# that ran. A started group always finishes.
deadline_skip() { # HOST SCRIPT: 0 (and the SKIP line) if it must not start
	local left reserve=${ELV_GROUP_RESERVE:-600}
	[ -n "${ELV_DEADLINE:-}" ] || return 1
	left=$((ELV_DEADLINE - $(date +%s)))
	[ "$left" -lt "$reserve" ] || return 1
	echo "SKIP [$1] $2: not started: $left s left of the time budget (ELV_DEADLINE), under the $reserve s a group is given"
	[ -n "${ELV_NOT_STARTED:-}" ] && echo "$1:$2" >> "$ELV_NOT_STARTED"
	return 0
}
# One boot of the emulated host for the current group ($backend, $script).
run_group() {
	"$top/scripts/host-run.sh" --host "$host" --timeout 1200 --log "$log" \
		"$file" "${extra[@]}" 2>&1
}

# The host kernel's own console lines (host-kernel-lines.awk).
host_kernel_lines() { # LOG
	tr -d '\r' < "$1" | awk -f "$top/tests/integration/host-kernel-lines.awk"
}

# ref_crash LOG STATUS: did this run of a reference (kvm-*) host end in a
# crash of the host's own kernel that elvisor.ko cannot have caused? Then
# print the crash's first line and return 0 (the group may be retried once).
# All of: the host did not finish its script (host-run.sh status 125: no
# ELV-HOST-EXIT, so not a timeout either); a host kernel line (above) says
# "Internal error: Oops" or "Kernel panic"; the oops's "CPU: ... Tainted:"
# line has no O or E flag (no out-of-tree module was ever loaded: the taint
# stays after rmmod, and elvisor.ko is the only such module the hosts have,
# e.g. kvm:api/run-module.sh loads it); and no host kernel line names
# elvisor code ("elvisor", "[elvisor]", "elv_").
ref_crash() { # LOG STATUS
	local k crash taint flags
	[ "$backend" = kvm ] && [ "$2" = 125 ] || return 1
	grep -q '^ELV-HOST-EXIT' "$1" && return 1
	k=$(host_kernel_lines "$1")
	crash=$(printf '%s\n' "$k" | grep -m1 -E 'Internal error: Oops|Kernel panic') || return 1
	taint=$(printf '%s\n' "$k" | sed -n '/Internal error: Oops\|Kernel panic/,$p' |
		grep -m1 -E 'CPU: .*(Not tainted|Tainted: )') || return 1
	case $taint in
	*"Tainted: "*)
		flags=${taint#*Tainted: } flags=${flags%% [0-9]*}
		case $flags in *O* | *E*) return 1 ;; esac ;;
	esac
	printf '%s\n' "$k" | grep -q 'elvisor\|elv_' && return 1
	printf '%s\n' "${crash#*] }"
}

passed=0 failed=0 skipped=0 retried=0
fail_lines=()
for g in "${groups[@]}"; do
	host=${g%%:*} script=${g#*:}
	case $host in kvm | elvisor) host=$host-6.1 ;; esac
	backend=${host%%-*}
	name=${script%.sh}
	log=$logs/$host-${name//\//-}.log
	echo "== [$host] $script"
	if deadline_skip "$host" "$script"; then
		skipped=$((skipped + 1))
		continue
	fi
	start=$(date +%s)
	extra=("$top/tests/integration/scenarios/lib.sh")
	[ -d "$top/tests/integration/scenarios/files" ] && extra+=("$top/tests/integration/scenarios/files")
	# ELV_EXTRA_FILES: more files for /test/, space-separated (make test-lkvm).
	for x in ${ELV_EXTRA_FILES:-}; do extra+=("$x"); done
	if ! file=$("$top/tests/integration/groups.sh" path "$script"); then
		echo "[$host] FAIL $script: no such scenario (tests/integration/groups.sh path $script)"
		failed=$((failed + 1))
		continue
	fi
	out=$(run_group); status=$?
	# The reference is Debian's own KVM under QEMU TCG; it has been seen to
	# oops once in many runs (a guest's pointer-authentication keys left
	# in place after __kvm_vcpu_run). Such a crash (ref_crash above: the
	# host's own kernel, elvisor.ko never loaded nor named) is said, its
	# log kept (.crash.log), and the group retried once. Any other crash,
	# on an elvisor host or naming elvisor code, is our bug: never retried.
	# After a retry the group's lines are the retry's plus every FAIL line
	# of the first run (marked "(first run, before the crash)"): a check
	# that failed before the crash stays failed even if the retry passes
	# it; the first run's ok and SKIP lines are not counted (the retry's
	# are), so nothing counts twice.
	first_fails=
	if [ "$status" != 0 ] && crash=$(ref_crash "$log" "$status"); then
		cp "$log" "${log%.log}.crash.log"
		echo "[$host] NOTE $script: the reference host kernel crashed ($crash); log kept in ${log%.log}.crash.log; retrying the group once"
		retried=$((retried + 1))
		first_fails=$(printf '%s\n' "$out" | grep '^FAIL ' | sed 's/$/ (first run, before the crash)/')
		out=$(run_group); status=$?
		[ -z "$first_fails" ] || out=$(printf '%s\n%s\n' "$out" "$first_fails")
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
	# A group that says nothing has tested nothing.
	if [ "$status" = 0 ] && [ $((p + f + s)) = 0 ]; then
		echo "[$host] FAIL $script: no results (no ok, FAIL or SKIP line; see $log)"
		f=$((f + 1))
	fi
	# A script that ends with its own "N passed, N failed" must print it (a
	# crash or an early exit does not), and it may not claim more passes or
	# failures than its lines show (the count may be lower: the backend's
	# own ok lines and a tool's lines beside the script's checks).
	summary=$(printf '%s\n' "$out" | tr -d '\r' | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n1)
	if [ -z "$summary" ] && grep -qE '^[^#]*echo "\$[a-z_]+ passed, \$[a-z_]+ failed"' "$file"; then
		echo "[$host] FAIL $script: no \"N passed, N failed\" line from the script (cut short? see $log)"
		f=$((f + 1))
	elif [ -n "$summary" ]; then
		sp=${summary%% passed*} sf=${summary#*passed, } sf=${sf%% failed*}
		if [ "$sp" -gt "$p" ] || [ "$sf" -gt "$f" ]; then
			echo "[$host] FAIL $script: its summary \"$summary\" does not match the lines counted ($p ok, $f FAIL)"
			f=$((f + 1))
		fi
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	while IFS= read -r l; do
		[ -n "$l" ] && fail_lines+=("[$host] $l")
	done < <(printf '%s\n' "$out" | tr -d '\r' | grep '^FAIL ' | cut -c1-300)
	[ "$f" -gt 0 ] && [ "$(printf '%s\n' "$out" | grep -c '^FAIL ')" -lt "$f" ] &&
		fail_lines+=("[$host] FAIL $script: the group itself (see its lines above)")
	echo "   [$host] $script: $p passed, $f failed, $s skipped in $(($(date +%s) - start)) s"
done
[ "$retried" = 0 ] || echo "integration: $retried group(s) retried after a crash of the reference host kernel (see the NOTE lines)"
# The failures again, last: a CI log is often read from its tail.
if [ "${#fail_lines[@]}" -gt 0 ]; then
	echo "integration: the failed checks:"
	printf '  %s\n' "${fail_lines[@]}"
fi
echo "integration: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
