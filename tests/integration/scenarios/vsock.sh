# groups: order=53 test=kvm-6.1 full=elvisor-6.1,kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: `--vsock CID` through the host's vhost-vsock, sandbox on: a guest echoes through a host listener (CID 2) and the host echoes through the guest's with kicks through KVM_IOEVENTFD and interrupts through KVM_IRQFD, then with `--virtio-no-eventfd` in each of two boots (`--on-reset reboot`), also after a driver reload (a device reset and a second DRIVER_OK), a second VM with the same CID, a missing `/dev/vhost-vsock` and bad CIDs (flag and `[devices.vsock] cid`) are each refused with one clear line
# virtio-vsock from inside a guest: elv-vsock (guest/tools/vsock.c) runs as
# a listener and a client on both sides; the guest's elv.mode=vsock serves
# one echo on port 1234 and echoes through the host's listener on 1235.
. ./lib.sh
backend_up
M=$E/host-modules

wait_count() { # NAME TEXT COUNT SECONDS: TEXT seen COUNT times
	i=0
	while [ $i -lt $(($4 * 5)) ]; do
		[ "$(grep -c "$2" /tmp/$1.out)" -ge $3 ] && return 0
		kill -0 $pid 2>/dev/null || return 1
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
reap() { # NAME SECONDS
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt $(($2 * 5)) ]; do sleep 0.2; i=$((i + 1)); done
	kill -9 $pid 2>/dev/null
	wait $pid; echo $? > /tmp/$1.rc
}
# one_line_error NAME "substring" CHECK: expect_error, and the message is one line.
one_line_error() {
	if [ "$(tr -d '\r' < /tmp/$1.out | grep -c .)" != 1 ]; then
		fail "$3" "expected one line, got: $(head -n 4 /tmp/$1.out | tr '\n' ' ')"
	else
		expect_error "$@"
	fi
}
guestval() { tr -d '\r' < /tmp/$1.out | sed -n "s/^ELV-VSOCK $2//p" | head -n 1; }

loaded=yes
for m in $(cat $M/vsock-order 2>/dev/null); do
	grep -q "^$m " /proc/modules || insmod $M/$m.ko || loaded=no
done
if [ ! -f $M/vsock-order ] || [ $loaded = no ] || [ ! -c /dev/vhost-vsock ]; then
	fail vsock.host-modules "vhost_vsock not loaded ($(cat $M/vsock-order 2>/dev/null | tr '\n' ' ')): $(dmesg | tail -n 2)"
	backend_down
	exit 1
fi
pass vsock.host-modules

# 1. Both directions, one guest at CID 3.
$E/elv-vsock listen 1235 > /tmp/host-listen.out 2>&1 &
hl=$!
bg_vm g1 -k $KERNEL -i $INITRD -m 256 --vsock 3 --loglevel info -p "$GUEST_CMDLINE elv.mode=vsock"
if wait_for g1 "ELV-VSOCK listening=listening 1234" $GUEST_TIMEOUT; then
	pass vsock.guest-listens
	# 2. A second VM with the same CID, while the first holds it.
	run_vm dup -k $KERNEL -i $INITRD -m 256 --vsock 3
	one_line_error dup "--vsock 3: CID 3 is in use by another VM" vsock.cid-in-use-refused
	got=$($E/elv-vsock connect 3 1234 from-host 2>&1)
	if [ "$got" = from-host ]; then pass vsock.host-to-guest-echo; else
		fail vsock.host-to-guest-echo "host got '$got', expected 'from-host'"
	fi
else
	fail vsock.guest-listens "no ELV-VSOCK listening line"
	show_output g1
fi
reap g1 $GUEST_TIMEOUT
kill $hl 2>/dev/null
expect_exit g1 0 vsock.poweroff-exit-0
got=$(guestval g1 "guest->host=")
if [ "$got" = from-guest ]; then pass vsock.guest-to-host-echo; else
	fail vsock.guest-to-host-echo "guest got '$got', expected 'from-guest'"
fi
if grep -q "echoed from-guest" /tmp/host-listen.out; then pass vsock.host-listener-saw-guest; else
	fail vsock.host-listener-saw-guest "$(cat /tmp/host-listen.out)"
