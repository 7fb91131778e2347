#!/usr/bin/env bash
# The debug (sanitizer) host kernel: Debian's linux-source-6.1 of the SAME
# version as the 6.1 host kernel (second word of cache/current-abi, the
# package tests/selftests/build.sh fetches), configured from allnoconfig plus
# scripts/debug-kernel.config (KASAN, KFENCE, lockdep, PROVE_RCU, UBSAN, ...)
# and cross-built for arm64. The host elvisor-debug (scripts/host-run.sh)
# boots it; elvisor.ko is built against its tree (host-kernel.sh --kdir).
#   debug-kernel.sh [build]   build if needed; prints the kbuild tree
#   debug-kernel.sh dir       prints the kbuild tree if it is built for the
#                             current key, else fails (never builds)
#   debug-kernel.sh key       prints the current key
# The kbuild tree holds arch/arm64/boot/Image and what `make -C TREE M=...`
# needs; build-seconds says how long it took.
#
# Cache: cache/debug-kernel/src-<version>/ is the unpacked source (all of it
# but Documentation/), cache/debug-kernel/<key>/ the build, where the key is
# <version>-<hash of the config fragment, this script and the compiler's
# version>. A tree counts only when its .complete holds its key, so an
# interrupted build or a stale key is never used; other keys and versions
# are dropped once a build completes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
log() { printf 'debug-kernel: %s\n' "$*" >&2; }
if [ "$(uname -m)" = aarch64 ]; then CROSS=${CROSS_COMPILE-}; else CROSS=${CROSS_COMPILE-aarch64-linux-gnu-}; fi
frag=$top/scripts/debug-kernel.config
pkg=linux-source-6.1
root=$top/cache/debug-kernel

abi_file=$top/cache/current-abi
[ -f "$abi_file" ] || { log "cache/current-abi missing: run make deps"; exit 2; }
read -r _ ver < "$abi_file"
[ -n "$ver" ] || { log "no version in cache/current-abi"; exit 2; }
hash=$({ cat "$frag" "$0"; "${CROSS}gcc" --version | head -n1; } | sha256sum | cut -c1-12)
key=$ver-$hash
src=$root/src-$ver
obj=$root/$key

built() { [ -f "$obj/.complete" ] && [ "$(cat "$obj/.complete")" = "$key" ] && [ -f "$obj/arch/arm64/boot/Image" ]; }

case ${1:-build} in
key) echo "$key"; exit 0 ;;
dir)
	built || { log "no debug kernel for key $key (run make debug-kernel)"; exit 1; }
	echo "$obj"; exit 0 ;;
build) ;;
*) log "usage: $0 [build|dir|key]"; exit 2 ;;
esac

mkdir -p "$root"
exec 9> "$root/.lock"
flock 9	# one build at a time; a second caller waits, then finds it built
if built; then echo "$obj"; exit 0; fi

fetch_source() {
	if [ -f "$src/.complete" ] && [ "$(cat "$src/.complete")" = "$ver" ]; then
		return
	fi
	log "fetching $pkg=$ver"
	rm -rf "$src" "$root/deb"
	mkdir -p "$root/deb" "$src"
	(cd "$root/deb" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1) || {
		log "apt-get download $pkg=$ver failed (apt-get update? version retired?)"
		exit 1
	}
	dpkg-deb --fsys-tarfile "$root"/deb/"$pkg"_*_all.deb | tar -x -C "$root/deb" "./usr/src/$pkg.tar.xz"
	log "unpacking (all but Documentation/, which Kconfig needs one file of)"
	tar -xJf "$root/deb/usr/src/$pkg.tar.xz" -C "$src" --strip-components=1 \
		--exclude="$pkg/Documentation"
	tar -xJf "$root/deb/usr/src/$pkg.tar.xz" -C "$src" --strip-components=1 \
		"$pkg/Documentation/Kconfig"
	rm -rf "$root/deb"
	echo "$ver" > "$src/.complete"
}

# Every assignment of the fragment must survive Kconfig (a dependency it
# did not satisfy turns an option off silently).
check_config() {
	local l sym bad=0
	while read -r l; do
		grep -qxF -- "$l" "$obj/.config" && continue
		sym=$(printf '%s\n' "$l" | grep -o 'CONFIG_[A-Z0-9_]*')
		log "fragment wants '$l', .config has '$(grep -E "^$sym=|^# $sym is not set" "$obj/.config" || echo nothing)'"
		bad=1
	done < <(grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' "$frag")
	[ "$bad" = 0 ] || { log "the fragment does not hold: fix scripts/debug-kernel.config"; exit 1; }
}

fetch_source
rm -rf "$obj"
mkdir -p "$obj"
kmake=(make -C "$src" O="$obj" ARCH=arm64 CROSS_COMPILE="$CROSS")
log "configuring $key (allnoconfig + ${frag#$top/})"
"${kmake[@]}" -s KCONFIG_ALLCONFIG="$frag" allnoconfig >/dev/null
check_config
log "building Image and the module tree (log: ${obj#$top/}/build.log)"
start=$(date +%s)
if ! nice -n 10 "${kmake[@]}" -j"$(nproc)" Image modules > "$obj/build.log" 2>&1; then
	tail -n 30 "$obj/build.log" >&2
	log "build failed (full log: ${obj#$top/}/build.log)"
	exit 1
fi
secs=$(($(date +%s) - start))
echo "$secs" > "$obj/build-seconds"
log "built $("${kmake[@]}" -s kernelrelease) in ${secs} s"
echo "$key" > "$obj/.complete"
# Drop other keys and other source versions.
for d in "$root"/*/; do
	d=${d%/}
	case ${d##*/} in "$key" | "src-$ver") ;; *) log "removing stale ${d#$top/}"; rm -rf "$d" ;; esac
done
echo "$obj"
