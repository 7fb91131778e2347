#!/usr/bin/env bash
# Mutation testing (make mutants; docs/testing.md, "Mutation testing"): apply
# each deliberate bug of tests/mutants/*.mutant, one at a time, in a scratch
# copy of HEAD, build what it touches, run the tests its file names, and say
# "caught by TEST" or "MISSED". Ends with "N caught, N missed"; any mutant
# not caught (missed, stale: its original text is no longer in its file,
# does not build, or its tests fail without it) fails the run.
#   run.sh [MUTANT...]   MUTANT: a file, or a name such as 03-stage2-flush
# Environment: ELV_MUTANTS_DIR (the scratch directory, default
# /tmp/elv-mutants-$USER, kept between runs: its build/ is rebuilt
# incrementally), ELV_MUTANTS_BASELINE=0 skips the runs without a mutant.
#
# A mutant file holds "key: value" lines, then the text blocks:
#   desc: what the bug is (one line)
#   file: path/in/the/tree.c
#   test: unit FILTER            (build/host/unit-tests --filter FILTER)
#   test: group HOST:SCRIPT      (tests/integration/run.sh HOST:SCRIPT)
#   @@ original
#   exact text, once in the file (lines, copied byte for byte)
#   @@ replacement
#   the bug
#   @@ end
# Tests are tried in order until one fails: the first listed should be the
# cheapest. Lines starting with "#" before "@@ original" are comments.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=${ELV_MUTANTS_DIR:-/tmp/elv-mutants-${USER:-$(id -un)}}
copy=$work/tree
head=$work/head
logs=$work/logs
mkdir -p "$work" "$logs"
# One run at a time per scratch directory.
exec 9> "$work/.lock"
flock -n 9 || { echo "mutants: another run is using $work"; echo "0 caught, 1 missed"; exit 1; }

# --- the scratch copy --------------------------------------------------
# Seeded once from the shared tree (its tracked files and build/, times
# kept, under the build lock), so the first build there is incremental too.
# Every run then lays HEAD over it by content (rsync --checksum without
# times: a changed file gets a new time and is rebuilt), so the copy is
# HEAD exactly, whatever the shared working tree holds meanwhile.
seed_copy() {
	[ -f "$work/.seeded" ] && return 0
	echo "mutants: seeding $copy from $top (tracked files and build/)"
	rm -rf "$copy"
	mkdir -p "$copy"
	flock /tmp/elv-build.lock bash -c '
		cd "$1" && git ls-files -z | rsync -a --from0 --files-from=- ./ "$2/" 2>/dev/null
		rsync -a --exclude /test-logs --exclude /fuzz-hyp --exclude "/fuzz*" --exclude "*.log" \
			"$1/build/" "$2/build/"' _ "$top" "$copy"
	# make's dependency files name their objects by absolute path.
	find "$copy/build" -name '*.d' -exec sed -i "s#$top/#$copy/#g" {} +
	touch "$work/.seeded"
}
sync_head() {
	rm -rf "$head"
	mkdir -p "$head"
	git -C "$top" archive HEAD | tar -x -C "$head" || return 1
	rsync -rlpD --checksum --delete --exclude /build --exclude /cache "$head/" "$copy/" || return 1
	ln -sfn "$top/cache" "$copy/cache"
}

# --- mutant files --------------------------------------------------------
# field FILE KEY: the values of "KEY:" lines, one per line.
field() { sed -n '/^@@ original$/q; s/^'"$2"': *//p' "$1"; }
# block FILE NAME: the text between "@@ NAME" and the next "@@" line.
block() {
	awk -v n="@@ $2" '$0 == n { on = 1; next } /^@@ / { on = 0 } on' "$1"
}
# apply FILE ORIG REPL: replace the one occurrence of ORIG's text with
# REPL's; status 3 if ORIG is not in FILE exactly once (stale).
apply() {
	perl -e '
		local $/; open(my $f, "<", $ARGV[0]) or exit 2; my $t = <$f>; close $f;
		open($f, "<", $ARGV[1]) or exit 2; my $o = <$f>; close $f;
		open($f, "<", $ARGV[2]) or exit 2; my $r = <$f>; close $f;
		my $n = () = $t =~ /\Q$o\E/g;
		exit 3 if $n != 1 || $o eq "";
		my $i = index($t, $o);
		substr($t, $i, length($o)) = $r;
		open($f, ">", $ARGV[0]) or exit 2; print $f $t; close $f;' "$@"
}

