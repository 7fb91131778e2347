# make bench: virtio-blk sequential write/read throughput and 4 KiB
# random-read IOPS measured in the guest, beside the same measurement on the
# host file behind the disk, in the same run; and elvisor's peak RSS with
# every device attached (disk, tap network, rng, serial console).
. ./lib.sh
dd if=/dev/zero of=/tmp/bench.img bs=1M count=96 2>/dev/null
echo "HOST $($E/elv-iobench /tmp/bench.img 64 5)"
insmod $E/host-modules/tun.ko 2>/dev/null
BOOTBENCH_ECHO=IOBENCH $E/bootbench 1 IOBENCH-END $E/elvisor run -k $KERNEL -i $INITRD \
	-m 256 -p "quiet elv.mode=iobench" -d /tmp/bench.img --rng -n mode=tap |
	sed 's/^IOBENCH /GUEST IOBENCH /; s/^BENCH /BENCH all-devices /'
# The same disk without VIRTIO_RING_F_EVENT_IDX (the hidden flag): the A/B
# of notification suppression, in the same host boot.
BOOTBENCH_ECHO=IOBENCH $E/bootbench 1 IOBENCH-END $E/elvisor run -k $KERNEL -i $INITRD \
	-m 256 -p "quiet elv.mode=iobench" -d /tmp/bench.img --virtio-no-event-idx |
	sed -n 's/^IOBENCH /GUEST-NOEVIDX IOBENCH /p'
