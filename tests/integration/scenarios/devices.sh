# groups: order=50 test=kvm-6.1,elvisor-6.1 full=kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: two disks (one read-only, serial ids), data flushed in the guest is in the image after power-off and after SIGKILL of the VMM, read-only writes fail with EIO, virtio-rng, tap network (ping the host end), virtio console both ways, the MMIO-exit/IRQ_LINE fallback (`--virtio-no-eventfd`), the seccomp sandbox stopping a forbidden syscall from a vCPU thread. Every other guest's devices must use KVM_IOEVENTFD for kicks and KVM_IRQFD for interrupts (the VMM names both per device with `--loglevel info`; `devices.eventfd-paths`), with no fallback warning: a VMM whose KVM_IRQFD assign fails (a scratch mutant) fails these checks on elvisor-6.1. On both backends
# virtio devices from inside a guest (reference KVM, sandbox on): two disks
# (one read-only) with serial ids, rng, tap network, the virtio console;
# data the guest flushed is on the host file after power-off and after the
# VMM is killed; a forbidden system call from a vCPU thread kills the VMM
# (--sandbox=trap: names it); a reboot in the middle of block I/O. Runs on
# the reference KVM and on elvisor.ko: every device must use KVM_IOEVENTFD
# and KVM_IRQFD, which every host offers, unless told not to.
. ./lib.sh
backend_up
insmod $E/host-modules/tun.ko 2>/dev/null

check() { # CHECK command...: ok when the command succeeds
	n=$1; shift
	if "$@"; then pass "$n"; else fail "$n" "$*"; fi
}
pattern_md5() { yes "$1" | head -c 65536 | md5sum | cut -c1-32; }
host_md5() { dd if=$1 bs=4096 skip=256 count=16 2>/dev/null | md5sum | cut -c1-32; }
# reap NAME SECONDS: wait for elvisor to finish, killing it after SECONDS.
reap() {
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt $(($2 * 5)) ]; do sleep 0.2; i=$((i + 1)); done
	kill -9 $pid 2>/dev/null
	wait $pid; echo $? > /tmp/$1.rc
}

dd if=/dev/zero of=/tmp/rw.img bs=1M count=8 2>/dev/null
printf HOSTDATA | dd of=/tmp/rw.img conv=notrunc 2>/dev/null
dd if=/dev/zero of=/tmp/ro.img bs=1M count=4 2>/dev/null
printf RODATA00 | dd of=/tmp/ro.img conv=notrunc 2>/dev/null
cp /tmp/ro.img /tmp/ro.orig

# 1. Everything at once.
bg_vm full -k $KERNEL -i $INITRD -m 256 -d /tmp/rw.img,serial=elvrw \
	-d /tmp/ro.img,ro,serial=elvro --rng -n mode=tap,tapif=elvt0 --loglevel info \
	-p "$GUEST_CMDLINE elv.mode=devices elv.dev.write=vda elv.dev.ro=vdb elv.dev.net=192.168.77.2,192.168.77.1"
i=0
while ! ip link show elvt0 >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
ip addr add 192.168.77.1/24 dev elvt0 && ip link set elvt0 up
reap full $GUEST_TIMEOUT
expect_exit full 0 devices.poweroff-exit-0
expect_dev full modules loaded devices.guest-loaded-virtio-modules
expect_dev full disk.vda.sectors 16384 devices.blk.capacity
expect_dev full disk.vdb.sectors 8192 devices.blk.second-disk
expect_dev full disk.vda.serial elvrw devices.blk.serial-id
expect_dev full disk.vdb.serial elvro devices.blk.serial-id-second
expect_dev full disk.vda.head HOSTDATA devices.blk.reads-host-data
expect_dev full write.vda ok devices.blk.guest-write-and-sync
expect_dev full readback.vda "$(pattern_md5 ELVPATTERN)" devices.blk.guest-reads-back
check devices.blk.flushed-data-on-host [ "$(host_md5 /tmp/rw.img)" = "$(pattern_md5 ELVPATTERN)" ]
expect_dev full ro.vdb.write EIO devices.blk.ro-write-is-io-error
check devices.blk.ro-image-untouched cmp -s /tmp/ro.img /tmp/ro.orig
expect_dev full rng.current virtio_rng.0 devices.rng.is-current
expect_dev full rng.bytes 64 devices.rng.reads
expect_dev full net.mac 52:54:00:e1:00:01 devices.net.mac
expect_dev full net.ping ok devices.net.ping-host-end-of-tap
if grep -q "needs a reset" /tmp/full.out; then
	fail devices.no-device-failed "$(grep 'needs a reset' /tmp/full.out | head -n 1)"
