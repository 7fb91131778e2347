# groups: order=150 test=kvm-6.1,elvisor-6.1 full=kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: the vGICv3 device API driven directly (`vgic-test`): creation, addresses, NR_IRQS, INIT, DIST/REDIST/CPU_SYSREGS registers through attributes, KVM_IRQ_LINE reflected in GICD_ISPENDR, error codes — same results on both; vgic-test's exit status and summary line are checked (`run_tool`)
# The in-kernel GICv3 through the KVM device API:
# vgic-test drives KVM_CREATE_DEVICE, the attribute groups and KVM_IRQ_LINE
# with the same expectations on both backends (the one intended difference,
# no ITS on elvisor.ko, is in docs/abi.md).
. ./lib.sh
backend_up
run_tool vgic-test $E/vgic-test
backend_down
