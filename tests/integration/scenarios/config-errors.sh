# groups: order=40 test=kvm-6.1,kvm-6.12,elvisor-6.1,elvisor-6.12   (tests/integration/groups.sh)
# proves: malformed TOML, unknown key with did-you-mean, wrong type, out of range, an unsupported VL set, a field above the host's value, unknown field, profile, service, PSCI version; a field the backend does not let userspace write (`ID_AA64PFR0_EL1.RAS`, per the backend's writable masks); `elvisor cpu --config` says why a config cannot run, or shows the narrowed value
# Bad VM configs: a clear error naming file:line and the field, a non-zero
# exit, nothing started. The configs are checked against the
# backend before anything runs, so a bare-metal payload without an in-kernel
# irqchip serves as the "kernel": the same checks run on both backends.
. ./lib.sh
backend_up
bad() { # NAME 'toml text'
	printf '%s\n' "$2" > /tmp/$1.toml
	run_vm "$1" -k $E/bm-basic.bin -m 64 --irqchip=none --config /tmp/$1.toml
}
bad malformed '[cpu
sve = true'
expect_error malformed "/tmp/malformed.toml:1:" config-errors.malformed-toml
bad unknown-key '[vm]
memory = 256'
expect_error unknown-key 'did you mean "mem"' config-errors.unknown-key-did-you-mean
bad wrong-type '[vm]
cpus = "two"'
expect_error wrong-type "/tmp/wrong-type.toml:2:" config-errors.wrong-type
bad out-of-range '[vm]
cpus = 0'
expect_error out-of-range "/tmp/out-of-range.toml:2:" config-errors.out-of-range
bad bad-vls '[cpu]
sve_vector_lengths = [128, 512]'
expect_error bad-vls "sve_vector_lengths = [128, 512]: not a set" config-errors.unsupported-vl-set
bad above-host '[cpu.id_registers]
ID_AA64ISAR0_EL1.ATOMIC = 3'
expect_error above-host "ID_AA64ISAR0_EL1.ATOMIC = 3: more than this host offers" config-errors.field-above-host
bad unknown-field '[cpu.id_registers]
ID_AA64ISAR0_EL1.ATOMICS = 0'
expect_error unknown-field "ATOMICS" config-errors.unknown-field
bad unknown-profile '[cpu]
profile = "nosuch"'
expect_error unknown-profile "nosuch" config-errors.unknown-profile
bad unknown-service '[firmware]
services = ["trng", "warp"]'
expect_error unknown-service "warp" config-errors.unknown-service
bad bad-psci '[firmware]
psci_version = "2.0"'
expect_error bad-psci "/tmp/bad-psci.toml:2:" config-errors.bad-psci-version
# A field the backend does not let userspace change (upstream 6.12 keeps
# ID_AA64PFR0_EL1.RAS to itself; the emulated CPU has RAS = 2): only a
# backend with writable masks can say so; Linux 6.1 refuses every narrowing
# (checked above and in config.sh).
narrowing=yes
can_narrow config-errors.narrowing-available || narrowing=no
if [ $narrowing = yes ]; then
	bad not-writable '[cpu.id_registers]
ID_AA64PFR0_EL1.RAS = 0'
	expect_error not-writable "ID_AA64PFR0_EL1.RAS: not writable on /dev/kvm" config-errors.field-not-writable
else
	skip config-errors.field-not-writable "$NO_NARROW_REASON"
fi
$E/elvisor cpu --config $E/configs/narrow-atomics.toml > /tmp/cpucfg.out 2>&1
if [ $narrowing = no ]; then
	grep -q "cannot narrow ID registers" /tmp/cpucfg.out &&
		pass config-errors.cpu-config-says-why || fail config-errors.cpu-config-says-why "$(cat /tmp/cpucfg.out)"
else
	grep -q "ATOMIC .*= 0 " /tmp/cpucfg.out &&
		pass config-errors.cpu-config-shows-narrowed || fail config-errors.cpu-config-shows-narrowed "$(head /tmp/cpucfg.out)"
fi
backend_down
