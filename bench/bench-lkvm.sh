# make bench LKVM=/path/to/lkvm-static: elvisor against unmodified kvmtool
# (copied in as /test/lkvm-static) on this host's backend, the same guest
# for both (Debian's kernel, 256 MiB, 2 vCPUs, serial console, no network;
# /test/poweroff.cpio, whose init prints the uptime and powers off), runs
# alternating elvisor, kvmtool, ... so that both see the same machine load.
# Each run: "BENCH-RUN VMM init_ms= exit_ms= rss_kib= uptime_ms= status=";
# bench/run.sh takes the medians and the ratios. BENCH_PROFILE=1
# (HOST_CMDLINE_EXTRA) adds elvisor's --timings and both guests' kernel
# logs with timestamps (docs/performance.md).
. ./lib.sh
RUNS=${BENCH_RUNS:-5}
INIT=/test/poweroff.cpio
LKVM=/test/lkvm-static
PARAMS="console=ttyS0 quiet"
bench_backend_up
[ -x $LKVM ] || { echo "BENCH-ERROR no $LKVM in the host"; exit 1; }
export HOME=/tmp	# kvmtool keeps its sockets in $HOME/.lkvm
# vmm BINARY [ARGS]: the one command line both VMMs take
vmm() {
	bin=$1; shift
	$bin run -k $KERNEL -i $INIT -m 256 -c 2 --nodefaults --network mode=none -p "$PARAMS" "$@"
}
# one_run NAME BINARY: bootbench's run line and the guest's uptime, one BENCH-RUN line
one_run() {
	BOOTBENCH_ECHO=BENCH-GUEST-INIT $E/bootbench 1 BENCH-GUEST-INIT $2 run -k $KERNEL \
		-i $INIT -m 256 -c 2 --nodefaults --network mode=none -p "$PARAMS" \
		< /dev/null > /tmp/run.out 2>&1
	tr -d '\r' < /tmp/run.out | awk -v vmm=$1 '
		/^BENCH-GUEST-INIT/ { sub(/.*uptime_s=/, ""); up = $1 * 1000 }
		/^run 1:/ { line = $0 }
		END {
			split(line, w, " ")
			if (w[5] != "marker" || w[10] != "exit" || up == "") {
				print "BENCH-ERROR " vmm ": " (line == "" ? "no run line" : line); exit
			}
			printf "BENCH-RUN %s init_ms=%d exit_ms=%d rss_kib=%d uptime_ms=%d status=%d\n",
				vmm, w[6], w[11], w[15], up, w[18]
		}'
}
for i in $(seq "$RUNS"); do
	one_run elvisor $E/elvisor
	one_run kvmtool $LKVM
done
if [ "${BENCH_PROFILE:-}" = 1 ]; then
	vmm $E/elvisor --timings < /dev/null 2>&1 | tr -d '\r' | sed -n 's/^elvisor: timing/PROFILE &/p'
	PARAMS="console=ttyS0 printk.time=1 loglevel=7"
	vmm $E/elvisor < /dev/null 2>&1 | tr -d '\r' | sed 's/^/KLOG-elvisor /'
	vmm $LKVM < /dev/null 2>&1 | tr -d '\r' | sed 's/^/KLOG-kvmtool /'
fi
bench_kernel_log_check
