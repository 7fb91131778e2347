#!/usr/bin/env bash
# The man pages and make install (native, no emulated host):
# - every page of man/ renders without a warning (groff -ww, man -l);
# - every flag `elvisor run` and `elvisor cpu` accept, every command, every
#   config key the parser accepts and every elvisor.ko parameter is an item
#   of its page, and no page documents a flag the code does not accept (the
#   names come from the sources: tests/install/names.sh);
# - the example of elvisor.toml(5) loads with the real config loader;
# - make install DESTDIR=TMP puts exactly the expected files there, the
#   module source is complete, and an installed elvisor finds its profiles
#   in PREFIX/share/elvisor/profiles;
# - DKMS's build line (dkms.conf's MAKE[0]) builds the installed module
#   source against the 6.1 and 6.12 headers in cache/;
# - dpkg-buildpackage -aarm64 -b builds elvisor and elvisor-dkms (debian/)
#   with exactly the expected files and DKMS scripts.
# Prints ok/FAIL lines and ends with "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
names=tests/install/names.sh
probe=build/host/profile-probe
pass=0 fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/elv-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- rendering ----
pages=$(ls man/*.[1-9] 2>/dev/null)
for want in elvisor.1 elvisor-run.1 elvisor-cpu.1 elvisor.toml.5 elvisor.ko.4; do
	[ -f "man/$want" ] || bad "man.exists.$want: man/$want is missing"
done
for p in $pages; do
	n=${p#man/}
	if ! command -v groff >/dev/null || ! command -v man >/dev/null; then
		bad "man.render.$n: groff or man is not installed (scripts/deps.sh installs groff and man-db)"
		continue
	fi
	out=$(groff -man -Tutf8 -ww -z "$p" 2>&1); st=$?
	[ $st = 0 ] && [ -z "$out" ] && ok "man.render.$n: groff -ww" ||
		bad "man.render.$n: groff -ww: status $st: $(head -n3 <<<"$out" | tr '\n' ' ')"
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null); st=$?
	[ $st = 0 ] && [ -z "$out" ] && ok "man.render.$n: man -l" ||
		bad "man.render.$n: man -l: status $st: $(head -n3 <<<"$out" | tr '\n' ' ')"
	grep -q '^\.SH NAME' "$p" && grep -q '^\.SH SEE ALSO' "$p" && ok "man.sections.$n: NAME and SEE ALSO" ||
		bad "man.sections.$n: no NAME or SEE ALSO section"
done

# ---- what the code accepts against what the pages say ----
# covered CHECK PAGE WHAT NAMES: each of NAMES must be in the page's items
# (.TP heads, from names.sh man-items, as one text per line in $items).
covered() {
	local check=$1 page=$2 what=$3 list=$4 missing= n=0 x
	while IFS= read -r x; do
		[ -n "$x" ] || continue
		n=$((n + 1))
		grep -qE -- "$x" <<<"$items" || missing="$missing $(name_of "$x")"
	done <<<"$list"
	if [ $n = 0 ]; then
		bad "$check: no $what found in the sources (names.sh is out of date)"
	elif [ -n "$missing" ]; then
		bad "$check: $page does not document$missing"
	else
		ok "$check: all $n $what in $page"
	fi
}
# An item head holding --NAME (not --NAME-more) or -X; the name back.
flag_re() { printf '(^|[ ,])%s($|[ ,])' "$1"; }
name_of() { sed -e 's/^(^|\[ ,\])//' -e 's/(\$|\[ ,\])$//' -e 's/^\^//' -e 's/( |\$)$//' <<<"$1"; }

items=$($names man-items man/elvisor-run.1 | cut -f2)
covered man.run.long-flags man/elvisor-run.1 "long flags of vmm/options.c" \
	"$(for f in $($names run-long); do flag_re "--$f"; echo; done)"
covered man.run.short-flags man/elvisor-run.1 "short flags of vmm/options.c" \
	"$(for f in $($names run-short); do flag_re "-$f"; echo; done)"
# The other way: a flag the page documents that the code does not accept.
known=" $($names run-long | sed 's/^/--/' | tr '\n' ' ') $($names run-short | sed 's/^/-/' | tr '\n' ' ') "
stale=
for f in $(grep -oE -- '(^|[ ,])--?[a-z][a-z0-9-]*' <<<"$items" | tr -d ' ,' | sort -u); do
	case $known in *" $f "*) ;; *) stale="$stale $f" ;; esac
done
[ -z "$stale" ] && ok "man.run.no-stale-flags: every flag item of man/elvisor-run.1 is in vmm/options.c" ||
	bad "man.run.no-stale-flags: man/elvisor-run.1 documents flags elvisor run does not accept:$stale"

items=$($names man-items man/elvisor-cpu.1 | cut -f2)
covered man.cpu.flags man/elvisor-cpu.1 "flags of vmm/cmd_cpu.c" \
	"$(for f in $($names cpu-long); do flag_re "--$f"; echo; done)"
stale=
for f in $(grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' <<<"$items" | tr -d ' ,' | sort -u); do
	$names cpu-long | grep -qx -- "${f#--}" || stale="$stale $f"
done
[ -z "$stale" ] && ok "man.cpu.no-stale-flags: every flag item of man/elvisor-cpu.1 is in vmm/cmd_cpu.c" ||
	bad "man.cpu.no-stale-flags: man/elvisor-cpu.1 documents flags elvisor cpu does not accept:$stale"

items=$($names man-items man/elvisor.1 | grep -P '^COMMANDS\t' | cut -f2)
covered man.commands man/elvisor.1 "commands of vmm/main.c (in COMMANDS)" \
	"$(for c in $($names commands); do flag_re "$c"; echo; done)"

# Config keys: in the subsection the parser names ("[vm]": an item of .SS
# [vm]); keys of tables without a name (the raw form's mask and value) may
# be anywhere; a top-level table is a subsection of its own.
all=$($names man-items man/elvisor.toml.5)
missing= n=0
while read -r sec key; do
	n=$((n + 1))
	if [ "$sec" = - ]; then
		grep -qP "\t${key}( |$)" <<<"$all" || grep -qxF "[$key]"$'\t'".SS" <<<"$all" ||
			missing="$missing $key"
	else
		grep -qP "^\Q$sec\E\t${key}( |$)" <<<"$all" || missing="$missing $sec.$key"
	fi
done < <($names config-keys | sort -u)
if [ $n = 0 ]; then bad "man.toml.keys: no config keys found in vmm/config/config*.c (names.sh is out of date)"
elif [ -n "$missing" ]; then bad "man.toml.keys: man/elvisor.toml.5 does not document$missing"
else ok "man.toml.keys: all $n config keys of vmm/config/config*.c and hyp/core/fwregs.c in their sections of man/elvisor.toml.5"; fi

items=$($names man-items man/elvisor.ko.4 | grep -P '^PARAMETERS\t' | cut -f2)
covered man.ko.params man/elvisor.ko.4 "module parameters of hyp/kmod/*.c (in PARAMETERS)" \
	"$(for p in $($names module-params); do printf '^%s( |$)\n' "$p"; done)"

# The page's example is a config the loader takes.
if [ -x "$probe" ]; then
	sed -n '/^\.SH EXAMPLE/,/^\.SH/p' man/elvisor.toml.5 | sed -n '/^\.EX/,/^\.EE/p' | sed '/^\.E[XE]/d' |
		sed -e 's/\\-/-/g' -e 's/\\(dq/"/g' > "$tmp/example.toml"
	out=$(ELVISOR_PROFILE_PATH=$top/configs/profiles "$probe" "$tmp/example.toml" 2>&1); st=$?
	[ $st = 0 ] && [ -s "$tmp/example.toml" ] && ok "man.toml.example-loads: $out" ||
		bad "man.toml.example-loads: the EXAMPLE of man/elvisor.toml.5 does not load: $out"
else
	bad "man.toml.example-loads: $probe is not built (make host-tools)"
fi

# ---- make install ----
dest=$tmp/dest
ver=$(sed -n 's/^#define ELVISOR_VERSION "\(.*\)"/\1/p' vmm/main.c)
if out=$(make --no-print-directory install PREFIX=/usr/local DESTDIR="$dest" 2>&1); then
	ok "install.runs: make install PREFIX=/usr/local DESTDIR=TMP"
else
	bad "install.runs: make install failed: $(tail -n3 <<<"$out" | tr '\n' ' ')"
fi
p=$dest/usr/local
{
	echo bin/elvisor
	for f in configs/profiles/*.toml; do echo "share/elvisor/profiles/${f##*/}"; done
	for f in $pages; do echo "share/man/man${f##*.}/${f#man/}"; done
	echo "src/elvisor-$ver/dkms.conf"
	for f in hyp/Kbuild hyp/*/*.[chS]; do echo "src/elvisor-$ver/${f#hyp/}"; done
} | sort > "$tmp/expected"
(cd "$p" 2>/dev/null && find . -type f -o -type l | sed 's|^\./||' | sort) > "$tmp/got"
(cd "$dest" && find . -type f -o -type l | grep -v '^\./usr/local/' | sed 's|^\./||') >> "$tmp/got"
if diff -u "$tmp/expected" "$tmp/got" > "$tmp/diff"; then
	ok "install.files: exactly the $(wc -l < "$tmp/expected") expected files under DESTDIR/usr/local"
else
	bad "install.files: $(grep -E '^[-+][^-+]' "$tmp/diff" | head -n8 | tr '\n' ' ')"
fi
same=1
cmp -s build/aarch64/elvisor "$p/bin/elvisor" || same=0
for f in configs/profiles/*.toml; do cmp -s "$f" "$p/share/elvisor/profiles/${f##*/}" || same=0; done
for f in $pages; do cmp -s "$f" "$p/share/man/man${f##*.}/${f#man/}" || same=0; done
for f in hyp/Kbuild hyp/*/*.[chS]; do cmp -s "$f" "$p/src/elvisor-$ver/${f#hyp/}" || same=0; done
[ $same = 1 ] && ok "install.contents: each installed file equals its source" ||
	bad "install.contents: an installed file differs from its source"
modes=$(stat -c '%a %n' "$p/bin/elvisor" "$p"/share/man/man*/* "$p"/share/elvisor/profiles/* 2>/dev/null |
	grep -vE '^(755 .*/bin/elvisor|644 .*/share/.*)$')
