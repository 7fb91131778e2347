#!/usr/bin/env bash
# make test: native unit tests, TOML conformance, then the integration tests
# in the emulated arm64 host. Ends with one summary line.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
total_p=0 total_f=0 total_s=0
add() { total_p=$((total_p + $1)); total_f=$((total_f + $2)); total_s=$((total_s + ${3:-0})); }
# add_summary OUTPUT: count a layer by its last line, "N passed, N failed";
# a layer that did not say counts as one failure.
add_summary() {
	local line p f
	line=$(printf '%s\n' "$1" | tail -n1)
	p=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$line")
	f=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$line")
	[ -n "$p" ] || { p=0 f=1; }
	add "$p" "$f"
}

echo "== unit tests (Criterion)"
out=$(build/host/unit-tests --jobs 2 2>&1); st=$?
printf '%s\n' "$out" | grep -v '^\[----\]' | tail -n 40
line=$(printf '%s\n' "$out" | grep 'Synthesis:' | tail -n1)
p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' <<<"$line")
f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' <<<"$line")
c=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' <<<"$line")
if [ -z "$p" ]; then p=0 f=1; echo "unit tests did not run (status $st)"; fi
add "$p" $((f + ${c:-0}))

if [ -x tests/toml/run-toml-test.sh ]; then
	echo "== TOML 1.0 conformance (toml-test)"
	out=$(tests/toml/run-toml-test.sh tests/toml/suite build/host/toml-decode 2>&1)
	printf '%s\n' "$out" | tail -n 15
	add_summary "$out"
fi

echo "== man pages and make install (native: tests/install/run.sh)"
out=$(tests/install/run.sh 2>&1)
printf '%s\n' "$out"
add_summary "$out"

echo "== the integration groups and their docs table (scenario headers)"
out=$(tests/integration/groups.sh check docs/testing.md 2>&1)
printf '%s\n' "$out"
add_summary "$out"

echo "== fuzzing, a short bounded round (make fuzz runs longer)"
if make --no-print-directory fuzz-smoke > build/fuzz-smoke.log 2>&1; then
	echo "ok fuzz-smoke: $(grep -c 'Done' build/fuzz-smoke.log) fuzzers, no findings"
	add 1 0
else
	tail -n 20 build/fuzz-smoke.log
	echo "FAIL fuzz-smoke (see build/fuzz-smoke.log)"
	add 0 1
fi

echo "== integration tests (emulated arm64 host)"
tests/integration/run.sh 2>&1 | tee build/integration.log
line=$(tail -n1 build/integration.log)
p=$(sed -n 's/^integration: \([0-9]*\) passed.*/\1/p' <<<"$line")
f=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$line")
s=$(sed -n 's/.* \([0-9]*\) skipped.*/\1/p' <<<"$line")
[ -n "$p" ] || { p=0 f=1 s=0; }
add "$p" "$f" "$s"

echo "== KVM API parity: elvisor.ko against kvm-6.1 and kvm-6.12 (register lists and values)"
out=$(tests/integration/scenarios/api/run-parity.sh 2>&1)
printf '%s\n' "$out" | grep -E '^(FAIL|ok .*apitest|[0-9]+ passed)' | tail -n 20
add_summary "$out"

echo "== same config, same CPU: kvm-6.12 against elvisor.ko (the guest's report)"
out=$(tests/integration/scenarios/run-samecpu.sh 2>&1)
printf '%s\n' "$out" | grep -E '^(FAIL|ok|#|[0-9]+ passed)' | tail -n 20
add_summary "$out"

echo "== make demo (demo/run.sh: configs/demo.toml on kvm-6.12 and elvisor-6.12)"
if demo/run.sh > build/demo.log 2>&1; then
	echo "ok demo: both guests booted, reported the same CPU and powered off"
	add 1 0
else
	sed -n '/^######## the guest/,$p' build/demo.log | tail -n 25
	echo "FAIL demo: demo/run.sh exited non-zero (see build/demo.log)"
	add 0 1
fi

# make test-full only: every deliberate bug of tests/mutants/ must be caught
# (docs/testing.md, "Mutation testing"); one pass per mutant caught, one
# failure per mutant missed or stale (or one if it did not say).
if [ "${ELV_TEST_FULL:-}" = 1 ]; then
	echo "== mutation testing (make mutants)"
	out=$(make --no-print-directory mutants 2>&1); st=$?
	printf '%s\n' "$out" | grep -E '^([0-9]+-[^ ]+: |mutants: |baseline: FAIL)' | tail -n 60
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ caught, [0-9]+ missed$' | tail -n1)
	echo "${line:-mutants: no summary line (status $st)}"
	c=$(sed -n 's/^\([0-9]*\) caught.*/\1/p' <<<"$line")
	m=$(sed -n 's/.* \([0-9]*\) missed$/\1/p' <<<"$line")
	[ -n "$c" ] || { c=0 m=1; }
	[ "$st" = 0 ] || [ "$m" != 0 ] || m=1
	add "$c" "$m"
fi

echo "== total: $total_p passed, $total_f failed ($total_s skipped, not counted as passed)"
echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
