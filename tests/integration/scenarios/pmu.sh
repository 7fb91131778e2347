# groups: order=55 test=kvm-6.1,elvisor-6.1 full=kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: `--pmu` / `[cpu] pmu = true`: on the hosts' own KVM the guest's PMUv3 driver finds the PMU (FDT `arm,armv8-pmuv3`, PPI 7), a perf counter in the guest counts cycles (PMUVer is not in the EL0 view of ID_AA64DFR0_EL1, so not checked there), and there is no PMU without the flag; `--pmu` with `--irqchip=none` is refused. On elvisor.ko (no PMU yet) the request is refused naming the flag or the config line and `KVM_CAP_ARM_PMU_V3`
# --pmu (lkvm's flag) and [cpu] pmu = true: the guest gets a PMUv3 where the
# backend offers one (KVM_CAP_ARM_PMU_V3: the hosts' own KVM), its kernel's
# PMU driver finds it and a perf counter counts cycles; without the flag
# there is none. elvisor.ko has no PMU yet: there the request is refused
# with one line naming the setting and the capability, no guest started.
. ./lib.sh
backend_up
boot_guest nopmu
expect_report nopmu pmu 0 pmu.none-by-default
cat > /tmp/pmu.toml <<'TOML'
[cpu]
pmu = true
TOML
if ! is_elvisor; then
	boot_guest pmu --pmu
	expect_report pmu pmu 1 pmu.guest-finds-pmuv3
	cycles=$(report pmu pmu_cycles)
	if [ "${cycles:-0}" -gt 0 ] 2>/dev/null; then pass pmu.guest-counts-cycles; else
		fail pmu.guest-counts-cycles "guest's perf counter: '${cycles}' (a count > 0 expected)"; fi
	boot_guest pmucfg --config /tmp/pmu.toml
	expect_report pmucfg pmu 1 pmu.config-key
	run_vm pmunogic -k $KERNEL --pmu --irqchip=none
	expect_error pmunogic "--pmu: pmu = true needs the in-kernel GIC" pmu.needs-irqchip
else
	run_vm pmu -k $KERNEL -i $INITRD --pmu
	expect_error pmu "--pmu: pmu = true, but /dev/kvm offers no PMU (KVM_CAP_ARM_PMU_V3 is 0)" pmu.refused-without-backend-pmu
	run_vm pmucfg -k $KERNEL -i $INITRD --config /tmp/pmu.toml
	expect_error pmucfg "/tmp/pmu.toml:2:1: pmu = true, but" pmu.refusal-names-config-line
fi
backend_down