abi_of() { # HOST
	case $1 in *-6.12) cut -d' ' -f1 "$copy/cache/current-abi-6.12" ;;
	*-debug) echo 6.1-debug ;;
	*) cut -d' ' -f1 "$copy/cache/current-abi" ;; esac
}
# The debug host's module is built against the debug kernel's tree, as
# scripts/test-debug.sh does (the kernel is built when missing, cached in
# the shared cache/ by its key).
kdir_of() { # HOST
	case $1 in *-debug) echo --kdir; "$copy/scripts/debug-kernel.sh" build ;; esac
}
# build KIND HOST: build, in the copy, what a test of KIND needs (output in
# $blog). unit: the host tools. group: the VMM, API tools, guest, elvisor.ko
# and the host image for HOST's kernel (each step incremental).
build() { # KIND HOST
	local abi
	if [ "$1" = unit ]; then
		(cd "$copy" && make -s --no-print-directory host-tools) >> "$blog" 2>&1 < /dev/null
		return
	fi
	abi=$(abi_of "$2")
	(cd "$copy" && make -s --no-print-directory vmm api-tools guest &&
		scripts/host-kernel.sh $(kdir_of "$2") "$abi" && scripts/host-image.sh "$abi") >> "$blog" 2>&1 < /dev/null
}
# run_test KIND ARG: 0 if the test passes; its output in $tlog.
run_test() { # KIND ARG
	case $1 in
	unit)
		(cd "$copy" && timeout 600 build/host/unit-tests --jobs 2 --filter "$2") > "$tlog" 2>&1 < /dev/null || return 1
		# A filter that matches nothing tests nothing.
		grep -q 'Tested: [1-9]' "$tlog" || { echo "no test matches the filter $2" >> "$tlog"; return 2; } ;;
	group)
		(cd "$copy" && tests/integration/run.sh "$2") > "$tlog" 2>&1 < /dev/null ;;
	*) echo "unknown test kind $1" > "$tlog"; return 2 ;;
	esac
}
# What failed, in a few words: Criterion's failing tests, or FAIL lines.
why() {
	{ grep -oE '^\[FAIL\] [^ :]+::[^ :]+' "$tlog" | sed 's/^\[FAIL\] //; s/::/\//'
	  grep -oE 'CRASH\]? [^ :]+::[^ :]+|[^ ]+::[^ ]+: CRASH' "$tlog"
	  grep -E '^\[[^]]*\] FAIL ' "$tlog" | sed 's/^\[[^]]*\] FAIL //; s/:.*//'
	} | awk 'NF && !seen[$0]++' | head -n 3 | paste -sd ';' | cut -c1-200
}

