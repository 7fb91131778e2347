#!/bin/busybox sh
# The guest's /init. What it does is chosen on the kernel command line:
#   elv.mode=report (default)  print the CPU report and power off; with
#                              elv.id=... (a profile's expected view), also
#                              compare it field by field (elv-idcheck)
#   elv.mode=shell             a shell on the console; power off when it exits
#   elv.mode=reset             print the report, then reset the machine
#   elv.mode=devices           load the virtio modules and check each device
#   elv.mode=iobench           virtio-blk benchmark on /dev/vda (make bench)
#   elv.mode=tick              "ELV-TICK n uptime" every 0.2 s, for ever
#                              (the control socket's pause test)
#   elv.mode=vsock             load the virtio modules, serve one echo on
#                              vsock port elv.vsock.port (default 1234),
#                              echo through the host (CID 2) on port
#                              elv.vsock.hostport (default 1235), then wait
#                              for the host's connection (ELV-VSOCK lines);
#                              elv.vsock.again=1: then reload the driver (a
#                              device reset and a second DRIVER_OK) and echo
#                              through the host once more; elv.vsock.reboot=1:
#                              reset the machine at the end, not power off
#   elv.mode=devices           load the virtio modules and exercise each
#                              device, printing ELV-DEV key=value lines
#                              (options: elv.dev.write=vdX elv.dev.ro=vdX
#                              elv.dev.net=GUEST_IP,HOST_IP elv.dev.pattern=WORD
#                              elv.dev.hang=1: stay up after the checks;
#                              elv.dev.share=TAG elv.dev.share_ro=TAG
#                              elv.dev.share_poll=TAG: virtio-9p shares)
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mode=report
for arg in $(cat /proc/cmdline); do
	case $arg in
	elv.mode=*) mode=${arg#elv.mode=} ;;
	elv.dev.*=*) k=${arg#elv.dev.}; eval "dev_${k%%=*}=\${arg#*=}" ;;
	elv.vsock.port=*) vsock_port=${arg#*=} ;;
	elv.vsock.hostport=*) vsock_hostport=${arg#*=} ;;
	elv.vsock.again=*) vsock_again=${arg#*=} ;;
	elv.vsock.reboot=*) vsock_reboot=${arg#*=} ;;
	esac
done

dev() { echo "ELV-DEV $*"; }

dev_modules() {
	for m in $(cat /lib/modules/elv/order); do
		insmod /lib/modules/elv/$m.ko 2>/dev/null || dev "module.$m=fail"
	done
	sleep 1
	dev modules=loaded
}

dev_disks() {
	for b in /sys/block/vd*; do
		[ -e "$b" ] || continue
		n=${b##*/}
		dev "disk.$n.sectors=$(cat $b/size) disk.$n.ro=$(cat $b/ro)"
		dev "disk.$n.serial=$(cat $b/serial 2>/dev/null)"
		dev "disk.$n.head=$(dd if=/dev/$n bs=8 count=1 2>/dev/null | tr -cd 'A-Za-z0-9')"
	done
}

# Write 64 KiB of a pattern at 1 MiB, flush, read it back past the cache.
dev_disk_write() {
	p=${dev_pattern:-ELVPATTERN}
	yes "$p" | head -c 65536 > /tmp/pattern
	if dd if=/tmp/pattern of=/dev/$1 bs=4096 seek=256 conv=fsync 2>/dev/null && sync; then
		dev "write.$1=ok"
	else
		dev "write.$1=fail"
	fi
	echo 3 > /proc/sys/vm/drop_caches
	dev "readback.$1=$(dd if=/dev/$1 bs=4096 skip=256 count=16 iflag=direct 2>/dev/null | md5sum | cut -c1-32)"
	dev "pattern=$(md5sum < /tmp/pattern | cut -c1-32)"
}

# A read-only disk: the device answers writes with an I/O error.
dev_disk_ro() {
	out=$(dd if=/dev/zero of=/dev/$1 bs=4096 count=1 oflag=direct 2>&1)
	case $out in
	*"I/O error"*|*"Input/output error"*) dev "ro.$1.write=EIO" ;;
	*) dev "ro.$1.write=other:$(echo $out | tr ' ' _)" ;;
	esac
}

dev_rng() {
	cur=$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)
	dev "rng.current=$cur"
	n=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
	dev "rng.bytes=$n"
}

dev_net() {
	ip=${dev_net%,*} peer=${dev_net#*,}
	ip link set eth0 up && ip addr add $ip/24 dev eth0 || { dev net.setup=fail; return; }
	dev "net.mac=$(cat /sys/class/net/eth0/address)"
	i=0
	while [ $i -lt 20 ]; do
		ping -c 1 -W 2 $peer >/dev/null 2>&1 && { dev net.ping=ok; return; }
		i=$((i + 1))
	done
	dev net.ping=fail
}

dev_console() {
	[ -c /dev/hvc0 ] || return
	if grep -q console=hvc0 /proc/cmdline; then
		exec > /dev/hvc0 2>&1
		dev hvc0=output
		read -t 10 line < /dev/hvc0 && dev "hvc0.input=$line"
	fi
}

# mount_share TAG DIR: "ok" or the error, as one word.
mount_share() {
	mkdir -p $2
	out=$(mount -t 9p -o trans=virtio,version=9p2000.L $1 $2 2>&1) && echo ok && return
	echo "fail:$(echo $out | tr ' ' _)"
}
# The errno word of a failed command's message.
errword() {
	case $1 in
	*"Read-only file system"*) echo EROFS ;;
	*"Permission denied"*) echo EACCES ;;
	*"I/O error"*|*"Input/output error"*) echo EIO ;;
	*"No such file"*) echo ENOENT ;;
	"") echo none ;;
	*) echo "other:$(echo $1 | tr ' ' _)" ;;
	esac
}

