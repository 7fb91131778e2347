# Sourced by scenario scripts running inside the emulated host (busybox sh).
# Each check prints one line the driver counts: "ok NAME", "FAIL NAME: why"
# or "SKIP NAME: why" (a skip is never counted as a pass).
E=/elvisor
KERNEL=$E/Image
INITRD=$E/guest-initramfs.cpio
GUEST_TIMEOUT=${GUEST_TIMEOUT:-180}
# The guest kernel's command line in every scenario. cryptomgr.notests skips
# the crypto self-tests (the Debian kernel runs them at boot): about a quarter
# of a guest's boot under software emulation, and not what we test.
GUEST_CMDLINE="quiet cryptomgr.notests"
# is_debug_host: this host runs the sanitizer kernel (make test-debug,
# scripts/debug-kernel.config's LOCALVERSION).
is_debug_host() { case $(uname -r) in *-elvdebug) return 0 ;; esac; return 1; }
# On the sanitizer host (make test-debug) guests run several times slower:
# a 4-vCPU guest on its 2 CPUs reported an RCU stall at the guest's default
# 21 s while 3 other emulated hosts shared the machine. There the guest's
# stall timeout is 120 s (a stall is still a FAIL); elsewhere the default.
is_debug_host && GUEST_CMDLINE="$GUEST_CMDLINE rcupdate.rcu_cpu_stall_timeout=120"
RUN_PREFIX=${RUN_PREFIX:-}	# e.g. "taskset 1" to pin a run

pass() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# run_vm NAME [elvisor run args...]: output in /tmp/NAME.out, status in $rc.
run_vm() {
	vmm_run $E/elvisor "$@"
}

# vmm_run BINARY NAME [run args...]: run_vm with another lkvm-style VMM
# (lkvm.sh: unmodified kvmtool).
vmm_run() {
	vmm_bin=$1 name=$2; shift 2
	timeout "$GUEST_TIMEOUT" $RUN_PREFIX $vmm_bin run "$@" > /tmp/$name.out 2>&1 < /dev/null
	rc=$?
	echo "$rc" > /tmp/$name.rc
	return 0
}

# boot_guest NAME [extra args]: the standard guest, report mode.
boot_guest() {
	name=$1; shift
	run_vm "$name" -k $KERNEL -i $INITRD -m 256 -p "$GUEST_CMDLINE" "$@"
}

# report NAME KEY: a value from the guest's ELV-REPORT lines.
report() {
	sed -n "s/^ELV-REPORT $2=//p" /tmp/$1.out | tr -d '\r' | head -n 1
}

# devval NAME KEY: a value from the guest's ELV-DEV lines (elv.mode=devices).
devval() {
	tr -d '\r' < /tmp/$1.out | grep '^ELV-DEV ' | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}
expect_dev() { # NAME KEY VALUE CHECK
	got=$(devval "$1" "$2")
	if [ "$got" = "$3" ]; then pass "$4"; else
		fail "$4" "guest reports $2='$got', expected '$3'"
		grep -q 'ELV-DEV done=1' /tmp/$1.out || show_output "$1"
	fi
}

# bg_vm NAME ARGS...: elvisor in the background (no timeout wrapper, so that
# $! is elvisor itself, in $pid); output in /tmp/NAME.out.
bg_vm() {
	name=$1; shift
	$E/elvisor run "$@" > /tmp/$name.out 2>&1 < /dev/null &
	pid=$!
}
# wait_for NAME TEXT SECONDS: TEXT in /tmp/NAME.out while $pid lives.
# A VMM still alive at the timeout has its threads recorded (vm_threads).
wait_for() {
	i=0
	rm -f /tmp/$1.threads
	while [ $i -lt $(($3 * 5)) ]; do
		grep -q "$2" /tmp/$1.out && return 0
		kill -0 $pid 2>/dev/null || return 1
		sleep 0.2; i=$((i + 1))
	done
	vm_threads $pid > /tmp/$1.threads 2>&1
	return 1
}

