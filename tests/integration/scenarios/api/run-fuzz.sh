# groups: order=110 test=elvisor-6.1 full=kvm-6.1,elvisor-6.12   (tests/integration/groups.sh)
# proves: the concurrent API fuzzer (`api-fuzz`, below): the targeted checks (irqfd assign/deassign race, irqfd EPOLLHUP, irqfd before the vGIC, ioeventfd count), then 30 s (`make test-full`: 60 s) of random ioctls from 4 threads on one VM at a time under a running guest; every call returns (watchdog), the kernel log is clean (`slub_debug=FZPU` on elvisor.ko, every kmalloc cache validated at the end), the module unloads. On the reference it checks the fuzzer itself
# host-cmdline elvisor: slub_debug=FZPU
# In-host script (busybox sh) for scripts/host-run.sh: api-fuzz against the
# backend the host booted with (elvisor.ko under kvm-arm.mode=none, else the
# host's KVM, where it checks the fuzzer itself): the targeted irqfd and
# ioeventfd checks, then a bounded concurrent fuzzing round (FUZZ_ARGS,
# default 30 s in make test and 60 s in make test-full, 4 threads, a fresh seed the output names), then the kernel
# log (slub_debug on elvisor: a use-after-free shows as poison overwritten;
# every kmalloc cache is validated at the end) and, on elvisor, that the
# module unloads once every fd is closed.
# An api-fuzz or elvisor.ko in /test (make fuzz-hyp passes the fresh ones)
# wins over the image's. Prints ok/FAIL lines and "N passed, N failed".
. ./lib.sh
pass=0 fail=0
check() { if [ "$2" = 0 ]; then echo "ok $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
fuzz=$E/api-fuzz ko=$E/elvisor.ko
[ -x ./api-fuzz ] && fuzz=./api-fuzz
[ -f ./elvisor.ko ] && ko=./elvisor.ko
# shellcheck disable=SC1091
[ -f ./fuzz.env ] && . ./fuzz.env
elv=0
if is_elvisor; then
	elv=1
	insmod $ko; check fuzz.insmod $?
fi
# make test fuzzes 30 s, make test-full 60 s (ELV_TEST_FULL=1, run.sh).
[ "${ELV_TEST_FULL:-}" = 1 ] && fuzz_secs=60 || fuzz_secs=30
echo "# host $(host_name), api-fuzz ${FUZZ_ARGS:--t $fuzz_secs -j 4}"
# Targeted checks: ok/FAIL lines of their own (counted here).
for c in irqfd-race irqfd-hup irqfd-vgic ioeventfd-many; do
	timeout 300 $fuzz -c $c > /tmp/check.out 2>&1; st=$?
	cat /tmp/check.out
	pass=$((pass + $(grep -c '^ok ' /tmp/check.out)))
	fail=$((fail + $(grep -c '^FAIL ' /tmp/check.out)))
	[ $st = 0 ] || [ $st = 1 ]; check "fuzz.check_$c.returned" $?
done
# The fuzzing round: its own watchdog fails on a call that never returns.
timeout 900 $fuzz ${FUZZ_ARGS:--t $fuzz_secs -j 4} > /tmp/fuzz.out 2>&1; st=$?
cat /tmp/fuzz.out
[ $st = 0 ] && grep -q '^ok fuzz.run' /tmp/fuzz.out; check fuzz.run $?
if [ $elv = 1 ]; then
	rmmod elvisor; check fuzz.rmmod_after_close $?
fi
# Free objects' poison and red zones, checked now rather than at the next
# allocation (needs slub_debug; the reference host has none).
for v in /sys/kernel/slab/kmalloc-*/validate /sys/kernel/slab/eventfd*/validate; do
	[ -w "$v" ] && echo 1 > "$v" 2>/dev/null
done
pat="WARNING|BUG|Oops|Call trace|refcount|corruption|Poison|Redzone|hung task|soft lockup|stall"
dmesg | grep -E "$pat" > /tmp/reports
[ ! -s /tmp/reports ]; st=$?
if [ $st != 0 ]; then
	echo "# kernel reports ($(wc -l < /tmp/reports) lines), first ones:"
	head -n 20 /tmp/reports
	dmesg | grep -B2 -A25 -m1 -E "$pat" | head -n 60
fi
check fuzz.kernel_log_clean $st
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