else
	pass devices.no-device-failed
fi
# Every host (kvm-6.1, kvm-6.12, elvisor.ko on both) offers KVM_CAP_IOEVENTFD
# and KVM_CAP_IRQFD: the harness knows it, so a device that fell back to MMIO
# exits or KVM_IRQ_LINE fails here (the VMM names each device's paths).
expect_eventfd_paths() { # NAME DEVICES CHECK
	lines=$(tr -d '\r' < /tmp/$1.out | grep 'elvisor: .* at 0x[0-9a-f]*, SPI [0-9]*, kicks through ')
	n=$(printf '%s\n' "$lines" | grep -c 'kicks through KVM_IOEVENTFD, interrupts through KVM_IRQFD$')
	if [ "$n" = "$2" ] && [ "$(printf '%s\n' "$lines" | grep -c .)" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "$n of $2 devices on KVM_IOEVENTFD+KVM_IRQFD: $(printf '%s\n' "$lines" | grep -v 'kicks through KVM_IOEVENTFD, interrupts through KVM_IRQFD$' | head -n 2 | tr '\n' ';')"
	fi
	if grep -q "KVM_IOEVENTFD for queue\|KVM_IRQFD: \|kick came as an MMIO exit" /tmp/$1.out; then
		fail "$3.no-fallback" "$(grep 'KVM_IOEVENTFD for queue\|KVM_IRQFD: \|kick came as an MMIO exit' /tmp/$1.out | head -n 1)"
	else
		pass "$3.no-fallback"
	fi
}
expect_eventfd_paths full 4 devices.eventfd-paths

# 1b. The fallback without KVM_IOEVENTFD/KVM_IRQFD: MMIO exits, KVM_IRQ_LINE.
run_vm fallback -k $KERNEL -i $INITRD -m 256 -d /tmp/rw.img --rng --virtio-no-eventfd \
	--loglevel info -p "$GUEST_CMDLINE elv.mode=devices elv.dev.write=vda elv.dev.pattern=FALLBACK"
expect_exit fallback 0 devices.fallback.poweroff-exit-0
check devices.fallback.uses-irq-line grep -q "kicks through MMIO exits, interrupts through KVM_IRQ_LINE" /tmp/fallback.out
expect_dev fallback readback.vda "$(pattern_md5 FALLBACK)" devices.fallback.blk-write-read
expect_dev fallback rng.bytes 64 devices.fallback.rng-reads

# 2. SIGKILL after the guest flushed: nothing flushed is lost.
bg_vm kill -k $KERNEL -i $INITRD -m 256 -d /tmp/rw.img \
	-p "$GUEST_CMDLINE elv.mode=devices elv.dev.write=vda elv.dev.pattern=KILLTEST elv.dev.hang=1"
if wait_for kill "ELV-DEV done=1" $GUEST_TIMEOUT; then
	kill -9 $pid; wait $pid
	check devices.blk.sigkill-after-flush-loses-nothing \
		[ "$(host_md5 /tmp/rw.img)" = "$(pattern_md5 KILLTEST)" ]
else
	fail devices.blk.sigkill-after-flush-loses-nothing "the guest did not finish its write"
	show_output kill
	reap kill 1
fi

# 3. virtio console: hvc0 on elvisor's stdin/stdout; the VMM creates a tap.
# Typing starts once the guest has its console (its first line on hvc0).
mkfifo /tmp/hvc.in
$E/elvisor run -k $KERNEL -i $INITRD -m 256 --console virtio -n mode=tap --loglevel info \
	-p "$GUEST_CMDLINE elv.mode=devices" > /tmp/hvc.out 2>&1 < /tmp/hvc.in &
pid=$!
exec 3> /tmp/hvc.in
wait_for hvc "hvc0=output" $GUEST_TIMEOUT && echo hello-hvc0 >&3
exec 3>&-
reap hvc $GUEST_TIMEOUT
expect_exit hvc 0 devices.console.poweroff-exit-0
expect_dev hvc hvc0 output devices.console.guest-output-on-stdout
expect_dev hvc hvc0.input hello-hvc0 devices.console.stdin-reaches-guest
check devices.net.tap-created-when-not-named grep -q "on tap elvtap0" /tmp/hvc.out
expect_eventfd_paths hvc 2 devices.console.eventfd-paths

# 4. Sandbox: a forbidden call from a vCPU thread kills the VMM at once
# (SIGSYS: status 128 + 31 from the shell, no code of ours runs after it);
# --sandbox=trap names the call instead and exits 1.
run_vm sbx -k $KERNEL -i $INITRD -m 256 -p quiet --loglevel info --sandbox-selftest
expect_exit sbx 159 devices.sandbox.vcpu-forbidden-syscall-kills
if ! grep -q "sandbox self-test: the vCPU thread opens a socket" /tmp/sbx.out; then
	fail devices.sandbox.killed-at-the-call "the self-test did not run"
elif grep -q "was not stopped\|ELV-GUEST-INIT\|Booting Linux" /tmp/sbx.out; then
	fail devices.sandbox.killed-at-the-call "$(grep 'was not stopped\|ELV-GUEST-INIT\|Booting Linux' /tmp/sbx.out | head -n 1)"
else
	pass devices.sandbox.killed-at-the-call
fi
run_vm sbxtrap -k $KERNEL -i $INITRD -m 256 -p quiet --sandbox=trap --sandbox-selftest
expect_error sbxtrap "vCPU thread made a forbidden system call: socket" devices.sandbox.trap-names-the-call
run_vm sbxoff -k $KERNEL -i $INITRD -m 256 -p quiet --sandbox=off --sandbox-selftest
expect_exit sbxoff 0 devices.sandbox.off-lets-the-guest-run

# 5. --on-reset reboot in the middle of block I/O: the guest shell keeps
# reading and writing the disk (O_DIRECT, in a loop) and resets the machine;
# the VMM quiesces and resets every virtio device before it reloads the
# images, so the second boot finds a clean device: it reads the disk again
# and powers off. The markers are computed ($((...))) so that the tty's echo
# of the typed line does not match them.
dd if=/dev/zero of=/tmp/rb.img bs=1M count=8 2>/dev/null
mkfifo /tmp/rb.in
$E/elvisor run -k $KERNEL -i $INITRD -m 256 -d /tmp/rb.img --rng --on-reset reboot \
	--loglevel info -p "$GUEST_CMDLINE elv.mode=shell" > /tmp/rb.out 2>&1 < /tmp/rb.in &
pid=$!
exec 3> /tmp/rb.in
mods='for m in $(cat /lib/modules/elv/order); do insmod /lib/modules/elv/$m.ko; done 2>/dev/null; sleep 1'
if wait_for rb "guest shell" $GUEST_TIMEOUT; then
	sleep 1
	echo "$mods; (while :; do dd if=/dev/vda of=/dev/null bs=64k iflag=direct 2>/dev/null; dd if=/dev/zero of=/dev/vda bs=64k count=64 oflag=direct 2>/dev/null; done) & sleep 3; echo RB-IO-\$((6*7)); reboot -f" >&3
fi
i=0
while [ "$(grep -c 'guest shell' /tmp/rb.out)" -lt 2 ] && kill -0 $pid 2>/dev/null && [ $i -lt $((GUEST_TIMEOUT * 5)) ]; do
	sleep 0.2; i=$((i + 1))
done
if [ "$(grep -c 'guest shell' /tmp/rb.out)" -ge 2 ]; then
	sleep 1
	echo "$mods; echo RB-READ-\$(dd if=/dev/vda bs=4096 count=4 iflag=direct 2>/dev/null | wc -c); poweroff -f" >&3
fi
exec 3>&-
reap rb $GUEST_TIMEOUT
check devices.reboot.io-running-at-reset grep -q "RB-IO-42" /tmp/rb.out
check devices.reboot.vmm-rebooted grep -q "rebooting the guest" /tmp/rb.out
check devices.reboot.second-boot-reads-disk grep -q "RB-READ-16384" /tmp/rb.out
expect_exit rb 0 devices.reboot.second-boot-powers-off
# The VMM's own errors and warnings only (the guest kernel prints "reboot: ").
if grep -q "needs a reset\|elvisor: reboot: \|elvisor: warning: " /tmp/rb.out; then
	fail devices.reboot.no-device-failed "$(grep 'needs a reset\|elvisor: reboot: \|elvisor: warning: ' /tmp/rb.out | head -n 1)"
else
	pass devices.reboot.no-device-failed
fi
backend_down
