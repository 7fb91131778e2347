# groups: order=160 test=kvm-6.1,kvm-6.12,elvisor-6.1,elvisor-6.12   (tests/integration/groups.sh)
# proves: The host kernel's own KVM selftests (6.1's on the 6.1 hosts, 6.12's on the 6.12 hosts: Debian linux-source of the host kernel's version, cross-built statically by `tests/selftests/build.sh`), the quick subset; each result is compared with `tests/selftests/expected.txt` (6.1) or `expected-6.12.txt`, where every non-PASS carries its reason and its failure signature (`sig` lines: the text its output must hold, e.g. the assertion's file:line and expression): an expected FAIL/SKIP with its signature is a SKIP line; any difference (an unexpected pass too) is a FAIL, and so is an expected result without its signature (another assertion), an expected FAIL that is a timeout, a signal or a missing binary (exit status other than 254 or 1), or an entry with no `sig` line. `make selftests-full` runs every test on the four hosts and `tests/selftests/compare.sh`; the table with both backends' results is below
# Linux's own KVM selftests (aarch64), run on this host's backend: the
# series of the host kernel (6.1 or 6.12), built by tests/selftests/build.sh
# from Debian's linux-source of the host kernel's version into
# build/kernel/<abi>/kvm-selftests, the host image's /elvisor/kvm-selftests
# (with a file `series` and that series' expectations as expected.txt).
# Each test runs under a timeout, with the reduced sizes software emulation
# needs, and prints "SELFTEST <name> PASS|FAIL|SKIP <seconds> [args]"
# (tests/selftests/compare.sh reads those from the console log). The result
# is then checked against the expectations for this backend; the result
# lines name the host, e.g. selftest.elvisor-6.12.get-reg-list:
#   expected and got PASS          -> ok
#   expected and got FAIL or SKIP, with its failure signature
#                                  -> SKIP, with the documented reason
#   anything else                  -> FAIL (update the expectations and reason)
# An expected FAIL or SKIP is only that failure: expected.txt's "sig" lines
# for the test, backend and result give the text its output must hold (the
# assertion's file:line and expression, the skip's requirement), every line
# of them (a line may list alternatives separated by " || ", one of which
# must appear); an expected FAIL must also end as a failing selftest does (exit
# status 254 from TEST_ASSERT, or 1 from a ksft test). A timeout, a signal
# (a crash), a missing binary or another assertion is a FAIL, and so is an
# expected FAIL or SKIP that has no signature.
# The quick subset by default (make test); SELFTESTS=all in /test/selftests.env
# (make selftests-full) runs every test, SELFTESTS="NAME..." only those
# (no line for the others), SELFTESTS_OUTPUT=all shows the whole
# output of each non-PASS.
. ./lib.sh

D=$E/kvm-selftests
[ -d "$D" ] || D=/test/kvm-selftests
EXP=/test/expected.txt
[ -f "$EXP" ] || EXP=$D/expected.txt
AWKLIB=$D/expected.awk
[ -f /test/selftests.env ] && . /test/selftests.env
SELFTESTS=${SELFTESTS:-quick}
if is_elvisor; then backend=elvisor; else backend=kvm; fi
# The series the binaries were built for; the kernel's release otherwise.
series=$(cat "$D/series" 2>/dev/null)
[ -n "$series" ] || series=$(uname -r | cut -d. -f1,2)
host=$backend-$series

if [ ! -d "$D" ]; then
	fail selftest.$host.present "no $E/kvm-selftests (run tests/selftests/build.sh build, then make host-image)"
	exit 1
fi
[ -f "$EXP" ] || fail selftest.$host.expectations "no expected.txt: every result is unchecked"
case $(uname -r) in
"$series".*) ;;
*) fail selftest.$host.series "the $series selftests on a $(uname -r) kernel (stale host image?)" ;;
esac

backend_up

