# make bench: interrupt delivery with the in-kernel GICv3, on this
# host's backend: bm-irqbench on 2 vCPUs, 3 runs. Per run, the payload's
# medians: SGI round trip between the vCPUs, virtual and physical timer
# latency (WFI wake-up to acknowledge); printed as "BENCH key ns".
# The payload also checks the GIC and timers (docs/testing.md): any error
# is a BENCH-ERROR line and the script exits 1, which fails make bench.
. ./lib.sh
bench_backend_up
BM=$E/bm-irqbench.bin
[ -f ./bm-irqbench.bin ] && BM=./bm-irqbench.bin	# a payload handed to host-run.sh

bm_val() { # KEY: the payload's "BM KEY=0x..." as a decimal number
	v=$(sed -n "s/^BM $1=0x\([0-9a-f]*\).*/\1/p" /tmp/irq.out | tr -d '\r' | head -n 1)
	[ -n "$v" ] && echo $((0x$v))
}

# irqbench NAME [PREFIX]: one run of the payload; 0 if it completed cleanly.
irqbench() {
	timeout 300 $2 $E/elvisor run -c 2 -m 64 -k $BM > /tmp/irq.out 2>&1 < /dev/null
	rc=$?
	err=$(sed -n 's/^BM irqbench_error=//p' /tmp/irq.out | tr -d '\r')
	if [ $rc != 0 ] || [ -n "$err" ] || ! grep -q '^BM-END' /tmp/irq.out; then
		echo "BENCH-ERROR irqbench $1: status $rc, error '$err' ($(bm_val irqbench_error_val))"
		tail -n 5 /tmp/irq.out | tr -d '\r'
		return 1
	fi
	# Every ping answered: the cheap correctness check of the SGI path.
	if [ "$(bm_val ipi_cpu1_pings)" != "$(bm_val ipi_rounds)" ]; then
		echo "BENCH-ERROR irqbench $1: $(bm_val ipi_rounds) pings, $(bm_val ipi_cpu1_pings) answered"
		return 1
	fi
}
errors=0

for i in 1 2 3; do
	irqbench "run $i" || { errors=$((errors + 1)); continue; }
	echo "BENCH ipi_ns $(bm_val ipi_rtt_ns_median)"
	echo "BENCH vtimer_ns $(bm_val vtimer_ns_median)"
	echo "BENCH ptimer_ns $(bm_val ptimer_ns_median)"
	echo "BENCH-INFO run $i: ipi max $(bm_val ipi_rtt_ns_max) ns; timer shots already due before WFI: vtimer $(bm_val vtimer_late) of $(bm_val vtimer_shots), ptimer $(bm_val ptimer_late) of $(bm_val ptimer_shots)"
done
# The same with every elvisor thread on host CPU 0: a vCPU then never has
# to be woken on another CPU, which tells the cost of that wake-up apart.
for i in 1 2 3; do
	irqbench "run $i on one host CPU" "taskset 1" || { errors=$((errors + 1)); continue; }
	echo "BENCH ipi_1cpu_ns $(bm_val ipi_rtt_ns_median)"
done
bench_kernel_log_check || errors=$((errors + 1))
echo "BENCH-SUMMARY irqbench: $errors of 6 runs failed"
[ "$errors" = 0 ]
