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
usr=$top/cache/arm64-userland/root
cp "$usr/bin/busybox" "$stage/bin/busybox"
# diod (the 9P server --9p runs) and the shared libraries it needs, found
# by following DT_NEEDED through the unpacked packages (scripts/deps.sh).
libdir() { # NAME: the unpacked path of a library
	local d
	for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib; do
		[ -e "$usr/$d/$1" ] && { echo "$d/$1"; return; }
	done
	echo "host-image: $1 (needed by diod) missing from $usr (scripts/deps.sh)" >&2
	exit 2
}
copy_with_libs() { # PATH inside $usr
	local todo=$1 f l p seen=
	while [ -n "$todo" ]; do
		set -- $todo; f=$1; shift; todo="$*"
		mkdir -p "$stage/$(dirname "$f")"
		cp -L "$usr/$f" "$stage/$f"
		for l in $(readelf -d "$usr/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case " $seen " in *" $l "*) continue ;; esac
			seen="$seen $l"
			p=$(libdir "$l")
			todo="$todo $p"
		done
	done
}
copy_with_libs usr/sbin/diod
# diod looks up the attaching uid (and its groups) as any Debian host has them.
mkdir -p "$stage/etc"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"
printf 'passwd: files\ngroup: files\n' > "$stage/etc/nsswitch.conf"
mkdir -p "$stage/lib"
ln -sf aarch64-linux-gnu/ld-linux-aarch64.so.1 "$stage/lib/ld-linux-aarch64.so.1"
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
