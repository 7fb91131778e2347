# groups: order=10 test=elvisor-6.1 full=kvm-6.1,kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: a Debian guest reaches init with 1, 2 and 4 vCPUs, all online, and powers off with status 0; a reset gives status 3; lkvm's long flags and positional kernel; `--dtb-dump`
# Linux guests boot to init with 1, 2 and 4 vCPUs and power off (status 0);
# a guest reset ends elvisor with status 3 by default. Runs on both
# backends with the same expectations (on elvisor.ko this is the proof:
# vGICv3, arch timers, SMP).
. ./lib.sh
backend_up
for n in 1 2 4; do
	boot_guest boot$n -c $n
	expect_exit boot$n 0 "boot.cpus$n.poweroff-exit-0"
	expect_report boot$n nprocs $n "boot.cpus$n.all-online"
	grep -q ELV-GUEST-INIT /tmp/boot$n.out && pass "boot.cpus$n.reached-init" ||
		fail "boot.cpus$n.reached-init" "no init marker"
	if grep -qiE "rcu.*stall|soft lockup|hung task|Oops|BUG:" /tmp/boot$n.out; then
		fail "boot.cpus$n.guest-log-clean" "$(grep -iE 'rcu.*stall|soft lockup|hung task|Oops|BUG:' /tmp/boot$n.out | head -n 2 | tr -d '\r' | tr '\n' ' ')"
	else
		pass "boot.cpus$n.guest-log-clean"
	fi
done
# --timings: at exit, one line per phase on stderr, in order (docs/cli.md);
# the vCPU threads' lines may fall anywhere after their start. Without the
# flag, no such line.
boot_guest timings -c 2 --timings
expect_exit timings 0 boot.timings.poweroff-exit-0
sed -n 's/^elvisor: timing .* ms  //p' /tmp/timings.out | tr -d '\r' > /tmp/timings.phases
cat > /tmp/timings.want <<'EOF'
options and config
KVM open and VM create
backend probe
vCPU config check
guest memory map
kernel read into guest RAM
initrd read into guest RAM
GIC create
vCPU create and INIT
GIC init
devices
device tree
boot registers
console
sandbox filter build, main thread
sandbox filter load, main thread
first KVM_RUN (vCPU 0)
guest ran, to SYSTEM_OFF
main loop woken
vCPU threads stopped
devices stopped and flushed
vCPU and GIC fds closed
guest memory unmapped
VM closed
exit
EOF
missing=$(awk 'BEGIN { n = j = 0 } FNR == NR { want[n++] = $0; next }
	{ if (j < n && $0 == want[j]) j++ }
	END { if (n < 25) print "(the expected list)"; else if (j < n) print want[j] }' \
	/tmp/timings.want /tmp/timings.phases)
vcpu_loads=$(grep -c '^sandbox filter load, a vCPU thread$' /tmp/timings.phases)
if [ -n "$missing" ]; then
	fail boot.timings.every-phase-in-order "phase '$missing' missing or out of order: $(tr '\n' ',' < /tmp/timings.phases)"
	show_output timings
elif ! grep -q '^vCPU threads started$' /tmp/timings.phases || [ "$vcpu_loads" != 2 ]; then
	fail boot.timings.every-phase-in-order "no 'vCPU threads started', or $vcpu_loads vCPU sandbox loads (expected 2)"
else
	pass boot.timings.every-phase-in-order
fi
# An uncompressed kernel and the initrd are read straight into guest RAM,
# never into a copy first (docs/performance.md).
if grep -q '^images copied to guest RAM$' /tmp/timings.phases; then
	fail boot.timings.images-not-copied "the images went through a copy"
else
	pass boot.timings.images-not-copied
fi
if grep -q '^elvisor: timing' /tmp/boot2.out; then
	fail boot.timings.off-by-default "timing lines without --timings"
else
	pass boot.timings.off-by-default
fi
boot_guest reset -p "$GUEST_CMDLINE elv.mode=reset"
expect_exit reset 3 "boot.reset-exits-3"
# lkvm-style positional kernel and the long options
run_vm lkvm --mem 128 --cpus 1 --initrd $INITRD --params "$GUEST_CMDLINE" --console serial \
	--network mode=none --loglevel warning $KERNEL
expect_exit lkvm 0 "boot.lkvm-style-flags"
# --dtb-dump writes a device tree blob (magic d00dfeed)
boot_guest dtb --dtb-dump /tmp/guest.dtb
magic=$(hexdump -n 4 -e '4/1 "%02x"' /tmp/guest.dtb 2>/dev/null)
[ "$magic" = d00dfeed ] && pass boot.dtb-dump || fail boot.dtb-dump "magic '$magic'"
# --on-reset reboot: the guest comes back (all vCPUs online again); SIGTERM
# then stops elvisor with status 130. Waits for two full reports (at most
# GUEST_TIMEOUT s), not for a fixed time: a slow machine must not fail it.
: > /tmp/reboot.out
$E/elvisor run -k $KERNEL -i $INITRD -m 256 -c 2 -p "$GUEST_CMDLINE elv.mode=reset" \
	--on-reset reboot >> /tmp/reboot.out 2>&1 < /dev/null &
reboot_pid=$!
i=0
while [ $i -lt "$GUEST_TIMEOUT" ] && [ "$(grep -c 'ELV-REPORT nprocs=' /tmp/reboot.out)" -lt 2 ] &&
	kill -0 $reboot_pid 2>/dev/null; do
	sleep 1; i=$((i + 1))
done
kill -TERM $reboot_pid 2>/dev/null
wait $reboot_pid
echo $? > /tmp/reboot.rc
boots=$(grep -c ELV-GUEST-INIT /tmp/reboot.out)
online=$(grep -c "ELV-REPORT nprocs=2" /tmp/reboot.out)
[ "$boots" -ge 2 ] && [ "$online" = "$boots" -o "$online" = $((boots - 1)) ] &&
	pass boot.reboot-restarts-guest || fail boot.reboot-restarts-guest "boots=$boots reports-with-2-cpus=$online"
expect_exit reboot 130 boot.sigterm-exits-130
# With stdin at end of file (< /dev/null) the VMM's main thread must stop
# polling it rather than spin: its CPU time over 3 s of an idle guest (a
# shell waiting for input) stays near zero.
$E/elvisor run -k $KERNEL -i $INITRD -m 256 -p "$GUEST_CMDLINE elv.mode=shell" > /tmp/idle.out 2>&1 < /dev/null &
idle=$!
i=0
while [ $i -lt 120 ] && ! grep -q "guest shell" /tmp/idle.out; do sleep 1; i=$((i + 1)); done
ticks() { awk '{ print $14 + $15 }' /proc/$idle/task/$idle/stat; }
t0=$(ticks); sleep 3; t1=$(ticks)
kill $idle; wait $idle 2>/dev/null
if ! grep -q "guest shell" /tmp/idle.out; then
	fail boot.stdin-eof-no-spin "the guest shell never came up"
	show_output idle
elif [ $((t1 - t0)) -lt 30 ]; then
	pass boot.stdin-eof-no-spin
else
	fail boot.stdin-eof-no-spin "main thread used $((t1 - t0)) ticks in 3 s with stdin at EOF"
fi
backend_down
