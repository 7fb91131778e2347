# groups: order=130 test=kvm-6.1,elvisor-6.1 full=kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: bare-metal EL1 payloads (`guest/baremetal`, `--irqchip=none`) with the same expectations on both backends: PSCI/SMCCC/TRNG/vendor answers over HVC and SMC, MMIO of each width with sign/zero extension (the reference under TCG does not sign-extend: stated SKIP), ID registers with and without SVE/ptrauth, RDVL per VL limit (with no SVE option, RDVL must equal the host's largest VL, which the host kernel reports when its default VL is set to -1), PAC with and without ptrauth, the 32 FP/SIMD registers and FPCR kept across 32 exits (SVE and non-SVE vCPUs), LORegion registers as upstream's trap_loregion (RAZ/WI when ID_AA64MMFR1_EL1.LO is shown, a LORID_EL1 write UNDEF, else all UNDEF), the GIC system registers in a VM without a vGIC UNDEF on 6.12 and elvisor.ko as 6.12's vcpu_set_ich_hcr (6.1 lets the guest reach the virtual CPU interface but for an SGI1R write), WFI woken by the timer and blocking until then (at most 24 WFI returns to cover 10 ms: a WFI the hypervisor does not block returned 78 times under load), CPU_ON/OFF/AFFINITY_INFO with 2 vCPUs; ID narrowing from a config as the guest reads it, on every host with writable ID registers; the host's own FP/SVE/PAC state intact while guests run pinned to the same CPU (those guests must each run to BM-END and exit 0). A missing payload fails (`make` builds them all)
# Bare-metal EL1 payloads (guest/baremetal) under --irqchip=none: PSCI and
# SMCCC answers, MMIO of each width with sign/zero extension, SMC, ID
# registers, RDVL per SVE configuration, PAC with and without ptrauth, WFI
# woken by the virtual timer, PSCI CPU_ON/CPU_OFF/AFFINITY_INFO.
# The same expectations hold on both backends, except one stated below.
. ./lib.sh
BM=$E/bm-basic.bin

# bm_expect NAME KEY VALUE: the payload printed "BM KEY=VALUE".
bm_expect() {
	got=$(sed -n "s/^BM $2=//p" /tmp/$1.out | tr -d '\r' | head -n 1)
	if [ "$got" = "$3" ]; then
		pass "baremetal.$1.$2"
	else
		fail "baremetal.$1.$2" "payload printed '$got', expected '$3'"
	fi
}

bm_run() { # NAME [elvisor args]
	name=$1; shift
	run_vm "$name" -k $BM -m 64 --irqchip=none "$@"
	expect_exit "$name" 0 "baremetal.$name.system-off-exit-0"
	grep -q '^BM-END' /tmp/$name.out && pass "baremetal.$name.completed" ||
		{ fail "baremetal.$name.completed" "no BM-END"; show_output "$name"; }
}

if grep -q kvm-arm.mode=none /proc/cmdline; then
	insmod $E/elvisor.ko && pass baremetal.module-loaded ||
		{ fail baremetal.module-loaded "insmod failed"; exit 0; }
fi
# make builds every payload: one missing is a broken build, not a skip.
for p in $BM $E/bm-smp.bin $E/bm-bench.bin; do
	[ -f $p ] || { fail baremetal.payloads-built "no $p (make builds it)"; exit 0; }
done
pass baremetal.payloads-built

bm_run basic
# SMC #0 is an SMCCC conduit like HVC since Linux 6.4 (6.12 and elvisor.ko
# answer PSCI_VERSION over it); Linux 6.1 answers NOT_SUPPORTED to any SMC.
smc_psci_version=0x10001
[ "$(host_name)" = kvm-6.1 ] && smc_psci_version=0xffffffffffffffff
for kv in psci_version=0x10001 psci_features_cpu_on=0x0 \
	psci_features_smccc_version=0x0 psci_features_bogus=0xffffffffffffffff \
	psci_migrate_info_type=0x2 psci_affinity_info_self=0x0 \
	smccc_version=0x10001 smccc_arch_features_bogus=0xffffffffffffffff \
	trng_version=0x10000 kvm_vendor_features=0x3 \
	hvc_unknown=0xffffffffffffffff smc_psci_version=$smc_psci_version \
	smc1_psci_version=0xffffffffffffffff \
	mmio_w8_r8=0xa5 mmio_w16_r8=0x34 mmio_r16=0x34 mmio_w32_r8=0xef \
	mmio_r32=0xef mmio_w64_r8=0x5a mmio_r64=0x5a \
	mmio_ldrsh_x=0x80 mmio_ldrb_w=0x80 mmio_ldrb_x30=0x80 mmio_strb_wzr=0x0 \
	MPIDR_EL1=0x80000000 sve_rdvl_zcr0_bytes=0x10 pacga=ok \
	wfi_timer_wake=ok fp_regs_changed=0x0 fp_fpcr_kept=ok lor_rule=ok exceptions=0x0; do
	bm_expect basic "${kv%%=*}" "${kv#*=}"
