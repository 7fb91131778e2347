# make bench: HVC and MMIO-exit round trips on this host's backend.
. ./lib.sh
bench_backend_up
for i in 1 2 3; do
	timeout 120 $E/elvisor run --irqchip=none -m 64 -k $E/bm-bench.bin > /tmp/b.out 2>&1 < /dev/null
	for k in hvc_ns mmio_ns; do
		v=$(sed -n "s/^BM $k=0x\([0-9a-f]*\).*/\1/p" /tmp/b.out | tr -d '\r')
		[ -n "$v" ] && echo "BENCH $k $((0x$v))" || { echo "BENCH-ERROR $k"; tail -n 5 /tmp/b.out; }
	done
done
