#!/usr/bin/env bash
# Benchmarks (not tests): each runs in the emulated arm64 host and reports
# its numbers; where elvisor.ko can run the same workload, the report gives
# the elvisor.ko / reference-KVM ratio measured in the same run.
#   run.sh [SECTION...]   boot exits irq blk lkvm (default: all)
# lkvm compares elvisor with kvmtool when LKVM=/path/to/lkvm-static is in
# the environment (make bench LKVM=...); without it, a SKIP line.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/bench-logs
mkdir -p "$logs"
declare -A med
sections=" ${*:-boot exits irq blk lkvm} "
want() { [[ $sections == *" $1 "* ]]; }

# A benchmark that reports a BENCH-ERROR (bm-irqbench's GIC and timer
# checks among them) or whose host does not finish fails make bench: the
# numbers are printed, the run exits 1.
errors=0
host() { # backend script [FILE...]: run a bench/ script in the emulated host
	local st n

	# Sets $out (not run in a subshell: $errors must count).
	out=$("$top/scripts/host-run.sh" --backend "$1" --timeout 900 --log "$logs/$1-${2%.sh}.log" \
		"$top/bench/$2" "$top/tests/integration/scenarios/lib.sh" "${@:3}"); st=$?
	n=$(printf '%s\n' "$out" | grep -c '^BENCH-ERROR')
	[ "$st" = 0 ] || [ "$n" != 0 ] || n=1
	[ "$n" = 0 ] || echo "$1 $2: FAILED (status $st, $n error(s); log $logs/$1-${2%.sh}.log)" >&2
	errors=$((errors + n))
}

# median KEY < "BENCH KEY value" lines: the median of the runs' values.
median() {
	awk -v k="$1" '$1 == "BENCH" && $2 == k { print $3 }' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# compare LABEL KEY UNIT: one line, elvisor.ko beside the reference and the ratio.
compare() {
	local e=${med[elvisor.$2]:-} r=${med[kvm.$2]:-}

	if [ -n "$e" ] && [ -n "$r" ] && [ "$r" -gt 0 ]; then
		printf '%-9s elvisor.ko %9d %-3s   reference KVM %9d %-3s   ratio elvisor/KVM %s\n' \
			"$1" "$e" "$3" "$r" "$3" "$(awk -v e=$e -v r=$r 'BEGIN { printf "%.2f", e / r }')"
	else
		echo "$1: no measurement (elvisor='$e' kvm='$r'; see $logs)"
	fi
}

if want boot; then
echo "== boot to init and peak RSS: Linux guest, 2 vCPUs, 256 MiB; 5 runs per backend, median"
for b in kvm elvisor; do
	host $b bench-boot.sh
	printf '%s\n' "$out" | grep -E '^(run|BENCH-ERROR)' | sed "s/^/$b /"
	n=$(printf '%s\n' "$out" | grep -c '^ELV-REPORT nprocs=2')
	[ "$n" = 5 ] || echo "$b: only $n of 5 boots reported 2 vCPUs online"
	line=$(printf '%s\n' "$out" | grep '^BENCH boot_to_init')
	med[$b.boot]=$(printf '%s\n' "$line" | sed -n 's/.*boot_to_init_ms_median=\([0-9]*\).*/\1/p')
	med[$b.rss]=$(printf '%s\n' "$line" | sed -n 's/.*peak_rss_kib_median=\([0-9]*\).*/\1/p')
done
compare boot boot ms
compare "peak RSS" rss KiB
fi

if want exits; then
echo "== exit round trips: bare-metal guest, median of 3 runs per backend"
for b in kvm elvisor; do
	host $b bench-exits.sh
	printf '%s\n' "$out" | grep BENCH-ERROR
	for k in hvc_ns mmio_ns; do
		med[$b.$k]=$(printf '%s\n' "$out" | median $k)
	done
done
compare hvc hvc_ns ns
compare mmio mmio_ns ns
fi

if want irq; then
echo "== interrupts, in-kernel GICv3: bm-irqbench on 2 vCPUs; median of 3 runs per backend, each run's value its own median"
echo "   ipi: SGI round trip vCPU 0 -> 1 -> 0, both waiting in WFI (500 per run); ipi 1cpu: the same, all VMM threads on host CPU 0 (taskset 1);"
echo "   vtimer/ptimer: virtual (PPI 27) / physical (PPI 30) timer due 2 ms ahead while in WFI, counter at acknowledge - CVAL (200 per run)"
for b in kvm elvisor; do
	host $b bench-irq.sh
	printf '%s\n' "$out" | grep -E '^BENCH-(ERROR|INFO)' | sed "s/^/$b /"
	for k in ipi_ns ipi_1cpu_ns vtimer_ns ptimer_ns; do
		med[$b.$k]=$(printf '%s\n' "$out" | median $k)
	done
done
compare ipi ipi_ns ns
compare "ipi 1cpu" ipi_1cpu_ns ns
compare vtimer vtimer_ns ns
compare ptimer ptimer_ns ns
fi

if want blk; then
echo "== virtio-blk: in the guest vs the host file behind the disk, same run; peak RSS with every device"
out=$("$top/scripts/host-run.sh" --backend kvm --timeout 600 --log "$logs/kvm-blk.log" \
	"$top/bench/bench-blk.sh" "$top/tests/integration/scenarios/lib.sh") || errors=$((errors + 1))
printf '%s\n' "$out" | grep '^BENCH-ERROR' && errors=$((errors + $(printf '%s\n' "$out" | grep -c '^BENCH-ERROR')))
host=$(printf '%s\n' "$out" | sed -n 's/^HOST IOBENCH //p' | tr -d '\r')
guest=$(printf '%s\n' "$out" | sed -n 's/^GUEST IOBENCH //p' | tr -d '\r')
noev=$(printf '%s\n' "$out" | sed -n 's/^GUEST-NOEVIDX IOBENCH //p' | tr -d '\r')
val() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
if [ -n "$host" ] && [ -n "$guest" ]; then
	for k in seq_write_mibps seq_read_mibps randread_4k_iops; do
		h=$(val "$host" $k) g=$(val "$guest" $k) n=$(val "$noev" $k)
		printf '%-18s guest %8s   host file %8s   guest/host %s   without EVENT_IDX %8s (guest/host %s)\n' \
			"$k" "$g" "$h" \
			"$(awk -v g=$g -v h=$h 'BEGIN { if (h > 0) printf "%.2f", g / h; else print "n/a" }')" \
			"${n:-?}" "$(awk -v g=${n:-0} -v h=$h 'BEGIN { if (h > 0 && g > 0) printf "%.2f", g / h; else print "n/a" }')"
	done
	echo "(host: direct=$(val "$host" direct), guest: direct=$(val "$guest" direct))"
else
	echo "virtio-blk: no measurement (see $logs/kvm-blk.log)"
fi
rss=$(printf '%s\n' "$out" | sed -n 's/^BENCH all-devices .*peak_rss_kib_median=\([0-9]*\).*/\1/p')
echo "peak RSS of elvisor with disk, tap network, rng and serial console: ${rss:-?} KiB"
fi

if want lkvm; then
. "$top/bench/lkvm.sh"
fi
if [ "$errors" != 0 ]; then
	echo "bench: FAILED, $errors error(s) (BENCH-ERROR lines or hosts that did not finish above)"
	exit 1
fi