done
# Above the VM's 40-bit IPA size: an abort on every backend (elvisor.ko
# used to exit to the VMM as MMIO, which read zero).
bm_expect basic ipa_beyond_vm_load abort
# RAS error records are never the host's: zero or UNDEF, never a value.
if grep -q '^BM ras_records=no-ras' /tmp/basic.out; then
	skip baremetal.basic.ras_records_hidden "the CPU has no RAS extension"
else
bm_expect basic ras_erridr zero
if grep -q '^BM ras_[a-z_]*=visible' /tmp/basic.out; then
	fail baremetal.basic.ras_records_hidden "$(grep '^BM ras_' /tmp/basic.out | tr '\r\n' '  ')"
else
	pass baremetal.basic.ras_records_hidden
fi
fi
# Sign extension of emulated loads (LDRSB): the reference KVM 6.1, nested
# under QEMU TCG, hands back the zero-extended byte; the architecture (and
# elvisor.ko) sign-extends as ESR.SSE says.
for kv in mmio_ldrsb_x=0xffffffffffffff80 mmio_ldrsb_w=0xffffff80; do
	if grep -q kvm-arm.mode=none /proc/cmdline; then
		bm_expect basic "${kv%%=*}" "${kv#*=}"
	else
		skip "baremetal.basic.${kv%%=*}" "reference KVM under TCG does not sign-extend MMIO loads (got $(sed -n "s/^BM ${kv%%=*}=//p" /tmp/basic.out | tr -d '\r'))"
	fi
done
# With no SVE option the vCPU gets every VL the host offers: RDVL with
# ZCR_EL1.LEN = max must give the host's own largest VL, which the host
# kernel reports when its default VL is set to -1 (the maximum).
def_vl=$(cat /proc/sys/abi/sve_default_vector_length)
echo -1 > /proc/sys/abi/sve_default_vector_length
host_vl=$(cat /proc/sys/abi/sve_default_vector_length)
echo "$def_vl" > /proc/sys/abi/sve_default_vector_length
host_max=$(sed -n 's/^BM sve_rdvl_max_bytes=//p' /tmp/basic.out | tr -d '\r')
if [ -n "$host_max" ] && [ "$((host_max))" = "$host_vl" ]; then
	pass baremetal.basic.sve-rdvl-max
else
	fail baremetal.basic.sve-rdvl-max "RDVL gives '$host_max' bytes, the host's largest VL is $host_vl bytes"
fi
echo "# LORegions: ID_AA64MMFR1_EL1.LO $(sed -n 's/^BM lor_lo=//p' /tmp/basic.out | tr -d '\r'), LORC_EL1 read: $(sed -n 's/^BM lorc_read=//p' /tmp/basic.out | tr -d '\r')"
echo "# WFI returns to cover 10 ms: $(sed -n 's/^BM wfi_returns=//p' /tmp/basic.out | tr -d '\r')"

# The cache ID registers the guest reads are the vCPU's ONE_REG values
# (6.12 and elvisor.ko fabricate them and trap the guest's reads; 6.1 shows
# the host's, untrapped, and reports those), CSSELR_EL1 the last written.
$E/api-reglist -v > /tmp/reglist.out 2>&1
one_reg() { sed -n "s/^none $1 = //p" /tmp/reglist.out | tr -d '\r' | head -n 1; }
for kv in CLIDR_EL1=603000000013c801 CCSIDR_EL1_0=6020000000110000 \
	CCSIDR_EL1_1=6020000000110001 CCSIDR_EL1_2=6020000000110002; do
	bm_expect basic "${kv%%=*}" "$(one_reg ${kv#*=})"
done
# 6.1 does not trap CTR_EL0: its guest reads the hardware's, whose IDC is
# clear here, where ONE_REG shows the kernel's sanitised value (IDC set, as
# CLIDR has no LoU level).
if [ "$(host_name)" = kvm-6.1 ]; then
	skip baremetal.basic.CTR_EL0 "6.1 shows the guest the hardware's CTR_EL0, not the sanitised one ONE_REG reports"
else
	bm_expect basic CTR_EL0 "$(one_reg 603000000013d801)"
