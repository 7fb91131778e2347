#!/usr/bin/env bash
# Linux's own KVM selftests for aarch64, one build per host kernel series,
# each from Debian's linux-source-<series> of the SAME version as that host
# kernel (second word of cache/current-abi for 6.1, cache/current-abi-6.12
# for 6.12).
#   build.sh build [SERIES...]      fetch + unpack (cached), cross-build
#                                   statically, install to
#                                   build/kernel/<abi>/kvm-selftests/
#   build.sh list [SERIES...]       the aarch64 selftests this source builds
# SERIES is 6.1 or 6.12 (default: both).
#
# Cache: cache/selftests/<version>/ holds the .deb and the unpacked tree with
# its `make headers`; .complete names the version it was made for, so a
# stale tree never passes for a fresh one (a series' other versions are
# dropped: Debian retires ABIs). The installed binaries carry a stamp
# (version + hash of the shims and this script); the series' expectations
# (tests/selftests/expected.txt for 6.1, expected-<series>.txt otherwise)
# are copied beside them as expected.txt, with expected.awk and a file
# `series` naming the series.
#
# The two compile shims the 6.1 backports need live in tests/selftests/shims/
# and come in through EXTRA_CFLAGS (an include path for linux/bitfield.h and
# a forced include for TEST_ASSERT_EQ). 6.12 builds without them, but gets
# one upstream selftest fix its tree lacks (patch_source).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
log() { printf 'selftests: %s\n' "$*" >&2; }
# Native on arm64 hosts, cross everywhere else.
if [ "$(uname -m)" = aarch64 ]; then CROSS=${CROSS_COMPILE-}; else CROSS=${CROSS_COMPILE-aarch64-linux-gnu-}; fi

# Set everything one series needs: abi ver cache src kst obj out expected
# shims extra_cflags pkg.
setup() {
	series=$1
	local abi_file
	case $series in
	6.1) abi_file=$top/cache/current-abi expected=$top/tests/selftests/expected.txt ;;
	6.12) abi_file=$top/cache/current-abi-$series expected=$top/tests/selftests/expected-$series.txt ;;
	*) log "unknown series $series (6.1, 6.12)"; exit 2 ;;
	esac
	[ -f "$abi_file" ] || { log "${abi_file#$top/} missing: run make deps"; exit 2; }
	read -r abi ver < "$abi_file"
	[ -n "$ver" ] || { log "no version in ${abi_file#$top/}"; exit 2; }
	pkg=linux-source-$series
	cache=$top/cache/selftests/$ver
	src=$cache/src
	kst=$src/tools/testing/selftests/kvm
	obj=$top/build/kvm-selftests-obj/$ver	# objects, unstripped binaries
	out=$top/build/kernel/$abi/kvm-selftests	# what this host's image packs
	if [ "$series" = 6.1 ]; then
		shims=$top/tests/selftests/shims
		extra_cflags="-I$shims -include $shims/selftest-compat.h"
	else
		shims= extra_cflags=
	fi
}

# Other versions of this series (never the other series': "6.1." is not a
# prefix of "6.12.").
drop_stale() { # DIR
	local d
	for d in "$1/$series".*/; do
		[ -d "$d" ] && [ "${d%/}" != "$1/$ver" ] && rm -rf "$d"
	done
	return 0
}

