#!/usr/bin/env bash
# Boot the emulated arm64 host (QEMU, TCG, EL2 + VHE) and run a script in it.
#   host-run.sh [--host HOST] [--timeout SEC] [--log FILE] [--interactive] SCRIPT [FILE...]
# SCRIPT becomes /test/run.sh; extra FILEs are copied to /test/. The host's
# console goes to stdout (and --log); the exit status is the script's.
# HOST is BACKEND-SERIES:
#   kvm-6.1 (default), kvm-6.12: the host kernel's own KVM, the references
#   elvisor-6.1, elvisor-6.12: the host booted with kvm-arm.mode=none, where
#     elvisor.ko (built for that kernel) can own EL2; the script loads it.
#   elvisor-debug: elvisor.ko on the debug (sanitizer) 6.1 kernel built by
#     scripts/debug-kernel.sh (no KVM in it; image build/host-image/6.1-debug,
#     made by make test-debug); the guests still boot Debian's 6.1 Image.
# --backend kvm|elvisor is HOST kvm-6.1|elvisor-6.1.
# A script may add host kernel arguments with a line "# host-cmdline: ARGS"
# (any backend) or "# host-cmdline elvisor: ARGS" (that backend only).
# HOST_CMDLINE_EXTRA in the environment, if set, is appended as well: its
# NAME=VALUE words reach /init's environment, so the scripts' knobs can be
# set, e.g. HOST_CMDLINE_EXTRA='CYCLES=20 STRESS_ARGS="-n 100 -r 2000"'.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
host=kvm-6.1 timeout=600 log=/dev/null interactive=
while [ $# -gt 0 ]; do
	case $1 in
	--host) host=$2; shift 2 ;;
	--backend) host=$2-6.1; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: $0 [--host kvm|elvisor-6.1|6.12] [--timeout SEC] SCRIPT [FILE...]" >&2; exit 2; }
backend=${host%%-*} series=${host#*-}
case $backend:$series in
kvm:6.1 | elvisor:6.1) abi_file=$top/cache/current-abi ;;
kvm:6.12 | elvisor:6.12) abi_file=$top/cache/current-abi-$series ;;
elvisor:debug) abi_file= ;;
*) echo "host-run: unknown host $host (kvm-6.1, kvm-6.12, elvisor-6.1, elvisor-6.12, elvisor-debug)" >&2; exit 2 ;;
esac
if [ -n "$abi_file" ]; then
	read -r abi _ < "$abi_file"
	image=$top/cache/kernel/$abi/Image
else
	# Only the kernel built for the current source version and fragment.
	abi=6.1-debug
	tree=$("$top/scripts/debug-kernel.sh" dir) || exit 2
	image=$tree/arch/arm64/boot/Image
fi
base=$top/build/host-image/$abi/base.cpio
[ -f "$base" ] || { echo "host-run: $base missing (run make host-image)" >&2; exit 2; }
script_args=$(sed -n -e 's/^# host-cmdline: //p' -e "s/^# host-cmdline $backend: //p" "$1" | tr '\n' ' ')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/test"
cp "$1" "$work/root/test/run.sh"
shift
for f in "$@"; do cp -a "$f" "$work/root/test/"; done
(cd "$work/root" && find . | cpio -o -H newc --quiet) > "$work/extra.cpio"
cat "$base" "$work/extra.cpio" > "$work/initrd.cpio"
append="console=ttyAMA0 panic=-1 oops=panic rdinit=/init loglevel=4"
[ "$backend" = elvisor ] && append="$append kvm-arm.mode=none"
# The sanitizers and lockdep report at KERN_WARNING and KERN_ERR; the debug
# host's console must carry them all (make test-debug scans it).
[ "$series" = debug ] && append="$append loglevel=7"
[ -n "$script_args" ] && append="$append ${script_args% }"
[ -n "${HOST_CMDLINE_EXTRA:-}" ] && append="$append $HOST_CMDLINE_EXTRA"
qemu=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on
	-accel tcg,thread=multi -smp 2 -m 3072 -nographic -no-reboot
	-kernel "$image" -initrd "$work/initrd.cpio" -append "$append")
if [ -n "$interactive" ]; then
	echo "host-run: Ctrl-A x quits QEMU" >&2
	"${qemu[@]}"
	exit $?
fi
[ "$timeout" = 0 ] && timeout=1d
# A host kernel oops panics (oops=panic) and reboots (panic=-1), which ends
# QEMU (-no-reboot); an oops on a corrupted CPU can hang halfway (seen: the
# console stops inside the register dump, no panic line) and would wait for
# the timeout instead. 60 s after the first oops or panic line, QEMU goes.
panic_watch() {
	# Ends with host-run.sh ($$ is its pid in this subshell too).
	while kill -0 $$ 2>/dev/null; do
		if grep -qE 'Kernel panic - not syncing|Unable to handle kernel|Internal error: ' \
			"$work/console" 2>/dev/null; then
			sleep 60
			pkill -f -- "-initrd $work/initrd.cpio" &&
				echo "host-run: host oopsed and hung; QEMU stopped" >&2
			return
		fi
		sleep 2
	done
}
: > "$work/console"
# Not on the pipe to the caller, which waits for every writer to close it.
panic_watch </dev/null >/dev/null 2>"$work/watch.msg" & watch_pid=$!
set +e
timeout --foreground "$timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$log" | tr -d '\r' | tee "$work/console"
rc=${PIPESTATUS[0]}
set -e
kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true
cat "$work/watch.msg" >&2 2>/dev/null || true
if [ "$rc" = 124 ]; then echo "host-run: timed out after ${timeout}s" >&2; exit 124; fi
st=$(sed -n 's/^ELV-HOST-EXIT \([0-9]*\).*/\1/p' "$work/console" | tail -n1)
[ -n "$st" ] || { echo "host-run: host did not finish its script (crash?)" >&2; exit 125; }
exit "$st"
