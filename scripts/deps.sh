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
 zlib1g-dev:arm64 libseccomp-dev:arm64 libjansson-dev:arm64 libjansson-dev libcriterion-dev libfdt-dev \
 zlib1g-dev libseccomp-dev device-tree-compiler qemu-system-arm cpio \
 bc flex bison libssl-dev kmod xz-utils file clang libclang-rt-14-dev rsync dwarves \
 groff-base man-db debhelper dh-dkms"

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

# The kernel series the emulated host boots, each with the meta package
# that names its current ABI. 6.1 is the default host (cache/current-abi);
# 6.12 is the reference for writable ID registers (cache/current-abi-6.12).
SERIES="6.1:linux-image-arm64 6.12:linux-image-6.12-arm64"

# Echo "<abi> <version>" for a meta package, e.g. "6.1.0-57 6.1.192-3" or
# "6.12.117+deb12 6.12.117-1~deb12u1".
resolve_abi() { # meta
	local dep ver
	dep=$(apt-cache depends "$1:arm64" 2>/dev/null |
	      sed -n 's/.*Depends: linux-image-\(.*\)-arm64:arm64/\1/p' | head -n1)
	[ -n "$dep" ] || { log "cannot resolve the kernel ABI from $1:arm64"; exit 1; }
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

# The amd64 kbuild package the arm64 headers depend on: linux-kbuild-6.1
# (one per series) or linux-kbuild-6.12.117+deb12 (one per ABI).
kbuild_pkg() { # abi
	apt-cache depends "linux-headers-$1-arm64:arm64" 2>/dev/null |
		sed -n 's/^  Depends: \(linux-kbuild-[^:]*\).*/\1/p' | head -n1
}

fetch_kernel() {
	local abi=$1 ver=$2 kdir=$cache/kernel/$abi kbuild
	if [ -f "$kdir/.complete" ] && [ "$(cat "$kdir/.complete")" = "$ver" ]; then
		log "kernel $abi ($ver) cached"
		return
	fi
	kbuild=$(kbuild_pkg "$abi")
	[ -n "$kbuild" ] || { log "no kbuild package for linux-headers-$abi-arm64"; exit 1; }
	log "fetching kernel $abi ($ver)"
	rm -rf "$kdir"
	mkdir -p "$kdir/root"
	download "$kdir/debs" \
		"linux-image-$abi-arm64-unsigned:arm64=$ver" \
		"linux-headers-$abi-arm64:arm64=$ver" \
		"linux-headers-$abi-common:all=$ver" \
		"$kbuild:amd64=$ver"
	for d in "$kdir"/debs/*.deb; do dpkg -x "$d" "$kdir/root"; done
	# The arch headers' Makefile includes the common dir by absolute path.
	local hdr=$kdir/root/usr/src/linux-headers-$abi-arm64 l target
	sed -i "s|/usr/src/linux-headers-$abi-common|$kdir/root/usr/src/linux-headers-$abi-common|g" \
		"$hdr/Makefile"
	# The kbuild tools (fixdep, modpost) are symlinked to /usr/lib/linux-kbuild-*.
	for l in scripts tools; do
		[ -L "$hdr/$l" ] || continue
		target=$(readlink "$hdr/$l")
		case $target in /*) ln -sfn "$kdir/root$target" "$hdr/$l" ;; esac
	done
	ln -sfn "root/boot/vmlinuz-$abi-arm64" "$kdir/Image"
	ln -sfn "root/usr/src/linux-headers-$abi-arm64" "$kdir/headers"
	ln -sfn "root/lib/modules/$abi-arm64" "$kdir/modules"
	echo "$ver" > "$kdir/.complete"
}

# diod (the 9P server behind --9p) and the shared libraries it runs on: the
# emulated host's image carries them (scripts/host-image.sh).
DIOD_PKGS="diod libc6 libcap2 liblua5.1-0 libmunge2 libwrap0 libnsl2 libtirpc3 \
 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libcom-err2 libkrb5support0 libkeyutils1"

fetch_userland() { # arm64 busybox, libfdt, diod, unpacked (not installed over the host's own)
	local dir=$cache/arm64-userland stamp p arm=
	for p in busybox-static libfdt-dev libfdt1 $DIOD_PKGS; do arm="$arm $p:arm64"; done
	stamp="$(apt-cache policy $arm | sed -n 's/^  Candidate: //p' | tr '\n' ' ')"
	if [ -f "$dir/.complete" ] && [ "$(cat "$dir/.complete")" = "$stamp" ]; then
		return
	fi
	log "fetching arm64 busybox, libfdt and diod"
	rm -rf "$dir"
	download "$dir/debs" $arm
	for d in "$dir"/debs/*.deb; do dpkg -x "$d" "$dir/root"; done
	echo "$stamp" > "$dir/.complete"
}

apt_setup
fetch_userland
keep=
for entry in $SERIES; do
	series=${entry%%:*} meta=${entry#*:}
	read -r abi ver < <(resolve_abi "$meta")
	fetch_kernel "$abi" "$ver"
	keep="$keep $abi"
	# Written only when it changes, so make rebuilds what depends on the
	# ABI exactly when the ABI moves.
	f=$cache/current-abi
	[ "$series" = 6.1 ] || f=$cache/current-abi-$series
	new="$abi $ver"
	if [ "$(cat "$f" 2>/dev/null)" != "$new" ]; then
		echo "$new" > "$f"
		log "kernel $series ABI is now $new"
	fi
	log "ready: kernel $series: $abi ($ver)"
done
# Drop kernels whose ABI the archive no longer offers.
for k in "$cache"/kernel/*; do
	[ -d "$k" ] || continue
	case " $keep " in *" $(basename "$k") "*) ;; *) log "removing stale $k"; rm -rf "$k" ;; esac
done