fi
got=$(guestval g1 "host->guest ")
if [ "$got" = "rc=0 echoed from-host" ]; then pass vsock.guest-listener-saw-host; else
	fail vsock.guest-listener-saw-host "guest says '$got'"
fi

if grep -q "virtio-vsock at .*kicks through KVM_IOEVENTFD, interrupts through KVM_IRQFD" /tmp/g1.out; then
	pass vsock.eventfd-paths
else
	fail vsock.eventfd-paths "$(grep -a 'virtio-vsock' /tmp/g1.out | head -n 2 | tr '\n' ' ')"
fi

# 3. Kicks through MMIO exits (written to vhost's kick eventfd by the VMM)
# and interrupts through KVM_IRQ_LINE, at CID 4; in each of two boots (the
# guest resets the machine, --on-reset reboot) the guest echoes both ways,
# reloads its driver (reset, DRIVER_OK again) and echoes through the host
# once more.
$E/elv-vsock listen 1235 4 > /tmp/host-listen2.out 2>&1 &
hl=$!
bg_vm g2 -k $KERNEL -i $INITRD -m 256 --vsock 4 --virtio-no-eventfd --on-reset reboot \
	-p "$GUEST_CMDLINE elv.mode=vsock elv.vsock.again=1 elv.vsock.reboot=1"
for boot in 1 2; do
	if wait_count g2 "ELV-VSOCK listening=listening 1234" $boot $GUEST_TIMEOUT; then
		got=$($E/elv-vsock connect 4 1234 from-host-$boot 2>&1)
		if [ "$got" = from-host-$boot ]; then pass vsock.no-eventfd.boot$boot.host-to-guest-echo; else
			fail vsock.no-eventfd.boot$boot.host-to-guest-echo "host got '$got', expected 'from-host-$boot'"
		fi
	else
		fail vsock.no-eventfd.boot$boot.host-to-guest-echo "no ELV-VSOCK listening line in boot $boot"
		show_output g2
	fi
done
wait_count g2 "ELV-VSOCK again=" 2 $GUEST_TIMEOUT
kill $pid 2>/dev/null
reap g2 10
kill $hl 2>/dev/null
n=$(tr -d '\r' < /tmp/g2.out | grep -c "^ELV-VSOCK guest->host=from-guest$")
if [ "$n" = 2 ]; then pass vsock.no-eventfd.guest-to-host-echo-both-boots; else
	fail vsock.no-eventfd.guest-to-host-echo-both-boots "$n of 2 boots echoed"
fi
n=$(tr -d '\r' < /tmp/g2.out | grep -c "^ELV-VSOCK again=again$")
h=$(grep -c "echoed again" /tmp/host-listen2.out)
if [ "$n" = 2 ] && [ "$h" = 2 ]; then pass vsock.driver-reload-echoes-again-both-boots; else
	fail vsock.driver-reload-echoes-again-both-boots "guest $n, host listener $h of 2"
	show_output g2
fi

# 4. Bad CIDs: one line naming the flag or key and the range.
for c in 0 2 4294967295 x; do
	run_vm bad -k $KERNEL -i $INITRD --vsock $c
	one_line_error bad "--vsock $c: expected a guest CID from 3 to 4294967294" vsock.bad-cid-$c-refused
done
printf '[devices.vsock]\ncid = 1\n' > /tmp/vsock.toml
run_vm badcfg -k $KERNEL -i $INITRD --config /tmp/vsock.toml
one_line_error badcfg "cid: expected an integer from 3 to 4294967294, got 1" vsock.bad-config-cid-refused

# 5. No /dev/vhost-vsock: the module unloaded (the node renamed if it cannot be).
if rmmod vhost_vsock 2>/dev/null; then how=rmmod; else mv /dev/vhost-vsock /dev/vhost-vsock.off; how=renamed; fi
run_vm nodev -k $KERNEL -i $INITRD --vsock 3
one_line_error nodev "/dev/vhost-vsock: No such file or directory (load the vhost_vsock module)" vsock.no-vhost-refused
echo "# /dev/vhost-vsock removed by: $how"
[ $how = renamed ] && mv /dev/vhost-vsock.off /dev/vhost-vsock
backend_down
