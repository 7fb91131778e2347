# groups: order=30 test=kvm-6.12 full=kvm-6.1,elvisor-6.1,elvisor-6.12   (tests/integration/groups.sh)
# proves: VM config files: the guest sees what was configured — SVE off / max 256 / an explicit set, a flag overriding the file, ptrauth off and on, PSCI 1.0 and 1.1, TRNG and PTP off and on, `ID_AA64PFR0_EL1.SVE = 0`; `elvisor cpu` and `--json`. ID-register narrowing (`narrow-atomics`, the `baseline` profile) needs writable ID registers: on kvm-6.12 and elvisor.ko the guest sees the narrowed CPU; on kvm-6.1 the clear refusal is checked and the guest view is a SKIP with that reason (chosen by the host: `can_narrow`). Every guest-view check needs a complete guest report (`expect_feature` fails without `ELV-REPORT-END`), and every config's guest must exit 0
# VM config files: the guest sees exactly what was configured.
# Runs on every host; ID-register narrowing needs writable ID registers,
# which Debian's 6.1 KVM lacks: there the refusal itself is checked and the
# guest-visible part is a SKIP with that reason (chosen by the host, lib.sh
# can_narrow: on any other host the narrowed guest is required).
. ./lib.sh
backend_up
C=$E/configs
cfg() { name=$1; shift; boot_guest "$name" --config $C/$name.toml "$@"; }

narrowing=yes
can_narrow config.narrowing-available || narrowing=no
$E/elvisor cpu > /tmp/cpu.out 2>&1
grep -q "ID_AA64ISAR0_EL1" /tmp/cpu.out && pass config.cpu-report-lists-idregs ||
	fail config.cpu-report-lists-idregs "$(head -n 5 /tmp/cpu.out)"
$E/elvisor cpu --json > /tmp/cpu.json 2>&1
grep -q '"id_registers"' /tmp/cpu.json && grep -q '"sve_vector_lengths"' /tmp/cpu.json &&
	pass config.cpu-report-json || fail config.cpu-report-json "$(head -n 3 /tmp/cpu.json)"

cfg sve-off
expect_exit sve-off 0 config.sve-off.boots
expect_report sve-off sve 0 config.sve-off.guest-has-no-sve

cfg sve-max-256
expect_report sve-max-256 sve_max_vl 256 config.sve-max-256.max-vl
expect_report sve-max-256 sve_vls 128,256 config.sve-max-256.vls

cfg sve-set-128-256
expect_report sve-set-128-256 sve_vls 128,256 config.sve-set.vls

cfg sve-max-256 --sve-max-vl 128
expect_report sve-max-256 sve_vls 128 config.flag-overrides-file

cfg ptrauth-off
expect_exit ptrauth-off 0 config.ptrauth-off.boots
expect_feature ptrauth-off paca no config.ptrauth-off.no-paca
expect_feature ptrauth-off pacg no config.ptrauth-off.no-pacg
cfg ptrauth-on
expect_feature ptrauth-on paca yes config.ptrauth-on.paca
expect_feature ptrauth-on pacg yes config.ptrauth-on.pacg

cfg psci-1.0
expect_report psci-1.0 psci 1.0 config.psci-1.0
cfg psci-1.1
expect_report psci-1.1 psci 1.1 config.psci-1.1

cfg services-off
expect_report services-off trng 0 config.services-off.no-trng
expect_report services-off ptp 0 config.services-off.no-ptp
expect_report services-off pv_time 0 config.services-off.no-pv-time
cfg services-on
expect_report services-on trng 1 config.services-on.trng
expect_report services-on ptp 1 config.services-on.ptp
expect_report services-on pv_time 1 config.services-on.pv-time

# ID_AA64PFR0_EL1.SVE = 0 is carried out by not giving the vCPU SVE: it
# works on every backend.
cfg narrow-sve-field
expect_report narrow-sve-field sve 0 config.narrow-sve-field.no-sve

cfg narrow-atomics
if [ $narrowing = yes ]; then
	expect_exit narrow-atomics 0 config.narrow-atomics.boots
	expect_feature narrow-atomics atomics no config.narrow-atomics.no-atomics
	cfg baseline
	expect_exit baseline 0 config.baseline.boots
	expect_feature baseline sha3 no config.baseline.no-sha3
	expect_feature baseline sve no config.baseline.no-sve
else
	expect_error narrow-atomics "cannot narrow ID registers" config.narrow-atomics.refused-clearly
	skip config.narrow-atomics.no-atomics "$NO_NARROW_REASON"
	cfg baseline
	expect_error baseline "cannot narrow ID registers" config.baseline.refused-clearly
	skip config.baseline.guest-view "$NO_NARROW_REASON"
fi
backend_down
