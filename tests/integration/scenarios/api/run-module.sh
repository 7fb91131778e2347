# groups: order=80 test=kvm-6.1,kvm-6.12,elvisor-6.1,elvisor-6.12   (tests/integration/groups.sh)
# proves: elvisor.ko refuses to load while the host's KVM owns EL2 (one log line); under `kvm-arm.mode=none` it loads, `devname=` renames the node, it is pinned while an fd is open (`rmmod` refused while a background process holds `/dev/kvm` open; a module without `.owner` in its fops fails `module.pinned_while_fd_open`, then oopses the host when that fd is closed), unloads and reloads, with a clean kernel log
# In-host script (busybox sh) for scripts/host-run.sh: elvisor.ko load rules.
# Under --backend kvm the module must refuse to load (the host's KVM owns
# EL2); under --backend elvisor it loads, honours devname=, and unloads.
# Prints ok/FAIL lines and "N passed, N failed"; exits non-zero on failure.
pass=0 fail=0
check() { if [ "$2" = 0 ]; then echo "ok $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
if grep -q kvm-arm.mode=none /proc/cmdline; then
	insmod /elvisor/elvisor.ko devname=elvkvm; check module.load_devname $?
	[ -c /dev/elvkvm ] && [ ! -e /dev/kvm ]; check module.devname_node $?
	/elvisor/api-reglist -d /dev/elvkvm none > /dev/null; check module.devname_works $?
	rmmod elvisor; check module.unload $?
	[ ! -e /dev/elvkvm ]; check module.node_removed $?
	insmod /elvisor/elvisor.ko; check module.reload $?
	[ -c /dev/kvm ]; check module.default_node $?
	/elvisor/api-reglist none > /dev/null; check module.use $?
	# The module stays pinned while an fd is open: a background process
	# holds /dev/kvm (its fd 4) across the rmmod, which must refuse; once
	# it is gone, the module unloads. (Not this shell's own fd: any close
	# of a file whose module is gone would oops before the FAIL line.)
	sleep 600 4<> /dev/kvm &
	holder=$! i=0
	while [ ! -e /proc/$holder/fd/4 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -e /proc/$holder/fd/4 ]; check module.fd_held $?
	rmmod elvisor 2> /dev/null; [ $? != 0 ]; check module.pinned_while_fd_open $?
	[ -c /dev/kvm ] && grep -q "^elvisor " /proc/modules; check module.still_loaded $?
	kill $holder; wait $holder 2> /dev/null
	rmmod elvisor; check module.unload_again $?
else
	insmod /elvisor/elvisor.ko 2> /tmp/err; st=$?
	[ "$st" != 0 ]; check module.refused_with_host_kvm $?
	dmesg | grep -q "elvisor: .*host's KVM is active"; check module.refusal_logged $?
	dmesg | grep "elvisor:" | tail -n 1
	[ -c /dev/kvm ]; check module.host_kvm_untouched $?
fi
dmesg | grep -E "WARNING|BUG|Oops|Call trace"; [ $? != 0 ]; check module.kernel_log_clean $?
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
