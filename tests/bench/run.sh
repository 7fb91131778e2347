#!/usr/bin/env bash
# Benchmarks (not tests): each runs in the emulated arm64 host and reports
# its numbers; where elvisor.ko can run the same workload, the report gives
# the elvisor.ko / reference-KVM ratio measured in the same run.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
logs=$top/build/bench-logs
mkdir -p "$logs"
bench() { # backend script
	"$top/scripts/host-run.sh" --backend "$1" --timeout 900 --log "$logs/$1-$2.log" \
		"$top/tests/host/$2" "$top/tests/host/lib.sh" | grep -E '^(run|BENCH|SKIP)'
}
echo "== boot to init and peak RSS, reference KVM (5 runs, median)"
bench kvm bench-boot.sh
