#!/usr/bin/env bash
# Install everything elvisor needs, from nothing, idempotently.
#
# Host packages come from apt. The arm64 kernel (image, headers, amd64
# kbuild), busybox and libfdt for arm64 are downloaded and unpacked into
# cache/, keyed by the kernel ABI resolved *now* from the meta packages:
# Debian retires old ABIs, so a cache is only trusted when its ABI matches
# what the archive currently offers.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$top/cache
log() { printf 'deps: %s\n' "$*" >&2; }

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

HOST_PKGS="make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
 zlib1g-dev:arm64 libseccomp-dev:arm64 libcriterion-dev libfdt-dev \
 zlib1g-dev libseccomp-dev device-tree-compiler qemu-system-arm cpio \
 bc flex bison libssl-dev kmod xz-utils file clang libclang-rt-14-dev rsync"

apt_setup() {
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		log "adding arm64 architecture"
		$SUDO dpkg --add-architecture arm64
	fi
	# Always refresh: the ABI answer below must reflect the archive today.
	$SUDO apt-get update -q >/dev/null
	missing=
	for p in $HOST_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		log "installing:$missing"
		$SUDO apt-get install -y -q $missing >/dev/null
	fi
}

# Echo "<abi> <version>", e.g. "6.1.0-56 6.1.192-2".
resolve_abi() {
	local dep ver
	dep=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	      sed -n 's/.*Depends: linux-image-\(.*\)-arm64:arm64/\1/p' | head -n1)
	[ -n "$dep" ] || { log "cannot resolve the kernel ABI from linux-image-arm64:arm64"; exit 1; }
	ver=$(apt-cache policy "linux-image-$dep-arm64-unsigned:arm64" |
	      sed -n 's/^  Candidate: //p')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		{ log "no candidate for linux-image-$dep-arm64-unsigned"; exit 1; }
	echo "$dep $ver"
}

download() { # dir pkg...
	local dir=$1; shift
	mkdir -p "$dir"
	(cd "$dir" && apt-get download -q "$@" >/dev/null)
}

fetch_kernel() {
	local abi=$1 ver=$2 kdir=$cache/kernel/$abi
	if [ -f "$kdir/.complete" ] && [ "$(cat "$kdir/.complete")" = "$ver" ]; then
		log "kernel $abi ($ver) cached"
		return
	fi
	log "fetching kernel $abi ($ver)"
	rm -rf "$kdir"
	mkdir -p "$kdir/root"
	download "$kdir/debs" \
		"linux-image-$abi-arm64-unsigned:arm64=$ver" \
		"linux-headers-$abi-arm64:arm64=$ver" \
		"linux-headers-$abi-common:all=$ver" \
		"linux-kbuild-6.1:amd64=$ver"
	for d in "$kdir"/debs/*.deb; do dpkg -x "$d" "$kdir/root"; done
	# The arch headers' Makefile includes the common dir by absolute path.
	local hdr=$kdir/root/usr/src/linux-headers-$abi-arm64
	sed -i "s|/usr/src/linux-headers-$abi-common|$kdir/root/usr/src/linux-headers-$abi-common|g" \
		"$hdr/Makefile"
	# The kbuild tools (fixdep, modpost) are symlinked to /usr/lib/linux-kbuild-6.1.
	for l in scripts tools; do
		[ -L "$hdr/$l" ] || continue
		ln -sfn "$kdir/root/usr/lib/linux-kbuild-6.1/$l" "$hdr/$l"
	done
	ln -sfn "root/boot/vmlinuz-$abi-arm64" "$kdir/Image"
	ln -sfn "root/usr/src/linux-headers-$abi-arm64" "$kdir/headers"
	ln -sfn "root/lib/modules/$abi-arm64" "$kdir/modules"
	echo "$ver" > "$kdir/.complete"
}

fetch_userland() { # arm64 busybox and libfdt, unpacked (not installed over the host's own)
	local dir=$cache/arm64-userland stamp
	stamp="$(apt-cache policy busybox-static:arm64 libfdt-dev:arm64 | sed -n 's/^  Candidate: //p' | tr '\n' ' ')"
	if [ -f "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$stamp" ]; then
		return
	fi
	log "fetching arm64 busybox and libfdt"
	rm -rf "$dir"
	download "$dir/debs" busybox-static:arm64 libfdt-dev:arm64 libfdt1:arm64
	for d in "$dir"/debs/*.deb; do dpkg -x "$d" "$dir/root"; done
	echo "$stamp" > "$dir/.complete"
}

apt_setup
read -r abi ver < <(resolve_abi)
fetch_kernel "$abi" "$ver"
fetch_userland
# Written only when it changes, so make rebuilds what depends on the ABI
# exactly when the ABI moves.
new="$abi $ver"
if [ "$(cat "$cache/current-abi" 2>/dev/null)" != "$new" ]; then
	echo "$new" > "$cache/current-abi"
	log "kernel ABI is now $new"
fi
# Drop kernels whose ABI the archive no longer offers.
for k in "$cache"/kernel/*; do
	[ -d "$k" ] && [ "$(basename "$k")" != "$abi" ] && { log "removing stale $k"; rm -rf "$k"; }
done
log "ready: kernel $abi ($ver)"
