#!/usr/bin/env bash
# groups: order=180 test=kvm-6.12,elvisor-6.12 via=tests/run-all.sh   (tests/integration/groups.sh)
# proves: same config, same CPU, two hypervisors: the same guest with the same configs on kvm-6.12 and elvisor-6.12 (same host kernel and emulated CPU), and every line of the guests' reports must be equal (features, ID registers as EL0 reads them, SVE lengths, PSCI, TRNG, PTP); a difference passes only when `samecpu-allowed.txt` lists it, each explained in docs/abi.md
# Same config, same CPU, two hypervisors: tests/integration/scenarios/samecpu.sh boots the
# same guest with the same configs on kvm-6.12 (the reference with
# writable ID registers) and on elvisor.ko (on the same 6.12 host kernel and
# emulated CPU), and every line of the guests' reports must be equal:
# features, ID registers as EL0 reads them, SVE lengths, PSCI, TRNG, PTP.
# A difference passes only when tests/integration/scenarios/samecpu-allowed.txt lists it
# ("config key" per line), each explained in docs/abi.md.
#   run-samecpu.sh [--keep DIR]       ends with "N passed, N failed"
set -uo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tests/integration/scenarios
out=$(mktemp -d)
keep=
[ "${1:-}" = --keep ] && keep=$2
trap '[ -n "$keep" ] && { mkdir -p "$keep"; cp -a "$out"/. "$keep"/; }; rm -rf "$out"' EXIT
mkdir -p "$top/build/test-logs"
pass=0 fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

for h in kvm-6.12 elvisor-6.12; do
	"$top/scripts/host-run.sh" --host "$h" --timeout 900 --log "$top/build/test-logs/$h-samecpu.log" \
		"$here/samecpu.sh" "$here/lib.sh" > "$out/$h.console" 2>&1
	st=$?
	tr -d '\r' < "$out/$h.console" | grep '^SAMECPU ' | sort > "$out/$h.report"
	grep -q '^SAMECPU .* no-report' "$out/$h.report" &&
		bad "samecpu.$h.reports" "a guest gave no report: $(grep no-report "$out/$h.report" | head -n 2 | tr '\n' ' ')"
	[ "$st" = 0 ] && ok "samecpu.$h.host" || bad "samecpu.$h.host" "host status $st (build/test-logs/$h-samecpu.log)"
done

allowed=$here/samecpu-allowed.txt
is_allowed() { grep -v '^#' "$allowed" 2>/dev/null | grep -qx -F "$1"; }
for cfg in $(cut -d' ' -f2 "$out/kvm-6.12.report" "$out/elvisor-6.12.report" | sort -u); do
	n=0 diffs=
	if grep -q "^SAMECPU $cfg no-report" "$out"/*.report; then
		bad "samecpu.$cfg.same-guest-view" "no report from $(grep -l "^SAMECPU $cfg no-report" "$out"/*.report |
			sed 's|.*/||; s|\.report||' | tr '\n' ' ')to compare"
		continue
	fi
	keys=$(grep -h "^SAMECPU $cfg " "$out"/*.report | sed 's/^SAMECPU [^ ]* \([^=]*\)=.*/\1/' | sort -u)
	for k in $keys; do
		a=$(sed -n "s/^SAMECPU $cfg $k=//p" "$out/kvm-6.12.report")
		b=$(sed -n "s/^SAMECPU $cfg $k=//p" "$out/elvisor-6.12.report")
		[ "$a" = "$b" ] && continue
		if is_allowed "$cfg $k"; then
			echo "# samecpu.$cfg.$k differs, allowed (docs/abi.md): kvm-6.12 '$a', elvisor '$b'"
			continue
		fi
		n=$((n + 1)) diffs="$diffs; $k: kvm-6.12 '$a', elvisor '$b'"
	done
	[ "$n" = 0 ] && ok "samecpu.$cfg.same-guest-view" || bad "samecpu.$cfg.same-guest-view" "${diffs#; }"
done
# Each config must have reached its report on the reference at least.
for cfg in baseline narrow-atomics sve256-nopauth psci10-notrng; do
	grep -q "^SAMECPU $cfg exit=0" "$out/kvm-6.12.report" && ok "samecpu.$cfg.kvm-6.12-boots" ||
		bad "samecpu.$cfg.kvm-6.12-boots" "$(grep "^SAMECPU $cfg " "$out/kvm-6.12.report" | tail -n 1)"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
