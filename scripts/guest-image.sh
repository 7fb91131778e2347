#!/usr/bin/env bash
# Build the guest initramfs: static busybox, /init (guest/init/init.sh) and
# the report program, plus any further tools (into /bin).
#   guest-image.sh OUT.cpio ELV-REPORT-BINARY [TOOL...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1 report=$2
shift 2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root}
cp "$top/cache/arm64-userland/root/bin/busybox" "$stage/bin/busybox"
cp "$top/guest/init/init.sh" "$stage/init"
cp "$report" "$stage/bin/elv-report"
for tool in "$@"; do cp "$tool" "$stage/bin/"; done
# The Debian kernel's virtio drivers are modules: the guest loads them in
# elv.mode=devices (guest/init/init.sh), in this order (dependencies first).
read -r abi _ < "$top/cache/current-abi"
kmods=$top/cache/kernel/$abi/modules/kernel
mkdir -p "$stage/lib/modules/elv"
for m in drivers/virtio/virtio_mmio drivers/block/virtio_blk net/core/failover \
	 drivers/net/net_failover drivers/net/virtio_net drivers/char/virtio_console \
	 drivers/char/hw_random/virtio-rng fs/netfs/netfs fs/fscache/fscache net/9p/9pnet \
	 net/9p/9pnet_virtio fs/9p/9p net/vmw_vsock/vsock \
	 net/vmw_vsock/vmw_vsock_virtio_transport_common net/vmw_vsock/vmw_vsock_virtio_transport; do
	name=$(basename "$m")
	if [ -f "$kmods/$m.ko.xz" ]; then
		xz -dc "$kmods/$m.ko.xz" > "$stage/lib/modules/elv/$name.ko"
	else
		cp "$kmods/$m.ko" "$stage/lib/modules/elv/$name.ko"
	fi
	echo "$name" >> "$stage/lib/modules/elv/order"
done
chmod +x "$stage/init"
(cd "$stage" && find . | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
