# groups: order=190 test=kvm-6.1,kvm-6.12,elvisor-6.1,elvisor-6.12 via=make-test-lkvm   (tests/integration/groups.sh)
# proves: unmodified kvmtool (`make test-lkvm LKVM=/path/to/lkvm-static`, an arm64 static build of it; nothing of kvmtool is in this tree) boots the standard Linux guest on each host with its own defaults (its GICv3 ITS probe falls back to a plain GICv3 where there is no ITS) and 2 vCPUs, the guest's ID registers equal those of the same guest under elvisor on that backend, and with `--pmu` the guest finds a PMUv3, counts cycles and gets overflow interrupts, without it no PMU: the same checks on the hosts' own KVM and on elvisor.ko
# kvmtool on this host's backend, the standard guest in report mode. The
# binary is /test/lkvm-static (run.sh copies it in from ELV_EXTRA_FILES).
. ./lib.sh
LKVM=/test/lkvm-static
[ -x $LKVM ] || { fail lkvm.binary "no $LKVM in the host (make test-lkvm LKVM=...)"; exit 1; }
export HOME=/tmp	# kvmtool keeps its sockets in $HOME/.lkvm
backend_up
# lkvm_vm NAME [kvmtool run args]: the standard guest under kvmtool.
lkvm_vm() {
	name=$1; shift
	vmm_run $LKVM "$name" -k $KERNEL -i $INITRD -m 256 -c 2 --nodefaults \
		--network mode=none -p "$GUEST_CMDLINE" "$@"
}
lkvm_vm lkvm
if [ "$rc" = 0 ] && grep -q ELV-REPORT-END /tmp/lkvm.out; then pass lkvm.boots-linux; else
	fail lkvm.boots-linux "kvmtool exit status $rc"; show_output lkvm; fi
expect_report lkvm nprocs 2 lkvm.two-vcpus
expect_report lkvm pmu 0 lkvm.no-pmu-by-default
echo "# kvmtool's lines on its irqchip: $(grep -a 'ITS\|irqchip' /tmp/lkvm.out | tr -d '\r' | tr '\n' ' ')"
# The same guest under elvisor, this backend's default vCPU: the ID
# registers the guest kernel reads are the same under both VMMs.
boot_guest elv -c 2
for r in ID_AA64ISAR0_EL1 ID_AA64ISAR1_EL1 ID_AA64MMFR0_EL1 ID_AA64MMFR1_EL1 ID_AA64PFR0_EL1 ID_AA64DFR0_EL1; do
	a=$(report lkvm $r) b=$(report elv $r)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then pass lkvm.same-$r; else
		fail lkvm.same-$r "kvmtool's guest reads '$a', elvisor's '$b'"; fi
done
lkvm_vm lkvmpmu --pmu
expect_report lkvmpmu pmu 1 lkvm.pmu.guest-finds-pmuv3
cycles=$(report lkvmpmu pmu_cycles) ovf=$(report lkvmpmu pmu_overflows)
echo "# under kvmtool --pmu the guest counted $cycles user cycles and got $ovf overflow signals"
if [ "${cycles:-0}" -gt 0 ] 2>/dev/null; then pass lkvm.pmu.counts-cycles; else
	fail lkvm.pmu.counts-cycles "guest's perf counter: '${cycles}' (a count > 0 expected)"; fi
if [ "${ovf:-0}" -gt 0 ] 2>/dev/null; then pass lkvm.pmu.overflow-irq; else
	fail lkvm.pmu.overflow-irq "overflow signals: '${ovf}' (> 0 expected)"; fi
backend_down
