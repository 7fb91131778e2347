# Sourced by bench/run.sh (section lkvm): elvisor against unmodified
# kvmtool, given as LKVM=/path/to/lkvm-static (a static arm64 binary; the
# project never builds or ships kvmtool: docs/performance.md). One boot of
# the reference host (kvm-6.1) runs the same guest under both, alternating
# elvisor, kvmtool, ... (bench/bench-lkvm.sh); each row is the median
# of each VMM's runs and their ratio, beside the goal for that row.
echo "== elvisor against kvmtool: Debian's kernel and a busybox init that powers off, 256 MiB, 2 vCPUs, reference KVM; ${BENCH_RUNS:-5} alternating runs each, median"

# lkvm_median VMM KEY < BENCH-RUN lines
lkvm_median() {
	awk -v v="$1" -v k="$2=" '$1 == "BENCH-RUN" && $2 == v {
			for (i = 3; i <= NF; i++) if (index($i, k) == 1) print substr($i, length(k) + 1) }' |
		sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'
}

# lkvm_row LABEL KEY UNIT GOAL
lkvm_row() {
	local e k

	e=$(printf '%s\n' "$out" | lkvm_median elvisor "$2")
	k=$(printf '%s\n' "$out" | lkvm_median kvmtool "$2")
	if [ -n "$e" ] && [ -n "$k" ] && [ "$k" -gt 0 ]; then
		printf '%-15s elvisor %7d %-3s   kvmtool %7d %-3s   ratio elvisor/kvmtool %s   (goal <= %s)\n' \
			"$1" "$e" "$3" "$k" "$3" "$(awk -v e="$e" -v k="$k" 'BEGIN { printf "%.2f", e / k }')" "$4"
	else
		echo "$1: no measurement (elvisor='$e' kvmtool='$k'; see $logs/kvm-bench-lkvm.log)"
		errors=$((errors + 1))
	fi
}

if [ -z "${LKVM:-}" ]; then
	echo "SKIP kvmtool comparison: no LKVM=/path/to/lkvm-static given (make bench LKVM=...; docs/performance.md)"
elif [ ! -f "$LKVM" ] || [ ! -x "$LKVM" ]; then
	echo "kvmtool comparison: FAILED, LKVM=$LKVM is not an executable file"
	errors=$((errors + 1))
else
	lkvm_dir=$(mktemp -d)
	cp "$LKVM" "$lkvm_dir/lkvm-static"
	"$top/bench/poweroff-initramfs.sh" "$lkvm_dir/poweroff.cpio"
	[ -n "${BENCH_RUNS:-}" ] && export HOST_CMDLINE_EXTRA="${HOST_CMDLINE_EXTRA:-} BENCH_RUNS=$BENCH_RUNS"
	host kvm bench-lkvm.sh "$lkvm_dir/lkvm-static" "$lkvm_dir/poweroff.cpio"
	rm -rf "$lkvm_dir"
	printf '%s\n' "$out" | grep -E '^BENCH-(RUN|ERROR)'
	bad=$(printf '%s\n' "$out" | awk '$1 == "BENCH-RUN" && $NF != "status=0"' | wc -l)
	[ "$bad" = 0 ] || { echo "kvmtool comparison: $bad run(s) did not exit 0"; errors=$((errors + bad)); }
	lkvm_row "exec to exit" exit_ms ms 0.8
	lkvm_row "uptime at init" uptime_ms ms 1.0
	lkvm_row "peak RSS" rss_kib KiB 0.9
fi
