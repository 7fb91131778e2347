# groups: order=55 test=kvm-6.1,elvisor-6.1 full=kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: `--pmu` / `[cpu] pmu = true`, the same checks on the hosts' own KVM and on elvisor.ko: the guest's PMUv3 driver finds the PMU (FDT `arm,armv8-pmuv3`, PPI 7), a perf counter in the guest counts user cycles over a busy loop, and a sampling one raises SIGIO, which needs the PMU's overflow interrupt through the vGIC (with elvisor.ko's line update disabled it got 0: caught) (the counts are printed; PMUVer is not in the EL0 view of ID_AA64DFR0_EL1, so not checked there), and there is no PMU without the flag; `--pmu` with `--irqchip=none` is refused
# --pmu (lkvm's flag) and [cpu] pmu = true: the guest gets a PMUv3 where the
# backend offers one (KVM_CAP_ARM_PMU_V3: the hosts' own KVM, elvisor.ko on
# a host with a PMU), its kernel's PMU driver finds it and a perf counter
# counts cycles; without the flag there is none. The same checks on both.
. ./lib.sh
backend_up
boot_guest nopmu
expect_report nopmu pmu 0 pmu.none-by-default
cat > /tmp/pmu.toml <<'TOML'
[cpu]
pmu = true
TOML
boot_guest pmu --pmu
expect_report pmu pmu 1 pmu.guest-finds-pmuv3
cycles=$(report pmu pmu_cycles)
echo "# the guest counted $cycles user cycles over its busy loop"
if [ "${cycles:-0}" -gt 0 ] 2>/dev/null; then pass pmu.guest-counts-cycles; else
	fail pmu.guest-counts-cycles "guest's perf counter: '${cycles}' (a count > 0 expected)"; fi
ovf=$(report pmu pmu_overflows)
echo "# the guest's sampling counter raised $ovf overflow signals"
if [ "${ovf:-0}" -gt 0 ] 2>/dev/null; then pass pmu.guest-gets-overflow-irq; else
	fail pmu.guest-gets-overflow-irq "overflow signals from a sampling counter: '${ovf}' (> 0 expected: the PMU interrupt reaches the guest)"; fi
boot_guest pmucfg --config /tmp/pmu.toml
expect_report pmucfg pmu 1 pmu.config-key
run_vm pmunogic -k $KERNEL --pmu --irqchip=none
expect_error pmunogic "--pmu: pmu = true needs the in-kernel GIC" pmu.needs-irqchip
backend_down
