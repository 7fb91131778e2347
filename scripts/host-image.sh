#!/usr/bin/env bash
# Build the emulated arm64 host's base initramfs: static busybox, an /init
# that runs /test/run.sh and powers off, plus whatever build/aarch64 holds
# (elvisor, guest payloads) under /elvisor, with what this host kernel needs
# laid over it (build/kernel/<abi>: elvisor.ko, host modules, selftests).
# Test scripts are appended per boot as a second cpio archive (the kernel
# unpacks both).
#   host-image.sh ABI        writes build/host-image/ABI/base.cpio
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
abi=$1
out=$top/build/host-image/$abi/base.cpio
[ -f "$top/build/kernel/$abi/elvisor.ko" ] || { echo "host-image: build/kernel/$abi/elvisor.ko missing (make module)" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
# The guests boot the 6.1 Image whatever the host runs (their initramfs
# carries 6.1's virtio modules).
read -r guest_abi _ < "$top/cache/current-abi"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,mnt,test,elvisor}
cp "$top/cache/arm64-userland/root/bin/busybox" "$stage/bin/busybox"
cat > "$stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
echo 0 > /proc/sys/kernel/printk_ratelimit 2>/dev/null
export PATH=/elvisor:/bin:/sbin ELVISOR_DIR=/elvisor
echo "ELV-HOST-READY $(uname -r) $(cat /proc/cmdline)"
cd /test
sh /test/run.sh
echo "ELV-HOST-EXIT $?"
sync
poweroff -f
INIT
chmod +x "$stage/init"
# Everything built for the target, plus the kernel the guests boot.
cp -a "$top/build/aarch64/." "$stage/elvisor/" 2>/dev/null || true
rm -rf "$stage/elvisor/obj"
cp -a "$top/build/kernel/$abi/." "$stage/elvisor/"
rm -rf "$stage/elvisor/kmod-src"
cp -r "$top/configs" "$stage/elvisor/configs"
cp "$top/cache/kernel/$guest_abi/Image" "$stage/elvisor/Image"
(cd "$stage" && find . | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