# vm_threads PID: each thread's name, state, wait channel and kernel stack,
# for a guest that went silent (where its vCPUs and I/O threads are).
vm_threads() {
	for t in /proc/$1/task/*; do
		echo "thread $(basename $t) $(cat $t/comm 2>/dev/null) state=$(cut -d' ' -f3 $t/stat 2>/dev/null)" \
			"wchan=$(cat $t/wchan 2>/dev/null) $(grep -h ctxt_switches $t/status 2>/dev/null | tr -s '\t\n' '  ')"
		sed 's/^/    /' $t/stack 2>/dev/null | head -n 8
	done
}

show_output() {
	echo "---- output of $1 (last 15 lines)"
	tail -n 15 /tmp/$1.out | tr -d '\r'
	[ -s /tmp/$1.threads ] && { echo "---- its VMM's threads at the timeout"; cat /tmp/$1.threads; }
	echo "----"
}

expect_exit() { # NAME CODE CHECK
	if [ "$(cat /tmp/$1.rc)" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "exit status $(cat /tmp/$1.rc), expected $2"
		show_output "$1"
	fi
}

expect_report() { # NAME KEY VALUE CHECK
	got=$(report "$1" "$2")
	if [ "$got" = "$3" ]; then
		pass "$4"
	else
		fail "$4" "guest reports $2='$got', expected '$3'"
		grep -q ELV-REPORT-END /tmp/$1.out || show_output "$1"
	fi
}

expect_feature() { # NAME FEATURE yes|no CHECK (a guest that never reported fails)
	if ! grep -q ELV-REPORT-END /tmp/$1.out; then
		fail "$4" "no complete guest report (exit status $(cat /tmp/$1.rc))"
		show_output "$1"
		return
	fi
	f=" $(report "$1" features) "
	case "$f" in *" $2 "*) have=yes ;; *) have=no ;; esac
	if [ "$have" = "$3" ]; then pass "$4"; else fail "$4" "feature $2 present=$have, expected $3"; fi
}

# expect_guest_view NAME CHECK: the guest's elv-idcheck (booted with
# `elvisor cpu --config P --guest-expect` on its command line) found every
# compared field as the profile says; a FAIL names each field that differs.
expect_guest_view() {
	tr -d '\r' < /tmp/$1.out > /tmp/$1.idcheck
	end=$(sed -n 's/^ELV-IDCHECK-END //p' /tmp/$1.idcheck | head -n 1)
	case $end in
	"mismatches=0 compared="*)
		echo "# $1 guest view: $end"
		case $end in *" compared=0 "*) fail "$2" "nothing compared ($end)" ;; *) pass "$2" ;; esac ;;
	mismatches=*)
		fail "$2" "$end: $(sed -n 's/^ELV-IDCHECK mismatch //p' /tmp/$1.idcheck | tr '\n' ';')" ;;
	*)
		fail "$2" "no elv-idcheck result (${end:-no ELV-IDCHECK-END line}; exit status $(cat /tmp/$1.rc))"
		show_output "$1" ;;
	esac
}

# expect_error NAME "substring" CHECK: non-zero exit, one clear message,
# and no guest started.
expect_error() {
	r=$(cat /tmp/$1.rc)
	if [ "$r" = 0 ]; then
		fail "$3" "exit status 0, expected failure"
	elif ! grep -qF -- "$2" /tmp/$1.out; then
		fail "$3" "message lacks '$2': $(head -n 3 /tmp/$1.out | tr '\n' ' ')"
	elif grep -q "ELV-GUEST-INIT\|Booting Linux" /tmp/$1.out; then
		fail "$3" "a guest started"
	else
		pass "$3"
	fi
}

# run_tool NAME PROGRAM [ARGS...]: an in-host test program that prints
# ok/FAIL/SKIP lines and ends with "N passed, N failed, N skipped" (its lines
# pass through). A crash or an early exit must not just cut the lines short:
# NAME.summary fails when the summary line is missing or disagrees with the
# lines printed, NAME.exit-status when the status is not 0 (no FAIL line) or
# 1 (FAIL lines).
run_tool() {
	name=$1; shift
	"$@" > /tmp/$name.tool 2>&1; st=$?
	cat /tmp/$name.tool
	p=$(grep -c '^ok ' /tmp/$name.tool) f=$(grep -c '^FAIL ' /tmp/$name.tool)
	s=$(grep -c '^SKIP ' /tmp/$name.tool)
	sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed' /tmp/$name.tool | tail -n 1)
	if [ -z "$sum" ]; then
		fail $name.summary "no summary line from $1 (exit status $st): it stopped early"
	elif [ "$sum" != "$p passed, $f failed, $s skipped" ] &&
		{ [ "$sum" != "$p passed, $f failed" ] || [ "$s" != 0 ]; }; then
		fail $name.summary "$1 says '$sum', its lines count $p passed, $f failed, $s skipped"
	else
		pass $name.summary
	fi
	want=0; [ "$f" = 0 ] || want=1
	if [ "$st" = "$want" ]; then pass $name.exit-status; else
		fail $name.exit-status "$1 exited with status $st ($f FAIL lines: expected $want)"
	fi
}

# Leak accounting for elvisor.ko (needs "# host-cmdline elvisor: slub_debug=U" in
# the scenario, so each live slab object records its allocation stack):
# module_objects prints the live objects allocated from elvisor.ko code, one
# "cache function count" line per cache and first elvisor.ko frame, and its
# vmalloc areas as "vmalloc function count". vmap_area is left out: vfree()
# frees those lazily, in batches (the areas are counted from vmallocinfo).
module_objects() {
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
	kasan_drain
	for f in /sys/kernel/debug/slab/*/alloc_traces; do
		[ -e "$f" ] || continue	# none without slub_debug=U
		c=${f%/alloc_traces}
		[ "${c##*/}" = vmap_area ] && continue
		awk -v c="${c##*/}" '
			/^ *[0-9]+ [^ ]/ { n = $1; seen = 0; next }
			/\[elvisor\]/ && !seen { sub(/\+.*/, "", $1); k[c " " $1] += n; seen = 1 }
			END { for (s in k) print s, k[s] }' "$f"
	done | sort
	grep '\[elvisor\]' /proc/vmallocinfo | awk '{ sub(/\+.*/, "", $3); k["vmalloc " $3]++ }
		END { for (s in k) print s, k[s] }' | sort
}
# On the debug kernel (make test-debug, KASAN) a freed slab object waits in
# KASAN's quarantine before the allocator takes it back, so it still counts
# as live (alloc_traces, Slab, MemFree): shrinking every cache empties the
# quarantine first. Nothing on the other hosts.
kasan_drain() {
	is_debug_host || return 0
	for f in /sys/kernel/slab/*/shrink; do echo 1 > "$f" 2>/dev/null; done
}
# meminfo_kb FIELD: a /proc/meminfo field (kB) after dropping the caches.
meminfo_kb() {
	sync; echo 3 > /proc/sys/vm/drop_caches
	kasan_drain
	awk '/^'"$1"':/ { print $2 }' /proc/meminfo
}

# module_objects_changed BEFORE AFTER: "cache function: n -> m" per change.
# (BEFORE is read in BEGIN: with "FNR == NR" an empty BEFORE, the usual
# case, would take AFTER's lines for BEFORE's.)
module_objects_changed() {
	awk -v before="$1" 'BEGIN { while ((getline l < before) > 0) { split(l, f, " "); b[f[1] " " f[2]] = f[3] } }
		{ k = $1 " " $2; if (b[k] != $3) print k ": " (b[k] + 0) " -> " $3; delete b[k] }
		END { for (k in b) print k ": " b[k] " -> 0" }' "$2"
}
# leak_accounting_ready: can module_objects count? Silent if so; else says
# why and returns 1 (without slub_debug=U the per-site lists are empty
# before and after, and an exact comparison of two empty lists proves
# nothing). Needs slub_debug with U on the command line, store_user in
# effect in every kmalloc cache, and debugfs alloc_traces.
leak_accounting_ready() {
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
	grep -qE '(^| )slub_debug=[A-Z]*U' /proc/cmdline ||
		{ echo "no slub_debug=U on the host's command line: no allocation stacks to count"; return 1; }
	for f in /sys/kernel/slab/kmalloc-[0-9]*/store_user; do
		[ "$(cat "$f" 2>/dev/null)" = 1 ] ||
			{ echo "slub_debug=U not in effect: ${f%/store_user} store_user=$(cat "$f" 2>/dev/null)"; return 1; }
	done
	[ -r /sys/kernel/debug/slab/kmalloc-128/alloc_traces ] ||
		{ echo "no /sys/kernel/debug/slab/*/alloc_traces"; return 1; }
}
# module_objects_seen BEFORE PID: while PID runs (making VMs), sample
# module_objects until a slab allocation site of elvisor.ko holds more live
# objects than in BEFORE (the module_objects output taken with no VM):
# prints it and returns 0, so the counting provably sees a VM's own
# objects; returns 1 if PID ends first.
module_objects_seen() {
	# Not kill -0: a finished background job stays a zombie until waited for.
	while [ -r /proc/$2/stat ] && [ "$(sed 's/.*) //' /proc/$2/stat | cut -c1)" != Z ]; do
		module_objects > /tmp/objects.during
		grew=$(awk -v before="$1" 'BEGIN { while ((getline l < before) > 0) { split(l, f, " "); b[f[1] " " f[2]] = f[3] } }
			$1 != "vmalloc" && $3 > b[$1 " " $2] + 0 { print $1, $2 ": " (b[$1 " " $2] + 0) " -> " $3; exit }' \
			/tmp/objects.during)
		[ -n "$grew" ] && { echo "$grew"; return 0; }
		sleep 1
	done
	return 1
}

# Benchmarks print BENCH lines, not ok/FAIL: load elvisor.ko on its host or
# say why not and stop; afterwards, report a kernel warning if there was one.
bench_backend_up() {
	is_elvisor || return 0
	insmod $E/elvisor.ko || { echo "BENCH-ERROR insmod: $(dmesg | tail -n 3)"; exit 1; }
}
bench_kernel_log_check() {
	if dmesg | grep -qE "WARNING|BUG|Oops|Call trace"; then
		echo "BENCH-ERROR kernel log: $(dmesg | grep -E 'WARNING|BUG|Oops' | head -n 3)"
		return 1
	fi
}

# The backend this host was booted for: elvisor.ko under kvm-arm.mode=none,
# otherwise the host's own KVM (the reference).
is_elvisor() { grep -q kvm-arm.mode=none /proc/cmdline; }
# host_name: kvm-6.1, kvm-6.12, elvisor-6.1 or elvisor-6.12.
host_name() {
	if is_elvisor; then printf elvisor; else printf kvm; fi
	uname -r | sed 's/^\([0-9]*\.[0-9]*\).*/-\1/'
}
# can_narrow CHECK: whether this host has writable ID registers
# (KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES and the masks). The harness decides
# from the host, never from the code under test: every host but kvm-6.1 has
# them. CHECK passes when `elvisor cpu` agrees and fails otherwise, so a
# backend that lost its masks fails instead of turning the tests into SKIPs.
can_narrow() {
	want=yes; [ "$(host_name)" = kvm-6.1 ] && want=no
	$E/elvisor cpu > /tmp/can-narrow.out 2>&1; st=$?
	got=unknown
	if grep -q "nothing can be narrowed" /tmp/can-narrow.out; then got=no
	elif grep -q " writable$" /tmp/can-narrow.out; then got=yes; fi
	if [ "$st" != 0 ] || [ "$got" = unknown ]; then
		fail "$1" "elvisor cpu (status $st) shows no writable masks and no refusal: $(head -n 2 /tmp/can-narrow.out | tr '\n' ' ')"
	elif [ "$got" = "$want" ]; then
		pass "$1"
	elif [ "$want" = yes ]; then
		fail "$1" "$(host_name) has writable ID registers; elvisor cpu says it has none"
	else
		fail "$1" "$(host_name) has no writable ID registers; elvisor cpu shows writable fields"
	fi
	[ "$want" = yes ]
}
NO_NARROW_REASON="this backend has no writable ID registers (KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES = 0: Linux 6.1)"
backend_up() {
	is_elvisor || return 0
	if insmod $E/elvisor.ko; then pass backend.insmod; else
		fail backend.insmod "insmod elvisor.ko failed: $(dmesg | tail -n 3)"; exit 1
	fi
}
backend_down() {
	if is_elvisor; then
		rmmod elvisor && pass backend.rmmod || fail backend.rmmod "rmmod elvisor failed"
	fi
	if dmesg | grep -qE "WARNING|BUG|Oops|Call trace|refcount"; then
		fail backend.kernel-log-clean "$(dmesg | grep -E 'WARNING|BUG|Oops' | head -n 3)"
	else
		pass backend.kernel-log-clean
	fi
}
