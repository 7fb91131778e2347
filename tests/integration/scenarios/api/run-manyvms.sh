# groups: order=100 test=elvisor-6.1 full=kvm-6.1,kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: VMID exhaustion (`api-manyvms`): 300 VMs that have each run a vCPU stay open at once and all run again (the old 8-bit bitmap failed VM 256 on); then more VMs than VMIDs run at once, one thread each, while each guest checks that its RAM holds what it last wrote. elvisor.ko: with the CPU's width (16), with `vmid_bits=8` (300 VMs: rollovers) and `vmid_bits=3` (16 VMs: hundreds of rollovers, counted by `vmid_rollovers`); module unloads, clean kernel log
# In-host script (busybox sh) for scripts/host-run.sh: api-manyvms against
# the backend the host booted with (VMIDs never run out).
#  1. 300 VMs (MANYVMS=) that have each run a vCPU stay open at once and
#     all run again (elvisor.ko: with the CPU's VMID width, 16 bits under
#     QEMU's -cpu max, then with vmid_bits=8, where 300 VMs need rollovers).
#  2. More VMs than VMIDs running at once on the host's CPUs while each
#     guest checks its own RAM (elvisor.ko: vmid_bits=3, 7 VMIDs, rollovers
#     all the time; vmid_bits=8 with 300 VMs; the reference: same VM counts).
# Then (elvisor.ko) the module unloads, and the kernel log is clean.
# Prints ok/FAIL lines and "N passed, N failed".
. ./lib.sh
pass=0 fail=0
check() { if [ "$2" = 0 ]; then echo "ok $1"; pass=$((pass + 1)); else echo "FAIL $1${3:+: $3}"; fail=$((fail + 1)); fi; }
tool=/elvisor/api-manyvms
[ -x ./api-manyvms ] && tool=./api-manyvms	# a build passed with the script
ko=/elvisor/elvisor.ko
[ -f ./elvisor.ko ] && ko=./elvisor.ko
param=/sys/module/elvisor/parameters
elv=0
is_elvisor && elv=1

# TAG ARGS...: the tool's result lines, renamed TAG.*, counted here.
manyvms() {
	tag=$1; shift
	start=$(date +%s)
	timeout 300 $tool "$@" > /tmp/manyvms.out 2>&1; st=$?
	sed -E -e '/^[0-9]+ passed, [0-9]+ failed$/d' -e "s/^(ok|FAIL) manyvms\./\1 $tag./" /tmp/manyvms.out
	p=$(grep -c '^ok ' /tmp/manyvms.out) f=$(grep -c '^FAIL ' /tmp/manyvms.out)
	pass=$((pass + p)) fail=$((fail + f))
	[ "$st" = 0 ] || [ "$f" != 0 ] || check "$tag.exit" 1 "status $st"
	echo "# $tag: $(($(date +%s) - start)) s"
}

# elvisor.ko with module parameters ARGS (none: the defaults).
load() {
	insmod $ko "$@"; check "manyvms.insmod${1:+_$1}" $?
}
unload() {
	rmmod elvisor; check manyvms.rmmod_after_close $?
}
rollovers() { cat $param/vmid_rollovers 2>/dev/null || echo 0; }

n=${MANYVMS:-300}
if [ $elv = 1 ]; then
	load
	manyvms manyvms -n "$n"
	echo "# VMID width in use: $(cat $param/vmid_bits) bits, $(rollovers) rollovers"
	unload

	load vmid_bits=8
	manyvms manyvms8 -n "$n"
	r=$(rollovers)
	[ "$n" -le 255 ] || [ "$r" -gt 0 ]; check manyvms8.rolled_over $? "$r rollovers for $n VMs"
	manyvms concurrent8 -n "$n" -c 10 -i 20000
	echo "# vmid_bits=8: $(rollovers) rollovers"
	unload

	load vmid_bits=3
	manyvms concurrent3 -n 16 -c 10 -i 20000
	r=$(rollovers)
	[ "$r" -gt 0 ]; check concurrent3.rolled_over $? "$r rollovers"
	echo "# vmid_bits=3: $r rollovers"
	unload
else
	manyvms manyvms -n "$n"
	manyvms concurrent8 -n "$n" -c 10 -i 20000
	manyvms concurrent3 -n 16 -c 10 -i 20000
fi
dmesg | grep -E "WARNING|BUG|Oops|Call trace|hung task|refcount"; [ $? != 0 ]
check manyvms.kernel_log_clean $?
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