# --- the run ---------------------------------------------------------------
mutants=()
if [ $# -gt 0 ]; then
	for m in "$@"; do
		[ -f "$m" ] || m=$top/tests/mutants/${m%.mutant}.mutant
		mutants+=("$m")
	done
else
	mutants=("$top"/tests/mutants/*.mutant)
fi
start_all=$(date +%s)
seed_copy || { echo "mutants: cannot seed the scratch copy"; echo "0 caught, ${#mutants[@]} missed"; exit 1; }
sync_head || { echo "mutants: cannot lay HEAD over the scratch copy"; echo "0 caught, ${#mutants[@]} missed"; exit 1; }
echo "mutants: HEAD $(git -C "$top" rev-parse --short HEAD) in $copy, ${#mutants[@]} mutants"

# Without a mutant, every test a mutant names must pass, or its catching
# the mutant would prove nothing.
declare -A bad_base=()
if [ "${ELV_MUTANTS_BASELINE:-1}" != 0 ]; then
	declare -A seen=()
	for m in "${mutants[@]}"; do
		while read -r kind arg; do
			[ -n "$kind" ] && [ -z "${seen[$kind $arg]:-}" ] || continue
			seen[$kind $arg]=1
			blog=$logs/baseline.build.log tlog=$logs/baseline-${arg//[^A-Za-z0-9.-]/_}.log
			: > "$blog"
			t0=$(date +%s)
			if ! build "$kind" "${arg%%:*}"; then
				echo "mutants: FAIL the tree does not build without a mutant (see $blog)"
				echo "0 caught, ${#mutants[@]} missed"
				exit 1
			fi
			if run_test "$kind" "$arg"; then
				echo "baseline: $kind $arg passes without a mutant ($(($(date +%s) - t0)) s)"
			else
				bad_base[$kind $arg]=1
				echo "baseline: FAIL $kind $arg fails without a mutant: $(why) (see $tlog)"
			fi
		done < <(field "$m" test)
	done
fi

caught=0 missed=0 stale=0 broken=0 unrun=0
for m in "${mutants[@]}"; do
	name=$(basename "$m" .mutant)
	t0=$(date +%s)
	file=$(field "$m" file | head -n1)
	desc=$(field "$m" desc | head -n1)
	blog=$logs/$name.build.log
	: > "$blog"
	block "$m" original > "$work/orig.txt"
	block "$m" replacement > "$work/repl.txt"
	if [ -z "$file" ] || [ ! -f "$copy/$file" ]; then
		echo "$name: MISSED (stale: no file ${file:-named}) - $desc"
		stale=$((stale + 1)) missed=$((missed + 1))
		continue
	fi
	apply "$copy/$file" "$work/orig.txt" "$work/repl.txt"; st=$?
	if [ "$st" != 0 ]; then
		echo "$name: MISSED (stale: its original text is not in $file exactly once) - $desc"
		stale=$((stale + 1)) missed=$((missed + 1))
		continue
	fi
	result=
	while read -r kind arg; do
		[ -n "$kind" ] || continue
		if [ -n "${bad_base[$kind $arg]:-}" ]; then
			result=${result:-"unrun"}
			continue
		fi
		tlog=$logs/$name-${arg//[^A-Za-z0-9.-]/_}.log
		if ! build "$kind" "${arg%%:*}"; then
			result="broken"
			break
		fi
		run_test "$kind" "$arg"; st=$?
		if [ "$st" = 1 ]; then
			result="caught by $kind $arg: $(why)"
			break
		elif [ "$st" = 2 ]; then
			result="broken"
			break
		fi
	done < <(field "$m" test)
	# Restore: HEAD's text with a new time, so make rebuilds it.
	cp "$head/$file" "$copy/$file"
	el=$(($(date +%s) - t0))
	case $result in
	caught*) echo "$name: $result ($el s)"; caught=$((caught + 1)) ;;
	broken) echo "$name: MISSED (the mutant does not build or its test is broken: see $blog, $tlog) - $desc"
		broken=$((broken + 1)) missed=$((missed + 1)) ;;
	unrun) echo "$name: MISSED (not run: its tests fail without it) - $desc"
		unrun=$((unrun + 1)) missed=$((missed + 1)) ;;
	*) echo "$name: MISSED ($el s) - $desc"; missed=$((missed + 1)) ;;
	esac
done
echo "mutants: ${#mutants[@]} in $(($(date +%s) - start_all)) s; logs in $logs"
[ $((stale + broken + unrun)) = 0 ] ||
	echo "mutants: of the missed, $stale stale, $broken do not build or have a broken test, $unrun not run (their tests fail without them)"
[ ${#bad_base[@]} = 0 ] || echo "mutants: FAIL ${#bad_base[@]} test(s) fail without a mutant (the baseline lines above)"
echo "$caught caught, $missed missed"
[ "$missed" = 0 ] && [ ${#bad_base[@]} = 0 ]