fetch_source() {
	if [ -f "$cache/.complete" ] && [ "$(cat "$cache/.complete")" = "$ver" ]; then
		return
	fi
	log "fetching $pkg=$ver"
	drop_stale "$top/cache/selftests"
	rm -rf "$cache"
	mkdir -p "$cache/deb"
	(cd "$cache/deb" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1) || {
		log "apt-get download $pkg=$ver failed (apt-get update? version retired?)"
		exit 1
	}
	deb=$(ls "$cache"/deb/"$pkg"_*_all.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/deb" "./usr/src/$pkg.tar.xz"
	# Only what `make headers` and the selftests need (~140 MB of ~1.4 GB).
	mkdir -p "$src"
	log "unpacking (Makefile, scripts, include, usr, arch/arm64, tools)"
	tar -xJf "$cache/deb/usr/src/$pkg.tar.xz" -C "$src" --strip-components=1 \
		"$pkg/Makefile" "$pkg/Kconfig" "$pkg/Kbuild" \
		"$pkg/scripts" "$pkg/include" "$pkg/usr" \
		"$pkg/arch/arm64" "$pkg/tools"
	rm -f "$cache/deb/usr/src/$pkg.tar.xz"
	log "make headers ARCH=arm64"
	make -s -C "$src" headers ARCH=arm64 >/dev/null
	echo "$ver" > "$cache/.complete"
}

# Debian's 6.12.117 backports upstream 03c7527e97f7 ("KVM: arm64: Do not
# allow ID_AA64MMFR0_EL1.ASIDbits to be overridden") but not the matching
# selftest fix, upstream's "KVM: arm64: Fix set_id_regs selftest for
# ASIDBITS becoming unwritable" (Mark Brown, 2024-12-16), which deletes the
# ASIDBITS entry of ftr_id_aa64mmfr0_el1[] in aarch64/set_id_regs.c: without
# it the stock test fails on its own kernel (test 57 of 87). Applied here,
# to the cached tree, if the line is there (a later tree may have the fix);
# any other shape of the file stops the build. This script is part of the
# build stamp, so a change here rebuilds.
patch_source() {
	[ "$series" = 6.12 ] || return 0
	local f=$kst/aarch64/set_id_regs.c
	local start='^static const struct reg_ftr_bits ftr_id_aa64mmfr0_el1\[\] = {$'
	local entry=$'^\tREG_FTR_BITS(FTR_LOWER_SAFE, ID_AA64MMFR0_EL1, ASIDBITS, 0),$'
	if [ ! -f "$f" ] || [ "$(grep -c "$start" "$f")" != 1 ] ||
	   [ "$(grep -c ASIDBITS "$f")" != "$(grep -c "$entry" "$f")" ] ||
	   [ "$(grep -c "$entry" "$f")" -gt 1 ]; then
		log "${f#$top/}: not the expected shape (one ftr_id_aa64mmfr0_el1[]," \
			"ASIDBITS at most in its one REG_FTR_BITS entry): cannot apply" \
			"the upstream set_id_regs ASIDBITS fix"
		exit 1
	fi
	grep -q "$entry" "$f" || return 0
	sed -i "/$start/,/^};\$/{/$entry/d}" "$f"
	if grep -q ASIDBITS "$f"; then
		log "${f#$top/}: ASIDBITS entry still there after the fix"
		exit 1
	fi
	log "applied upstream's set_id_regs fix (ASIDBITS no longer writable)"
}

stamp_value() {
	{
		echo "$ver"
		cat "$0"
		[ -z "$shims" ] || find "$shims" -type f | LC_ALL=C sort | xargs cat
	} | sha256sum | cut -d' ' -f1
}

# The aarch64 selftests of this tree, as its Makefile lists them (later
# kernels call the architecture arm64).
list_tests() {
	sed -n 's/^TEST_GEN_PROGS_\(aarch64\|arm64\) += *//p' "$kst/Makefile"
}

# The in-host scenario reads its expectations from /elvisor/kvm-selftests.
install_expected() {
	if [ -f "$expected" ] && ! cmp -s "$expected" "$out/expected.txt"; then
		cp "$expected" "$out/expected.txt"
	fi
	if ! cmp -s "$top/tests/selftests/expected.awk" "$out/expected.awk"; then
		cp "$top/tests/selftests/expected.awk" "$out/expected.awk"
	fi
	[ "$(cat "$out/series" 2>/dev/null)" = "$series" ] || echo "$series" > "$out/series"
}

build() {
	setup "$1"
	fetch_source
	patch_source
	want="$ver $(stamp_value)"
	if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$want" ]; then
		install_expected
		log "kvm selftests $ver up to date"
		return
	fi
	log "building the aarch64 KVM selftests ($ver)"
	# No dependency tracking on the shims: a changed stamp rebuilds all.
	drop_stale "$top/build/kvm-selftests-obj"
	rm -rf "$obj"
	mkdir -p "$obj"
	make -s -C "$kst" -j"$(nproc)" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		OUTPUT="$obj" LDFLAGS="-static -pthread -no-pie" \
		EXTRA_CFLAGS="$extra_cflags" >/dev/null
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

cmd=${1:-build}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 6.1 6.12
case $cmd in
build)
	# Builds used to go to build/aarch64, which every host
	# image packs: drop it, or its binaries would mix into each series'.
	rm -rf "$top/build/aarch64/kvm-selftests"
	for s in "$@"; do build "$s"; done ;;
list) for s in "$@"; do setup "$s"; fetch_source; list_tests; done ;;
*) echo "usage: $0 build|list [6.1|6.12...]" >&2; exit 2 ;;
esac