fi
bm_expect basic CSSELR_EL1 0x2
# A narrowed CTR_EL0 (DminLine 64 -> 32 bytes, IDC off) is what the guest
# reads, and the Linux guest's cache maintenance still works with it
# (config.sh boots one); the topology stays the host's (CLIDR from it).
if can_narrow baremetal.cache.narrowing-available; then
	printf '[cpu.id_registers]\nCTR_EL0.DMINLINE = 3\nCTR_EL0.IDC = 0\n' > /tmp/ctr.toml
	bm_run ctr --config /tmp/ctr.toml
	want=$(printf '0x%x' $(( $(one_reg 603000000013d801) & ~(0xf << 16) & ~(1 << 28) | (3 << 16) )))
	bm_expect ctr CTR_EL0 "$want"
	bm_expect ctr CLIDR_EL1 "$(one_reg 603000000013c801)"
else
	skip baremetal.ctr.CTR_EL0 "$NO_NARROW_REASON"
fi

bm_run sve256 --sve-max-vl 256
bm_expect sve256 sve_rdvl_max_bytes 0x20
bm_expect sve256 sve_rdvl_zcr0_bytes 0x10
bm_run sve128 --sve-max-vl 128
bm_expect sve128 sve_rdvl_max_bytes 0x10

bm_run nofeat --disable-sve --disable-ptrauth
bm_expect nofeat sve_rdvl undef
bm_expect nofeat pacga undef
bm_expect nofeat ID_AA64ZFR0_EL1 0x0
# A vCPU without SVE: elvisor.ko's lazy FP/SIMD load (basic's is an SVE vCPU's).
bm_expect nofeat fp_regs_changed 0x0
bm_expect nofeat fp_fpcr_kept ok
# ID registers: SVE (PFR0 bits 35:32) and the PAC fields of ISAR1 (APA, API,
# GPA, GPI) hidden without the features, shown with them.
field() { # NAME REG SHIFT: 4-bit field of a printed register
	v=$(sed -n "s/^BM $2=//p" /tmp/$1.out | tr -d '\r')
	[ -n "$v" ] && echo $(( (v >> $3) & 15 ))
}
[ "$(field nofeat ID_AA64PFR0_EL1 32)" = 0 ] && [ "$(field basic ID_AA64PFR0_EL1 32)" = 1 ] &&
	pass baremetal.idregs.sve-field || fail baremetal.idregs.sve-field "PFR0.SVE $(field basic ID_AA64PFR0_EL1 32)/$(field nofeat ID_AA64PFR0_EL1 32)"
# No in-kernel GICv3 (--irqchip=none): since Linux 6.12 the VM stops
# advertising the GIC system registers at its first run (elvisor.ko as
# 6.12); 6.1 shows the host's GIC field.
gic_want=0
[ "$(host_name)" = kvm-6.1 ] && gic_want=1
[ "$(field basic ID_AA64PFR0_EL1 24)" = $gic_want ] && pass baremetal.idregs.no-vgic-gic-field ||
	fail baremetal.idregs.no-vgic-gic-field "PFR0.GIC $(field basic ID_AA64PFR0_EL1 24), expected $gic_want"
# And its GIC system registers (6 probes: PMR, CTLR, IAR1, IGRPEN1, BPR0,
# SGI1R): 6.12 traps them all and injects UNDEF (vcpu_set_ich_hcr), as
# elvisor.ko does; 6.1 lets the guest reach the virtual CPU interface (its
# SGI1R write, always trapped by HCR_EL2.IMO, UNDEFs: 1 of the 6).
icc_want=0x6
[ "$(host_name)" = kvm-6.1 ] && icc_want=0x1
echo "# GIC system registers without a vGIC: $(grep '^BM icc_[a-z0-9]*_' /tmp/basic.out | sed 's/^BM icc_//' | tr '\r\n' '  ')"
bm_expect basic icc_undefs $icc_want
pac_on=$(( $(field basic ID_AA64ISAR1_EL1 4) + $(field basic ID_AA64ISAR1_EL1 8) + $(field basic ID_AA64ISAR1_EL1 24) + $(field basic ID_AA64ISAR1_EL1 28) ))
pac_off=$(( $(field nofeat ID_AA64ISAR1_EL1 4) + $(field nofeat ID_AA64ISAR1_EL1 8) + $(field nofeat ID_AA64ISAR1_EL1 24) + $(field nofeat ID_AA64ISAR1_EL1 28) ))
[ "$pac_off" = 0 ] && [ "$pac_on" -gt 0 ] && pass baremetal.idregs.pac-fields ||
	fail baremetal.idregs.pac-fields "ISAR1 PAC fields on=$pac_on off=$pac_off"