[ -z "$modes" ] && [ -x "$p/bin/elvisor" ] && ok "install.modes: bin/elvisor 755, man pages and profiles 644" ||
	bad "install.modes: $modes"

# The module source is what DKMS builds: every object Kbuild names has its
# source, every quoted #include resolves inside the tree, and dkms.conf
# names this version and module.
src=$p/src/elvisor-$ver
missing=
for o in $(sed -n 's/^elvisor-y[[:space:]]*[:+]\?=//p' "$src/Kbuild" 2>/dev/null); do
	[ -f "$src/${o%.o}.c" ] || [ -f "$src/${o%.o}.S" ] || missing="$missing $o"
done
for f in "$src"/*/*.[chS]; do
	for h in $(sed -n 's/^#include "\(.*\)"/\1/p' "$f"); do
		[ -f "$(dirname "$f")/$h" ] || [ -f "$src/core/$h" ] || [ -f "$src/kmod/$h" ] ||
			missing="$missing ${f#$src/}:$h"
	done
done
[ -f "$src/Kbuild" ] && [ -z "$missing" ] && ok "install.module-source: Kbuild's objects and every #include are in src/elvisor-$ver" ||
	bad "install.module-source: missing in src/elvisor-$ver:${missing:- Kbuild}"
grep -qx "PACKAGE_VERSION=\"$ver\"" "$src/dkms.conf" 2>/dev/null &&
	grep -qx 'BUILT_MODULE_NAME\[0\]="elvisor"' "$src/dkms.conf" &&
	ok "install.dkms-conf: PACKAGE_VERSION=$ver, module elvisor" ||
	bad "install.dkms-conf: src/elvisor-$ver/dkms.conf does not name version $ver and module elvisor"

# DKMS's own build of that source, as its dkms.conf says it (dkms copies the
# source to $dkms_tree/NAME/VERSION/build and runs MAKE[0] there, with
# kernel_source_dir the kernel's headers), against each host kernel's
# headers in cache/ (6.1 and 6.12, the ABIs make deps resolved): the module
# must build and carry that kernel's vermagic.
if [ "$(uname -m)" = aarch64 ]; then cross=; else cross=aarch64-linux-gnu-; fi
make_line=$(sed -n 's/^MAKE\[0\]="\(.*\)"$/\1/p' "$src/dkms.conf" 2>/dev/null)
for f in cache/current-abi cache/current-abi-6.12; do
	if ! read -r abi _ < "$f" 2>/dev/null || [ ! -d "cache/kernel/$abi/headers" ]; then
		bad "dkms.build: no kernel headers named by $f (make deps fetches them)"
		continue
	fi
	dkms_tree=$tmp/dkms-$abi kernel_source_dir=$top/cache/kernel/$abi/headers
	PACKAGE_NAME=elvisor PACKAGE_VERSION=$ver
	mkdir -p "$dkms_tree/elvisor/$ver" && cp -r "$src" "$dkms_tree/elvisor/$ver/build"
	eval "cmd=\"$make_line\""
	ko=$dkms_tree/elvisor/$ver/build/elvisor.ko
	if [ -z "$make_line" ]; then
		bad "dkms.build.$abi: dkms.conf has no MAKE[0] line"
	elif $cmd ARCH=arm64 CROSS_COMPILE=$cross -j2 > "$tmp/dkms-$abi.log" 2>&1 && [ -f "$ko" ]; then
		magic=$(modinfo -F vermagic "$ko" 2>/dev/null)
		case $magic in "$abi-"*" "*) ok "dkms.build.$abi: dkms.conf's MAKE[0] builds elvisor.ko (vermagic ${magic%% *})" ;;
		*) bad "dkms.build.$abi: elvisor.ko built, but its vermagic is '$magic'" ;; esac
	else
		bad "dkms.build.$abi: '$cmd' failed: $(tail -n 3 "$tmp/dkms-$abi.log" | tr '\n' ' ')"
	fi
done

# An installed elvisor finds the installed profiles. The VMM is an aarch64
# binary; the native probe runs the same loader (vmm/config/config.c) from the
# installed bin/ (the search is relative to the executable), with a config
# in a directory of its own and no ELVISOR_PROFILE_PATH.
if [ -x "$probe" ] && [ -d "$p/bin" ]; then
	cp "$probe" "$p/bin/profile-probe"
	mkdir -p "$tmp/vm"
	printf '[cpu]\nprofile = "baseline"\n' > "$tmp/vm/vm.toml"
	out=$(cd "$tmp" && env -u ELVISOR_PROFILE_PATH "$p/bin/profile-probe" vm/vm.toml 2>&1)
	[ "$out" = "profile baseline" ] && ok "install.profile-search: PREFIX/bin finds PREFIX/share/elvisor/profiles/baseline.toml" ||
		bad "install.profile-search: $out"
	rm -f "$p/share/elvisor/profiles/baseline.toml"
	out=$(cd "$tmp" && env -u ELVISOR_PROFILE_PATH "$p/bin/profile-probe" vm/vm.toml 2>&1)
	case $out in *"unknown profile \"baseline\""*"$p/bin/../share/elvisor/profiles"*)
		ok "install.profile-search-error: without it, the error names PREFIX/share/elvisor/profiles" ;;
	*) bad "install.profile-search-error: $out" ;; esac
else
	bad "install.profile-search: $probe is not built or nothing was installed"
fi

# ---- Debian packages: elvisor and elvisor-dkms ----
# Built in a scratch copy of the tree (dpkg-buildpackage writes beside the
# source directory), with this tree's objects and cache/ so nothing is
# compiled again or downloaded.
deb=$tmp/deb src_copy=$tmp/deb/elvisor-$ver
dver=$(dpkg-parsechangelog -l debian/changelog -SVersion 2>/dev/null)
[ "$dver" = "$ver" ] && ok "deb.version: debian/changelog's $dver is ELVISOR_VERSION" ||
	bad "deb.version: debian/changelog says '$dver', vmm/main.c's ELVISOR_VERSION $ver"
if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh_dkms >/dev/null; then
	bad "deb.build: dpkg-buildpackage or dh_dkms missing (scripts/deps.sh installs dpkg-dev, debhelper and dh-dkms)"
else
	mkdir -p "$src_copy/build/aarch64"
	rsync -a --exclude /build --exclude /cache --exclude /.git ./ "$src_copy/"
	rsync -a build/aarch64/obj build/aarch64/elvisor "$src_copy/build/aarch64/"
	ln -s "$top/cache" "$src_copy/cache"
	if (cd "$src_copy" && dpkg-buildpackage -aarm64 -b -uc -us) > "$deb/build.log" 2>&1; then
		ok "deb.build: dpkg-buildpackage -aarm64 -b -uc -us"
	else
		bad "deb.build: dpkg-buildpackage failed: $(tail -n3 "$deb/build.log" | tr '\n' ' ')"
	fi
	got=$(cd "$deb" && LC_ALL=C ls ./*.deb 2>/dev/null | sed 's|^\./||' | grep -v -- '-dbgsym_' | tr '\n' ' ')
	[ "$got" = "elvisor-dkms_${ver}_all.deb elvisor_${ver}_arm64.deb " ] && ok "deb.packages: $got" ||
		bad "deb.packages: expected elvisor_${ver}_arm64.deb and elvisor-dkms_${ver}_all.deb, got: $got"
	bin_deb=$deb/elvisor_${ver}_arm64.deb dkms_deb=$deb/elvisor-dkms_${ver}_all.deb
	files() { dpkg-deb -c "$1" 2>/dev/null | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./||' | grep -v '^usr/share/doc/' | sort; }
	{
		echo usr/bin/elvisor
		for f in configs/profiles/*.toml; do echo "usr/share/elvisor/profiles/${f##*/}"; done
		for f in $pages; do echo "usr/share/man/man${f##*.}/${f#man/}.gz"; done
	} | sort > "$tmp/deb-expected"
	files "$bin_deb" > "$tmp/deb-got"
	diff -u "$tmp/deb-expected" "$tmp/deb-got" > "$tmp/deb-diff" &&
		ok "deb.elvisor-files: the binary, $(ls configs/profiles/*.toml | wc -l) profile(s), $(wc -w <<<"$pages") man pages, nothing else" ||
		bad "deb.elvisor-files: $(grep -E '^[-+][^-+]' "$tmp/deb-diff" | head -n6 | tr '\n' ' ')"
	mkdir -p "$deb/x"
	dpkg-deb -x "$bin_deb" "$deb/x" 2>/dev/null
	arch=$(dpkg-deb -f "$bin_deb" Architecture 2>/dev/null)
	kind=$(file -b "$deb/x/usr/bin/elvisor" 2>/dev/null)
	case "$arch $kind" in "arm64 ELF 64-bit"*aarch64*"statically linked"*)
		ok "deb.elvisor-binary: Architecture arm64, a static aarch64 ELF" ;;
	*) bad "deb.elvisor-binary: Architecture '$arch', bin/elvisor: $kind" ;; esac
	{
		echo "usr/src/elvisor-$ver/dkms.conf"
		for f in hyp/Kbuild hyp/*/*.[chS]; do echo "usr/src/elvisor-$ver/${f#hyp/}"; done
	} | sort > "$tmp/dkms-expected"
	files "$dkms_deb" > "$tmp/dkms-got"
	mkdir -p "$deb/y"
	dpkg-deb -x "$dkms_deb" "$deb/y" 2>/dev/null
	same=1
	for f in hyp/Kbuild hyp/*/*.[chS]; do cmp -s "$f" "$deb/y/usr/src/elvisor-$ver/${f#hyp/}" || same=0; done
	diff -q "$tmp/dkms-expected" "$tmp/dkms-got" >/dev/null && [ $same = 1 ] &&
		ok "deb.dkms-files: usr/src/elvisor-$ver holds hyp/ as it is and dkms.conf, nothing else" ||
		bad "deb.dkms-files: $(diff "$tmp/dkms-expected" "$tmp/dkms-got" | grep '^[<>]' | head -n6 | tr '\n' ' ') (same content: $same)"
	dpkg-deb -e "$dkms_deb" "$deb/ctl" 2>/dev/null
	if [ "$(dpkg-deb -f "$dkms_deb" Architecture 2>/dev/null)" = all ] &&
	   dpkg-deb -f "$dkms_deb" Depends 2>/dev/null | grep -q '\bdkms\b' &&
	   grep -qx 'DKMS_NAME=elvisor' "$deb/ctl/postinst" 2>/dev/null &&
	   grep -qx "DKMS_VERSION=$ver" "$deb/ctl/postinst" &&
	   grep -q 'dkms remove' "$deb/ctl/prerm" 2>/dev/null &&
	   cmp -s "$deb/y/usr/src/elvisor-$ver/dkms.conf" "$p/src/elvisor-$ver/dkms.conf"; then
		ok "deb.dkms-scripts: Architecture all, Depends on dkms, postinst adds elvisor/$ver, prerm removes it, make install's dkms.conf"
	else
		bad "deb.dkms-scripts: elvisor-dkms lacks Architecture all, the dkms dependency, its postinst/prerm for elvisor/$ver or make install's dkms.conf"
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
