# Linux guests on elvisor.ko (vGICv3, arch timers, SMP): the Debian kernel
# boots to init with 1, 2 and 4 vCPUs (all online) and powers off with
# status 0; a reset ends elvisor with status 3. Same expectations as
# boot.sh on the reference.
. ./lib.sh
backend_up
for n in 1 2 4; do
	boot_guest lnx$n -c $n
	expect_exit lnx$n 0 "linux.cpus$n.poweroff-exit-0"
	expect_report lnx$n nprocs $n "linux.cpus$n.all-online"
	grep -q ELV-GUEST-INIT /tmp/lnx$n.out && pass "linux.cpus$n.reached-init" ||
		fail "linux.cpus$n.reached-init" "no init marker"
	if grep -qiE "rcu.*stall|soft lockup|hung task|timekeeping watchdog|Oops|BUG:" /tmp/lnx$n.out; then
		fail "linux.cpus$n.guest-log-clean" "$(grep -iE 'rcu.*stall|soft lockup|hung task|Oops|BUG:' /tmp/lnx$n.out | head -n 2)"
	else
		pass "linux.cpus$n.guest-log-clean"
	fi
done
boot_guest lnxreset -c 2 -p "quiet elv.mode=reset"
expect_exit lnxreset 3 "linux.reset-exits-3"
backend_down
