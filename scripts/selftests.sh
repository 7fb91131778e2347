#!/usr/bin/env bash
# Linux's own KVM selftests for aarch64, from Debian's linux-source-6.1 of
# the SAME version as the host kernel (second word of cache/current-abi).
#   selftests.sh build    fetch + unpack (cached), cross-build statically,
#                         install to build/aarch64/kvm-selftests/
#   selftests.sh list     the aarch64 selftests this source builds
#
# Cache: cache/selftests/<version>/ holds the .deb and the unpacked tree with
# its `make headers`; .complete names the version it was made for, so a
# stale tree never passes for a fresh one. The installed binaries carry a
# stamp (version + hash of the shims and this script); tests/selftests/
# expected.txt is copied beside them.
#
# Nothing of the kernel tree is patched: the two compile shims the 6.1
# backports need live in tests/selftests/shims/ and come in through
# EXTRA_CFLAGS (an include path for linux/bitfield.h and a forced include
# for TEST_ASSERT_EQ).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
log() { printf 'selftests: %s\n' "$*" >&2; }

cmd=${1:-build}
[ -f "$top/cache/current-abi" ] || { log "cache/current-abi missing: run make deps"; exit 2; }
read -r _ ver < "$top/cache/current-abi"
[ -n "$ver" ] || { log "no version in cache/current-abi"; exit 2; }
cache=$top/cache/selftests/$ver
src=$cache/src
kst=$src/tools/testing/selftests/kvm
obj=$top/build/kvm-selftests-obj/$ver	# objects, unstripped binaries
out=$top/build/aarch64/kvm-selftests	# what the host image packs
shims=$top/tests/selftests/shims
expected=$top/tests/selftests/expected.txt
# Native on arm64 hosts, cross everywhere else.
if [ "$(uname -m)" = aarch64 ]; then CROSS=${CROSS_COMPILE-}; else CROSS=${CROSS_COMPILE-aarch64-linux-gnu-}; fi

fetch_source() {
	if [ -f "$cache/.complete" ] && [ "$(cat "$cache/.complete")" = "$ver" ]; then
		return
	fi
	log "fetching linux-source-6.1=$ver"
	# Other versions' trees are stale by definition (Debian retires ABIs).
	for d in "$top"/cache/selftests/*/; do
		[ -d "$d" ] && [ "${d%/}" != "$cache" ] && rm -rf "$d"
	done
	rm -rf "$cache"
	mkdir -p "$cache/deb"
	(cd "$cache/deb" && apt-get download -q "linux-source-6.1=$ver" >/dev/null 2>&1) || {
		log "apt-get download linux-source-6.1=$ver failed (apt-get update? version retired?)"
		exit 1
	}
	deb=$(ls "$cache"/deb/linux-source-6.1_*_all.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/deb" ./usr/src/linux-source-6.1.tar.xz
	# Only what `make headers` and the selftests need (~140 MB of ~1.4 GB).
	mkdir -p "$src"
	log "unpacking (Makefile, scripts, include, usr, arch/arm64, tools)"
	tar -xJf "$cache/deb/usr/src/linux-source-6.1.tar.xz" -C "$src" --strip-components=1 \
		linux-source-6.1/Makefile linux-source-6.1/Kconfig linux-source-6.1/Kbuild \
		linux-source-6.1/scripts linux-source-6.1/include linux-source-6.1/usr \
		linux-source-6.1/arch/arm64 linux-source-6.1/tools
	rm -f "$cache/deb/usr/src/linux-source-6.1.tar.xz"
	log "make headers ARCH=arm64"
	make -s -C "$src" headers ARCH=arm64 >/dev/null
	echo "$ver" > "$cache/.complete"
}

stamp_value() {
	{
		echo "$ver"
		cat "$0"
		find "$shims" -type f | LC_ALL=C sort | xargs cat
	} | sha256sum | cut -d' ' -f1
}

# The aarch64 selftests of this tree, as its Makefile lists them.
list_tests() {
	sed -n 's/^TEST_GEN_PROGS_aarch64 += *//p' "$kst/Makefile"
}

# The in-host scenario reads its expectations from /elvisor/kvm-selftests.
install_expected() {
	local f
	for f in "$expected" "$top/tests/selftests/expected.awk"; do
		if [ -f "$f" ] && ! cmp -s "$f" "$out/${f##*/}"; then
			cp "$f" "$out/${f##*/}"
		fi
	done
}

build() {
	fetch_source
	want="$ver $(stamp_value)"
	if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$want" ]; then
		install_expected
		log "kvm selftests $ver up to date"
		return
	fi
	log "building the aarch64 KVM selftests ($ver)"
	# No dependency tracking on the shims: a changed stamp rebuilds all.
	rm -rf "$top/build/kvm-selftests-obj"
	mkdir -p "$obj"
	make -s -C "$kst" -j"$(nproc)" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		OUTPUT="$obj" LDFLAGS="-static -pthread -no-pie" \
		EXTRA_CFLAGS="-I$shims -include $shims/selftest-compat.h" >/dev/null
	rm -rf "$out"
	mkdir -p "$out"
	n=0
	for t in $(list_tests); do
		mkdir -p "$out/$(dirname "$t")"
		"${CROSS}strip" -o "$out/$t" "$obj/$t"
		n=$((n + 1))
	done
	list_tests > "$out/list"
	install_expected
	echo "$want" > "$out/.stamp"
	log "$n selftests in ${out#$top/}"
}

case $cmd in
build) build ;;
list) fetch_source; list_tests ;;
*) echo "usage: $0 build|list" >&2; exit 2 ;;
esac
