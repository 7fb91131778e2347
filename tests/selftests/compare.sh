#!/usr/bin/env bash
# Compare the KVM selftest runs of both backends with tests/selftests/
# expected.txt and write the results table.
#   compare.sh [--doc FILE] [KVM_LOG ELVISOR_LOG]
# The logs are the emulated hosts' consoles of the kvm:selftests.sh and
# elvisor:selftests.sh groups (default build/test-logs/{kvm,elvisor}-
# selftests.log); the scenario prints "SELFTEST <name> PASS|FAIL|SKIP <s>".
# Prints per test and backend:
#   ok selftest.NAME.BACKEND                     PASS, as expected
#   SKIP selftest.NAME.BACKEND: X as expected (reason)   a documented non-pass
#   FAIL selftest.NAME.BACKEND: got X, expected Y (reason)
# then "selftests: N ok, N failed, N skipped", and writes the markdown table
# to build/selftests-table.md (make test leaves the tree alone); with
# --doc docs/testing.md it also replaces the table between that file's
# "<!-- selftests-table:begin -->" and "<!-- selftests-table:end -->" lines.
# Exit status 1 if any FAIL.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
doc=$top/build/selftests-table.md
into=
if [ "${1:-}" = --doc ]; then into=$2; shift 2; fi
kvm_log=${1:-$top/build/test-logs/kvm-selftests.log}
elv_log=${2:-$top/build/test-logs/elvisor-selftests.log}
expected=$top/tests/selftests/expected.txt
ver=$(cut -d' ' -f2 "$top/cache/current-abi" 2>/dev/null)

results() { # LOG -> "name result seconds" lines
	[ -f "$1" ] || return 0
	tr -d '\r' < "$1" | sed -n 's/^SELFTEST \([^ ]*\) \(PASS\|FAIL\|SKIP\) \([0-9]*\)/\1 \2 \3/p'
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
results "$kvm_log" > "$tmp/kvm"
results "$elv_log" > "$tmp/elvisor"
for b in kvm elvisor; do
	[ -s "$tmp/$b" ] || echo "compare: no SELFTEST lines for $b (log: $([ $b = kvm ] && echo "$kvm_log" || echo "$elv_log"))" >&2
done

awk -v doc="$doc" -v ver="$ver" -v kvmf="$tmp/kvm" -v elvf="$tmp/elvisor" \
	"$(cat "$top/tests/selftests/expected.awk")"'
	BEGIN {
		load("kvm", kvmf); load("elvisor", elvf)
		nb = split("kvm elvisor", backends, " ")
	}
	/^#/ || NF == 0 { next }
	{
		name = $1; order[++n] = name; reason = ""
		for (i = 2; i <= NF; i++) {
			if (is_result($i)) { split($i, kv, "="); want[kv[1], name] = kv[2] }
			else reason = reason (reason == "" ? "" : " ") $i
		}
		why[name] = reason
	}
	END {
		bad = 0; good = 0; skipped = 0
		for (k = 1; k <= n; k++) {
			name = order[k]
			for (j = 1; j <= nb; j++) {
				b = backends[j]; w = want[b, name]
				g = ((b, name) in got) ? got[b, name] : "none"
				r = reason_for(b, why[name]); r = r != "" ? " (" r ")" : ""
				if (g == "none" && !(("kvm", name) in got) && !(("elvisor", name) in got)) {
					printf "SKIP selftest.%s.%s: not run on either backend (SELFTESTS=quick?)\n", name, b; skipped++
				} else if (g == "none") {
					printf "FAIL selftest.%s.%s: no result in the log (host did not finish?), expected %s%s\n", name, b, w, r; bad++
				} else if (index("/" w "/", "/" g "/") == 0) {
					printf "FAIL selftest.%s.%s: got %s, expected %s%s\n", name, b, g, w, r; bad++
				} else if (g == "PASS") {
					printf "ok selftest.%s.%s\n", name, b; good++
				} else {
					printf "SKIP selftest.%s.%s: %s as expected%s\n", name, b, g, r; skipped++
				}
			}
		}
		# Results that expected.txt does not know about.
		for (key in got) {
			split(key, kb, SUBSEP)
			if (!((kb[2]) in why)) { printf "FAIL selftest.%s.%s: got %s, not in expected.txt\n", kb[2], kb[1], got[key]; bad++ }
		}

		print "| selftest | arguments | KVM (reference) | s | elvisor.ko | s | why not PASS |" > doc
		print "|---|---|---|---|---|---|---|" > doc
		for (k = 1; k <= n; k++) {
			name = order[k]
			gk = (("kvm", name) in got) ? got["kvm", name] : "not run"
			ge = (("elvisor", name) in got) ? got["elvisor", name] : "not run"
			if (index("/" want["kvm", name] "/", "/" gk "/") == 0) gk = gk " (expected " want["kvm", name] ")"
			if (index("/" want["elvisor", name] "/", "/" ge "/") == 0) ge = ge " (expected " want["elvisor", name] ")"
			printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", name, args[name], gk, secs["kvm", name], ge, secs["elvisor", name], why[name] > doc
		}
		close(doc)
		printf "selftests: %d ok, %d failed, %d skipped\n", good, bad, skipped
		exit bad ? 1 : 0
	}
	function load(b, file,   l, f, m, i, a) {
		while ((getline l < file) > 0) {
			m = split(l, f, " ")
			got[b, f[1]] = f[2]; secs[b, f[1]] = f[3]
			a = ""; for (i = 4; i <= m; i++) a = a (a == "" ? "" : " ") f[i]
			if (a != "") args[f[1]] = "`" a "`"
		}
	}
' "$expected"
status=$?
if [ -n "$into" ]; then
	grep -q '^<!-- selftests-table:begin -->' "$into" || { echo "compare: no table markers in $into" >&2; exit 2; }
	awk -v t="$doc" '
		/^<!-- selftests-table:end -->/ { skip = 0 }
		!skip { print }
		/^<!-- selftests-table:begin -->/ { while ((getline l < t) > 0) print l; skip = 1 }
	' "$into" > "$tmp/doc" && cat "$tmp/doc" > "$into"
fi
exit $status