for r in ID_AA64ISAR0_EL1 ID_AA64MMFR0_EL1 ID_AA64PFR1_EL1; do
	[ "$(sed -n "s/^BM $r=//p" /tmp/basic.out)" = "$(sed -n "s/^BM $r=//p" /tmp/nofeat.out)" ] &&
		pass baremetal.idregs.$r-unchanged || fail baremetal.idregs.$r-unchanged "differs between configurations"
done

# ID narrowing from a config file, as the guest reads it: ISAR0.ATOMIC
# (bits 23:20) becomes 0 and nothing else changes. Needs writable ID
# registers: elvisor.ko and Linux 6.12 have them, Linux 6.1 does not.
if can_narrow baremetal.idregs.narrowing-available; then
	bm_run narrow --config $E/configs/narrow-atomics.toml
	[ "$(field narrow ID_AA64ISAR0_EL1 20)" = 0 ] && [ "$(field basic ID_AA64ISAR0_EL1 20)" != 0 ] &&
		pass baremetal.idregs.narrowed-atomic || fail baremetal.idregs.narrowed-atomic \
		"ATOMIC basic=$(field basic ID_AA64ISAR0_EL1 20) narrowed=$(field narrow ID_AA64ISAR0_EL1 20)"
	others=$(( $(sed -n 's/^BM ID_AA64ISAR0_EL1=//p' /tmp/basic.out | tr -d '\r') & ~(15 << 20) ))
	narrowed=$(( $(sed -n 's/^BM ID_AA64ISAR0_EL1=//p' /tmp/narrow.out | tr -d '\r') & ~(15 << 20) ))
	[ "$others" = "$narrowed" ] && pass baremetal.idregs.other-fields-kept ||
		fail baremetal.idregs.other-fields-kept "ISAR0 outside ATOMIC changed"
else
	skip baremetal.idregs.narrowed-atomic "$NO_NARROW_REASON"
fi

# The host's own FP/SIMD, SVE and PAC state survives guests running on the
# same CPUs: a checker keeps it live across yields while guests come and go.
# Both pinned to CPU 0, so that guest entries and exits interleave with the
# checker on the same CPU.
taskset 1 $E/hoststate 20 > /tmp/hoststate.out 2>&1 &
hs=$!
hs_bad=
for i in 1 2 3; do
	RUN_PREFIX="taskset 1" run_vm hs$i -k $E/bm-basic.bin -m 64 --irqchip=none
	RUN_PREFIX="taskset 1" run_vm hsb$i -k $E/bm-bench.bin -m 64 --irqchip=none
	for n in hs$i hsb$i; do
		[ "$(cat /tmp/$n.rc)" = 0 ] && grep -q '^BM-END' /tmp/$n.out || hs_bad="$hs_bad $n:$(cat /tmp/$n.rc)"
	done
done
wait $hs
hs_rc=$?
# The guests must have run to their end, or the checker saw no guest at all.
[ -z "$hs_bad" ] && pass baremetal.hoststate-guests-ran ||
	fail baremetal.hoststate-guests-ran "guests without BM-END or exit 0 (name:status):$hs_bad"
[ "$hs_rc" = 0 ] && grep -q " 0 mismatches" /tmp/hoststate.out &&
	pass "baremetal.host-fp-sve-pac-state-intact" ||
	fail baremetal.host-fp-sve-pac-state-intact "$(cat /tmp/hoststate.out)"
grep -q "sve=1 pac=1" /tmp/hoststate.out && pass baremetal.hoststate-covers-sve-pac ||
	fail baremetal.hoststate-covers-sve-pac "$(cat /tmp/hoststate.out)"

BM=$E/bm-smp.bin
bm_run smp -c 2
for kv in affinity_cpu1_before=0x1 cpu_on_cpu1=0x0 secondary_ran=0x1 \
	secondary_context_ok=0x1 secondary_mpidr=0x80000001 \
	affinity_cpu1_after_off=0x1 affinity_self=0x0 \
	cpu_on_self=0xfffffffffffffffc cpu_on_nobody=0xfffffffffffffffe; do
	bm_expect smp "${kv%%=*}" "${kv#*=}"
done

dmesg | grep -E "WARNING|BUG|Oops|Call trace" > /tmp/klog
[ -s /tmp/klog ] && fail baremetal.host-kernel-log-clean "$(head -n 3 /tmp/klog | tr '\n' ' ')" ||
	pass baremetal.host-kernel-log-clean