# name, timeout (s), arguments, per series. Sizes are cut for software
# emulation (docs/selftests.md); the defaults touch 1 GiB per vCPU.
# TESTS_QUICK is the subset make test runs: the tests that finish in
# seconds under emulation; the slow ones only run in full.
case $series in
6.1)
TESTS_ALL="
aarch64/aarch32_id_regs		60
aarch64/arch_timer		180
aarch64/debug-exceptions	240
aarch64/get-reg-list		60
aarch64/hypercalls		60
aarch64/psci_test		60
aarch64/vcpu_width_config	60
aarch64/vgic_init		60
aarch64/vgic_irq		180
demand_paging_test		180	-b 128M
dirty_log_test			240	-m 5 -i 3
dirty_log_perf_test		180	-b 64M
kvm_create_max_vcpus		120
kvm_page_table_test		180	-b 64M
memslot_modification_stress_test 180	-b 128M
memslot_perf_test		360	-s 1024 -l 1
rseq_test			900
set_memory_region_test		360
steal_time			60
kvm_binary_stats_test		60
"
# About a minute. Full only: debug-exceptions, dirty_log*, kvm_page_table,
# memslot_perf, rseq, set_memory_region (30 s to 2 min each).
TESTS_QUICK="aarch64/aarch32_id_regs aarch64/arch_timer aarch64/get-reg-list aarch64/hypercalls
aarch64/psci_test aarch64/vcpu_width_config aarch64/vgic_init aarch64/vgic_irq demand_paging_test
kvm_create_max_vcpus memslot_modification_stress_test steal_time kvm_binary_stats_test"
;;
6.12)
TESTS_ALL="
aarch64/aarch32_id_regs		60
aarch64/arch_timer_edge_cases	120
aarch64/debug-exceptions	120
aarch64/hypercalls		60
aarch64/page_fault_test		120	-m 6
aarch64/psci_test		60
aarch64/set_id_regs		60
aarch64/smccc_filter		60
aarch64/vcpu_width_config	60
aarch64/vgic_init		60
aarch64/vgic_irq		120
aarch64/vgic_lpi_stress		120
aarch64/vpmu_counter_access	60
aarch64/no-vgic-v3		60
access_tracking_perf_test	180	-b 64M
arch_timer			120	-e 10000
coalesced_io_test		60
demand_paging_test		180	-b 128M
dirty_log_test			240	-m 6 -i 3
dirty_log_perf_test		180	-b 64M
guest_print_test		60
get-reg-list			60
kvm_create_max_vcpus		120
kvm_page_table_test		180	-b 64M
memslot_modification_stress_test 180	-b 128M
memslot_perf_test		360	-s 1024 -l 1
rseq_test			900
set_memory_region_test		360
steal_time			60
kvm_binary_stats_test		60
"
# A few seconds each on kvm-6.12 (about 20 s in all with the host's boot,
# 35 s on a loaded machine); with aarch64/set_id_regs and get-reg-list, the
# ID-register and register-list checks. Full only: the rest (5 s to 2 min
# each under load; arch_timer_edge_cases is timing-dependent).
TESTS_QUICK="aarch64/aarch32_id_regs aarch64/hypercalls aarch64/psci_test aarch64/set_id_regs
aarch64/smccc_filter aarch64/vcpu_width_config aarch64/vgic_init aarch64/vgic_irq aarch64/vgic_lpi_stress
aarch64/vpmu_counter_access aarch64/no-vgic-v3 arch_timer coalesced_io_test guest_print_test
get-reg-list kvm_create_max_vcpus steal_time kvm_binary_stats_test"
;;
*)
	fail selftest.$host.series "no test list for series $series"
	exit 1 ;;
esac

# expect NAME: "PASS|FAIL|SKIP reason..." for this backend, or empty.
expect() {
	awk -v n="$1" -v b="$backend" "$(cat "$AWKLIB")"'
		$1 == n {
			r = ""; reason = ""
			for (i = 2; i <= NF; i++) {
				if (is_result($i)) {
					split($i, kv, "=")
					if (kv[1] == b) r = kv[2]
				} else { reason = reason (reason == "" ? "" : " ") $i }
			}
			print r, reason_for(b, reason); exit
		}
	' "$EXP" 2>/dev/null
}

# signatures NAME RESULT: the texts ("sig NAME BACKEND RESULT TEXT" lines of
# expected.txt) that this backend's RESULT of NAME must show, one a line.
signatures() {
	awk -v n="$1" -v b="$backend" -v r="$2" '
		$1 == "sig" && $2 == n && $3 == b && $4 == r {
			sub(/^sig +[^ ]+ +[^ ]+ +[^ ]+ +/, ""); print
		}' "$EXP" 2>/dev/null
}

