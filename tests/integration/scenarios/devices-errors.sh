# groups: order=60 test=kvm-6.1 full=kvm-6.12   (tests/integration/groups.sh)
# proves: each bad device flag: one line, non-zero status, nothing started
# Every bad input to the device flags: one clear line, a non-zero status,
# no guest started.
. ./lib.sh
dd if=/dev/zero of=/tmp/d.img bs=1M count=1 2>/dev/null
run_vm nodisk -k $KERNEL -i $INITRD -d /nonexistent.img
expect_error nodisk "--disk /nonexistent.img: No such file or directory" devices-errors.missing-image
run_vm dirdisk -k $KERNEL -i $INITRD -d /tmp
expect_error dirdisk "--disk /tmp: Is a directory" devices-errors.image-is-directory
run_vm badspec -k $KERNEL -d /tmp/d.img,bogus
expect_error badspec "--disk /tmp/d.img,bogus: unknown option 'bogus'" devices-errors.unknown-disk-option
run_vm longserial -k $KERNEL -d /tmp/d.img,serial=123456789012345678901
expect_error longserial "serial needs 1 to 20 characters" devices-errors.serial-too-long
run_vm emptydisk -k $KERNEL -d ,ro
expect_error emptydisk "expected PATH[,ro][,serial=ID]" devices-errors.disk-without-path
run_vm netopt -k $KERNEL -n mode=tap,speed=fast
expect_error netopt "unknown option 'speed=fast'" devices-errors.unknown-network-option
run_vm netmode -k $KERNEL -n mode=user
expect_error netmode "unsupported mode 'user'" devices-errors.unsupported-network-mode
run_vm console -k $KERNEL --console vga
expect_error console "--console vga: supported consoles: serial, virtio" devices-errors.bad-console
run_vm sandbox -k $KERNEL --sandbox maybe
expect_error sandbox "--sandbox maybe: expected on or off" devices-errors.bad-sandbox-value
# No tun driver yet: /dev/net/tun is missing.
if [ ! -e /dev/net/tun ]; then
	run_vm notun -k $KERNEL -i $INITRD -n mode=tap
	expect_error notun "/dev/net/tun: No such file or directory" devices-errors.no-tun-device
else
	skip devices-errors.no-tun-device "/dev/net/tun already present"
fi
# Unprivileged: cannot read the image, cannot create a tap.
insmod $E/host-modules/tun.ko 2>/dev/null
chmod 666 /dev/kvm /dev/net/tun
chmod 600 /tmp/d.img
timeout 60 $E/runas-nobody $E/elvisor run -k $KERNEL -i $INITRD -d /tmp/d.img > /tmp/noperm.out 2>&1
echo $? > /tmp/noperm.rc
expect_error noperm "--disk /tmp/d.img: Permission denied" devices-errors.unreadable-image
timeout 60 $E/runas-nobody $E/elvisor run -k $KERNEL -i $INITRD -n mode=tap,tapif=elvx0 > /tmp/notap.out 2>&1
echo $? > /tmp/notap.rc
expect_error notap "cannot create or attach tap elvx0: Operation not permitted" devices-errors.tap-cannot-be-created
chmod 600 /dev/kvm
# Read-write images are locked: a second VMM on the same image is refused.
$E/elvisor run -k $KERNEL -i $INITRD -m 256 -d /tmp/d.img -p "$GUEST_CMDLINE elv.mode=devices elv.dev.hang=1" > /tmp/first.out 2>&1 < /dev/null &
first=$!
sleep 2
run_vm locked -k $KERNEL -i $INITRD -d /tmp/d.img
expect_error locked "--disk /tmp/d.img: in use by another process" devices-errors.image-in-use
kill $first 2>/dev/null; wait $first
true
