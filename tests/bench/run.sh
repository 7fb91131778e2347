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

echo "== exit round trips (issue 5): bare-metal guest, median of 3 runs per backend"
declare -A med
for b in kvm elvisor; do
	out=$("$top/scripts/host-run.sh" --backend "$b" --timeout 600 --log "$logs/$b-exits.log" \
		"$top/tests/host/bench-exits.sh" "$top/tests/host/lib.sh")
	printf '%s\n' "$out" | grep BENCH-ERROR
	for k in hvc_ns mmio_ns; do
		med[$b.$k]=$(printf '%s\n' "$out" | awk -v k=$k '$1 == "BENCH" && $2 == k { print $3 }' |
			sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
	done
done
for k in hvc_ns mmio_ns; do
	e=${med[elvisor.$k]:-} r=${med[kvm.$k]:-}
	if [ -n "$e" ] && [ -n "$r" ] && [ "$r" -gt 0 ]; then
		printf '%-8s elvisor.ko %6d ns   reference KVM %6d ns   ratio elvisor/KVM %s\n' \
			"${k%_ns}" "$e" "$r" "$(awk -v e=$e -v r=$r 'BEGIN { printf "%.2f", e / r }')"
	else
		echo "${k%_ns}: no measurement (elvisor='$e' kvm='$r'; see $logs)"
	fi
done

echo "== virtio-blk (issue 8): in the guest vs the host file behind the disk, same run; peak RSS with every device"
out=$("$top/scripts/host-run.sh" --backend kvm --timeout 600 --log "$logs/kvm-blk.log" \
	"$top/tests/host/bench-blk.sh" "$top/tests/host/lib.sh")
host=$(printf '%s\n' "$out" | sed -n 's/^HOST IOBENCH //p' | tr -d '\r')
guest=$(printf '%s\n' "$out" | sed -n 's/^GUEST IOBENCH //p' | tr -d '\r')
val() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
if [ -n "$host" ] && [ -n "$guest" ]; then
	for k in seq_write_mibps seq_read_mibps randread_4k_iops; do
		h=$(val "$host" $k) g=$(val "$guest" $k)
		printf '%-18s guest %8s   host file %8s   guest/host %s\n' "$k" "$g" "$h" \
			"$(awk -v g=$g -v h=$h 'BEGIN { if (h > 0) printf "%.2f", g / h; else print "n/a" }')"
	done
	echo "(host: direct=$(val "$host" direct), guest: direct=$(val "$guest" direct))"
else
	echo "virtio-blk: no measurement (see $logs/kvm-blk.log)"
fi
rss=$(printf '%s\n' "$out" | sed -n 's/^BENCH all-devices .*peak_rss_kib_median=\([0-9]*\).*/\1/p')
echo "peak RSS of elvisor with disk, tap network, rng and serial console: ${rss:-?} KiB"