run_one() { # NAME TIMEOUT ARGS...
	name=$1 limit=$2; shift 2
	case $SELFTESTS in
	all) ;;
	quick) case " $(echo $TESTS_QUICK) " in
		*" $name "*) ;;
		*) skip "selftest.$host.$name" "not in the quick subset (SELFTESTS=quick)"; return 0 ;;
		esac ;;
	*) case " $SELFTESTS " in
		*" $name "*) ;;
		*) return 0 ;;
		esac ;;
	esac
	id=selftest-$(echo "$name" | tr '/' '_')
	if [ ! -x "$D/$name" ]; then
		got=FAIL secs=0 rc=127; echo "not built: $D/$name" > /tmp/$id.out
	else
		t0=$(date +%s)
		# memslot_perf_test arms a hard-coded 2 s alarm() around each
		# host/guest sync, too short under software emulation: an ignored
		# SIGALRM stays ignored across exec, and the timeout bounds it.
		if [ "$name" = memslot_perf_test ]; then
			(cd "$D" && trap '' ALRM && exec timeout "$limit" "./$name" "$@") > /tmp/$id.out 2>&1 < /dev/null
		else
			(cd "$D" && exec timeout "$limit" "./$name" "$@") > /tmp/$id.out 2>&1 < /dev/null
		fi
		rc=$?
		secs=$(( $(date +%s) - t0 ))
		case $rc in
		0) got=PASS ;;
		4) got=SKIP ;;
		*) got=FAIL ;;
		esac
		[ $rc = 143 ] || [ $rc = 124 ] && echo "timed out after ${limit}s" >> /tmp/$id.out
	fi
	echo "SELFTEST $name $got $secs${*:+ $*}"
	# Why, in the console log only (run.sh reads ok/FAIL/SKIP lines).
	# SELFTESTS_OUTPUT=all (selftests.env): the whole output, up to 80 lines.
	if [ "$got" != PASS ] && [ "${SELFTESTS_OUTPUT:-}" = all ]; then
		head -n 80 /tmp/$id.out | tr -d '\r' | sed 's/^/#   /'
	elif [ "$got" != PASS ]; then
		{ grep -A8 -m1 "Test Assertion Failure" /tmp/$id.out || tail -n 3 /tmp/$id.out; } |
			grep -v "addr2line\|Test Assertion Failure" | tr -d '\r' | sed 's/^/#   /'
	fi
	set -f; set -- $(expect "$name"); set +f
	want=${1:-}; [ $# -gt 0 ] && shift
	reason="$*"
	check=selftest.$host.$name
	if [ -z "$want" ]; then
		fail "$check" "got $got, no expectation in expected.txt"
		[ "$got" = PASS ] || show_output "$id"
	elif case "/$want/" in */$got/*) true ;; *) false ;; esac; then
		# PASS/FAIL: timing-dependent under emulation, either is accepted.
		if [ "$got" = PASS ]; then pass "$check"; return 0; fi
		sigs=$(signatures "$name" "$got")
		tr -d '\r' < /tmp/$id.out > /tmp/$id.txt
		# A sig line's alternatives, " || "-separated: one of them suffices.
		missing=$(printf '%s\n' "$sigs" | while IFS= read -r sig; do
			[ -n "$sig" ] || continue
			found= rest=$sig
			while :; do
				alt=${rest%% || *}
				grep -qF -- "$alt" /tmp/$id.txt && { found=1; break; }
				[ "$alt" = "$rest" ] && break
				rest=${rest#* || }
			done
			[ -n "$found" ] || { printf '%s\n' "$sig"; break; }
		done)
		if [ "$got" = FAIL ] && [ "$rc" != 254 ] && [ "$rc" != 1 ]; then
			fail "$check" "got FAIL with exit status $rc (not an assertion failure: timeout 124/143, signal 128+N, not built 127), expected $want${reason:+ ($reason)}"
			show_output "$id"
		elif [ -z "$sigs" ]; then
			fail "$check" "got $got, expected, but expected.txt gives no signature (sig $name $backend $got TEXT) to tell it from any other $got"
			show_output "$id"
		elif [ -n "$missing" ]; then
			fail "$check" "got $got, but not the expected one: its output lacks '$missing' (expected $want${reason:+: $reason})"
			show_output "$id"
		else
			skip "$check" "$got as expected ($(printf '%s\n' "$sigs" | head -n1)): $reason"
		fi
	else
		fail "$check" "got $got, expected $want${reason:+ ($reason)}"
		[ "$got" = PASS ] || show_output "$id"
	fi
}

echo "$TESTS_ALL" | while read -r name limit args; do
	[ -n "$name" ] || continue
	run_one "$name" "$limit" $args
done

backend_down