# A writable share: read the host's file, write one the host checks, and
# try to leave the directory through '..' and a host symlink to outside.
dev_share_rw() {
	dev "share.mount=$(mount_share $1 /mnt/rw)"
	dev "share.read=$(cat /mnt/rw/hello.txt 2>/dev/null)"
	if echo GUESTWROTE > /mnt/rw/guest.txt && sync; then dev share.write=ok; else dev share.write=fail; fi
	if mkdir /mnt/rw/newdir && touch /mnt/rw/newdir/f && rm /mnt/rw/newdir/f && rmdir /mnt/rw/newdir
	then dev share.mkdir=ok; else dev share.mkdir=fail; fi
	dev "share.dotdot=$(ls /mnt/rw/.. | grep -c ELV-OUTSIDE)$(cat /mnt/rw/../ELV-OUTSIDE 2>/dev/null)"
	dev "share.symlink=$(cat /mnt/rw/outlink 2>&1 | tr -cd 'A-Za-z0-9' | grep -c HOSTSECRET)"
	dev "share.dirlink=$(ls /mnt/rw/outdir/ 2>&1 | grep -c ELVSECRET)"
}

dev_share_ro() {
	dev "share_ro.mount=$(mount_share $1 /mnt/ro)"
	dev "share_ro.read=$(cat /mnt/ro/hello.txt 2>/dev/null)"
	dev "share_ro.create=$(errword "$(sh -c 'echo x > /mnt/ro/new' 2>&1)")"
	dev "share_ro.overwrite=$(errword "$(sh -c 'echo x > /mnt/ro/hello.txt' 2>&1)")"
	dev "share_ro.mkdir=$(errword "$(mkdir /mnt/ro/d 2>&1)")"
}

# Read the share every 0.2 s until a read fails (the host kills the server).
dev_share_poll() {
	dev "share_poll.mount=$(mount_share $1 /mnt/poll)"
	i=0
	while [ $i -lt 300 ]; do
		out=$(cat /mnt/poll/hello.txt 2>&1) || break
		[ $i = 0 ] && dev "share_poll.reading=$out"
		usleep 200000
		i=$((i + 1))
	done
	dev "share_poll.after_kill=$(errword "$out")"
}

devices() {
	dev_modules
	[ -n "$dev_share" ] && dev_share_rw $dev_share
	[ -n "$dev_share_ro" ] && dev_share_ro $dev_share_ro
	[ -n "$dev_share_poll" ] && dev_share_poll $dev_share_poll
	dev_console
	dev_disks
	[ -n "$dev_write" ] && dev_disk_write $dev_write
	[ -n "$dev_ro" ] && dev_disk_ro $dev_ro
	grep -q virtio /sys/class/misc/hw_random/rng_available 2>/dev/null && dev_rng
	[ -n "$dev_net" ] && dev_net
	dev done=1
	if [ -n "$dev_hang" ]; then
		sleep 1000
	fi
}
echo "ELV-GUEST-INIT mode=$mode"
case $mode in
shell)
	echo "elvisor guest shell: 'exit' powers the guest off"
	setsid cttyhack sh -l
	;;
reset)
	/bin/elv-report
	reboot -f
	;;
devices)
	devices
	;;
tick)
	i=0
	while :; do
		echo "ELV-TICK $i $(cut -d' ' -f1 /proc/uptime)"
		i=$((i + 1))
		usleep 200000
	done
	;;
vsock)
	# Both directions: the host connects to our listener, we to the host's.
	dev_modules
	elv-vsock listen ${vsock_port:-1234} > /tmp/vsock-listen 2>&1 &
	lpid=$!
	sleep 1
	echo "ELV-VSOCK listening=$(head -1 /tmp/vsock-listen)"
	echo "ELV-VSOCK guest->host=$(elv-vsock connect 2 ${vsock_hostport:-1235} from-guest 2>&1)"
	wait $lpid
	echo "ELV-VSOCK host->guest rc=$? $(tail -1 /tmp/vsock-listen)"
	if [ -n "$vsock_again" ]; then
		rmmod vmw_vsock_virtio_transport && insmod /lib/modules/elv/vmw_vsock_virtio_transport.ko
		sleep 1
		echo "ELV-VSOCK again=$(elv-vsock connect 2 ${vsock_hostport:-1235} again 2>&1)"
	fi
	[ -n "$vsock_reboot" ] && reboot -f
	;;
iobench)
	# make bench: virtio-blk throughput and IOPS on the first disk.
	dev_modules
	elv-iobench /dev/vda 64 5
	echo "IOBENCH-END"
	;;
*)
	/bin/elv-report
	# A profile's expected view on the command line (elvisor cpu
	# --guest-expect): compare it with what this guest sees.
	case " $(cat /proc/cmdline) " in *" elv.id="*) /bin/elv-idcheck ;; esac
	;;
esac
poweroff -f
