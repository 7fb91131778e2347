#!/usr/bin/env bash
# What one host kernel needs beside the common arm64 build: elvisor.ko built
# against its headers and the host modules the scenarios load (tun; vsock's
# for vhost-vsock, whose load order is host-modules/vsock-order), in
# build/kernel/<abi>/ (the host image overlays it on build/aarch64/).
#   host-kernel.sh ABI
#   host-kernel.sh --kdir TREE ABI   against a kernel built here instead of
#       Debian's headers (the debug kernel, scripts/debug-kernel.sh): TREE is
#       its kbuild tree (its .complete names the build), ABI only names
#       build/kernel/ABI; tun.ko and the vsock modules are copied only if
#       TREE built them.
# The module source is copied per ABI (Kbuild puts objects beside the
# sources), so 6.1's and 6.12's objects never mix.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=
if [ "${1:-}" = --kdir ]; then tree=$2; shift 2; fi
abi=$1
out=$top/build/kernel/$abi
if [ -n "$tree" ]; then
	kdir=$tree
	[ -f "$kdir/.complete" ] || { echo "host-kernel: $tree is not a complete kernel build" >&2; exit 2; }
	headers=$kdir tun=$kdir/drivers/net/tun.ko mods=$kdir
else
	kdir=$top/cache/kernel/$abi
	[ -f "$kdir/.complete" ] || { echo "host-kernel: no kernel $abi in cache/ (run make deps)" >&2; exit 2; }
	headers=$kdir/headers tun=$kdir/modules/kernel/drivers/net/tun.ko mods=$kdir/modules/kernel
fi
if [ "$(uname -m)" = aarch64 ]; then CROSS=${CROSS_COMPILE-}; else CROSS=${CROSS_COMPILE-aarch64-linux-gnu-}; fi
# Debian may re-spin an ABI with new headers (a new package version); the
# objects of the old ones must not survive into the new build.
ver=$(cat "$kdir/.complete")
if [ "$(cat "$out/.kernel-version" 2>/dev/null)" != "$ver" ]; then
	rm -rf "$out/kmod-src" "$out/elvisor.ko" "$out/host-modules"
	mkdir -p "$out"
	echo "$ver" > "$out/.kernel-version"
fi
mkdir -p "$out/kmod-src" "$out/host-modules"
# By content, and without the sources' times: a copied file is newer than
# any object built from what it replaces, so make always rebuilds it.
rsync -rlpD --checksum --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' --exclude '*.mod*' \
	--exclude modules.order --exclude Module.symvers "$top/hyp/" "$out/kmod-src/"
echo "  KMOD    hyp -> ${out#$top/}/elvisor.ko"
make -s -C "$headers" M="$out/kmod-src" ARCH=arm64 CROSS_COMPILE="$CROSS" modules
cmp -s "$out/kmod-src/elvisor.ko" "$out/elvisor.ko" 2>/dev/null || cp "$out/kmod-src/elvisor.ko" "$out/elvisor.ko"
echo "$abi" > "$out/elvisor.ko.abi"
if [ -f "$tun.xz" ]; then xz -dc "$tun.xz" > "$out/host-modules/tun.ko"
elif [ -z "$tree" ] || [ -f "$tun" ]; then cp "$tun" "$out/host-modules/tun.ko"; fi
# vhost-vsock and what it needs, dependencies first.
rm -f "$out/host-modules/vsock-order"
for m in net/vmw_vsock/vsock net/vmw_vsock/vmw_vsock_virtio_transport_common \
	 drivers/vhost/vhost_iotlb drivers/vhost/vhost drivers/vhost/vhost_vsock; do
	name=${m##*/}
	if [ -f "$mods/$m.ko.xz" ]; then xz -dc "$mods/$m.ko.xz" > "$out/host-modules/$name.ko"
	elif [ -f "$mods/$m.ko" ]; then cp "$mods/$m.ko" "$out/host-modules/$name.ko"
	else continue; fi
	echo "$name" >> "$out/host-modules/vsock-order"
done
