#!/usr/bin/env bash
# Compare the KVM selftest runs of both backends of each host kernel series
# with that series' expectations and write the results tables.
#   compare.sh [--doc FILE] [SERIES...]            SERIES 6.1, 6.12 (default both)
#   compare.sh [--doc FILE] SERIES KVM_LOG ELVISOR_LOG
# The logs are the emulated hosts' consoles of the selftests.sh groups, by
# default build/test-logs/HOST-selftests.log for the hosts kvm-SERIES and
# elvisor-SERIES (for 6.1 also the older names {kvm,elvisor}-selftests.log);
# the scenario prints "SELFTEST <name> PASS|FAIL|SKIP <s> [args]".
# Expectations: tests/selftests/expected.txt (6.1), expected-SERIES.txt.
# Prints per test and host:
#   ok selftest.HOST.NAME                       PASS, as expected
#   SKIP selftest.HOST.NAME: X as expected (reason)   a documented non-pass
#   FAIL selftest.HOST.NAME: got X, expected Y (reason)
#   FAIL selftest.HOST.NAME: in the host: WHY   the in-host check failed it
#                          (selftests.sh: an expected result without its
#                          failure signature, a timeout, a crash...)
# then "selftests SERIES: N ok, N failed, N skipped" per series, and writes
# the markdown table of each series to build/selftests-table-SERIES.md (make
# test leaves the tree alone); with --doc docs/testing.md it also replaces
# the table between that file's "<!-- selftests-table-SERIES:begin -->" and
# "<!-- selftests-table-SERIES:end -->" lines. A series with no log at all
# is said and its table in FILE left as it was.
# Exit status 1 if any FAIL.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
into=
if [ "${1:-}" = --doc ]; then into=$2; shift 2; fi
if [ $# = 3 ]; then
	series_list=$1 log_kvm=$2 log_elvisor=$3
else
	series_list=${*:-6.1 6.12} log_kvm= log_elvisor=
fi

results() { # LOG -> "name result seconds [args]" lines
	[ -f "$1" ] || return 0
	tr -d '\r' < "$1" | sed -n 's/^SELFTEST \([^ ]*\) \(PASS\|FAIL\|SKIP\) \([0-9]*\)/\1 \2 \3/p'
}
inhost_fails() { # LOG HOST -> "name why" for each FAIL line of selftests.sh
	[ -f "$1" ] || return 0
	tr -d '\r' < "$1" | awk -v p="FAIL selftest.$2." '
		index($0, p) == 1 { l = substr($0, length(p) + 1); i = index(l, ": ")
			if (i) print substr(l, 1, i - 1), substr(l, i + 2) }'
}
default_log() { # BACKEND SERIES
	local f=$top/build/test-logs/$1-$2-selftests.log
	if [ "$2" = 6.1 ] && [ ! -f "$f" ] && [ -f "$top/build/test-logs/$1-selftests.log" ]; then
		f=$top/build/test-logs/$1-selftests.log
	fi
	echo "$f"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for series in $series_list; do
	case $series in
	6.1) expected=$top/tests/selftests/expected.txt abi_file=$top/cache/current-abi ;;
	*) expected=$top/tests/selftests/expected-$series.txt abi_file=$top/cache/current-abi-$series ;;
	esac
	[ -f "$expected" ] || { echo "compare: no ${expected#$top/}" >&2; status=1; continue; }
	ver=$(cut -d' ' -f2 "$abi_file" 2>/dev/null)
	kvm_log=${log_kvm:-$(default_log kvm "$series")}
	elv_log=${log_elvisor:-$(default_log elvisor "$series")}
	results "$kvm_log" > "$tmp/kvm"
	results "$elv_log" > "$tmp/elvisor"
	inhost_fails "$kvm_log" "kvm-$series" > "$tmp/kvm.fail"
	inhost_fails "$elv_log" "elvisor-$series" > "$tmp/elvisor.fail"
	have=0
	for b in kvm elvisor; do
		if [ -s "$tmp/$b" ]; then have=1; else
			echo "compare: no SELFTEST lines for $b-$series (log: $([ $b = kvm ] && echo "$kvm_log" || echo "$elv_log"))" >&2
		fi
	done
	doc=$top/build/selftests-table-$series.md
	awk -v doc="$doc" -v ver="$ver" -v series="$series" -v kvmf="$tmp/kvm" -v elvf="$tmp/elvisor" \
		-v expf="${expected#$top/}" -v kvmff="$tmp/kvm.fail" -v elvff="$tmp/elvisor.fail" \
		"$(cat "$top/tests/selftests/expected.awk")"'
	BEGIN {
		load("kvm", kvmf); load("elvisor", elvf)
		loadfail("kvm", kvmff); loadfail("elvisor", elvff)
		nb = split("kvm elvisor", backends, " ")
	}
	/^#/ || NF == 0 || $1 == "sig" { next }
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
				b = backends[j]; w = want[b, name]; h = b "-" series
				g = ((b, name) in got) ? got[b, name] : "none"
				r = reason_for(b, why[name]); r = r != "" ? " (" r ")" : ""
				if (g == "none" && !(("kvm", name) in got) && !(("elvisor", name) in got)) {
					printf "SKIP selftest.%s.%s: not run on either backend (SELFTESTS=quick?)\n", h, name; skipped++
				} else if (g == "none") {
					printf "FAIL selftest.%s.%s: no result in the log (host did not finish?), expected %s%s\n", h, name, w, r; bad++
				} else if ((b, name) in inhost) {
					printf "FAIL selftest.%s.%s: in the host: %s\n", h, name, inhost[b, name]; bad++
				} else if (index("/" w "/", "/" g "/") == 0) {
					printf "FAIL selftest.%s.%s: got %s, expected %s%s\n", h, name, g, w, r; bad++
				} else if (g == "PASS") {
					printf "ok selftest.%s.%s\n", h, name; good++
				} else {
					printf "SKIP selftest.%s.%s: %s as expected%s\n", h, name, g, r; skipped++
				}
			}
		}
		# Results that the expectations do not know about.
		for (key in got) {
			split(key, kb, SUBSEP)
			if (!((kb[2]) in why)) { printf "FAIL selftest.%s-%s.%s: got %s, not in %s\n", kb[1], series, kb[2], got[key], expf; bad++ }
		}

		printf "Linux %s (Debian `linux-source-%s` %s), hosts `kvm-%s` and `elvisor-%s`; expectations in `%s`:\n\n", \
			series, series, ver, series, series, expf > doc
		print "| selftest | arguments | KVM (reference) | s | elvisor.ko | s | why not PASS |" > doc
		print "|---|---|---|---|---|---|---|" > doc
		for (k = 1; k <= n; k++) {
			name = order[k]
			gk = (("kvm", name) in got) ? got["kvm", name] : "not run"
			ge = (("elvisor", name) in got) ? got["elvisor", name] : "not run"
			if (index("/" want["kvm", name] "/", "/" gk "/") == 0) gk = gk " (expected " want["kvm", name] ")"
			else if (("kvm", name) in inhost) gk = gk " (not the expected failure)"
			if (index("/" want["elvisor", name] "/", "/" ge "/") == 0) ge = ge " (expected " want["elvisor", name] ")"
			else if (("elvisor", name) in inhost) ge = ge " (not the expected failure)"
			printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", name, args[name], gk, secs["kvm", name], ge, secs["elvisor", name], why[name] > doc
		}
		close(doc)
		printf "selftests %s: %d ok, %d failed, %d skipped\n", series, good, bad, skipped
		exit bad ? 1 : 0
	}
	function loadfail(b, file,   l, i) {
		while ((getline l < file) > 0) { i = index(l, " "); inhost[b, substr(l, 1, i - 1)] = substr(l, i + 1) }
	}
	function load(b, file,   l, f, m, i, a) {
		while ((getline l < file) > 0) {
			m = split(l, f, " ")
			got[b, f[1]] = f[2]; secs[b, f[1]] = f[3]
			a = ""; for (i = 4; i <= m; i++) a = a (a == "" ? "" : " ") f[i]
			if (a != "") args[f[1]] = "`" a "`"
		}
	}
' "$expected" || status=1
	[ -n "$into" ] || continue
	if [ "$have" = 0 ]; then
		echo "compare: $series not run: its table in $into left as it was" >&2
		continue
	fi
	begin="<!-- selftests-table-$series:begin -->" end="<!-- selftests-table-$series:end -->"
	grep -qxF "$begin" "$into" || { echo "compare: no $begin marker in $into" >&2; status=2; continue; }
	awk -v t="$doc" -v begin="$begin" -v end="$end" '
		$0 == end { skip = 0 }
		!skip { print }
		$0 == begin { while ((getline l < t) > 0) print l; skip = 1 }
	' "$into" > "$tmp/doc" && cat "$tmp/doc" > "$into"
done
exit $status
