# groups: order=45 test=kvm-6.1,kvm-6.12,elvisor-6.1 full=elvisor-6.12   (tests/integration/groups.sh)
# proves: fleet CPU profiles (docs/profiles.md): `elvisor cpu --json` reports its backend, writable masks and ptrauth algorithm; `elvisor profile common` over this host alone (no narrowing, presentable), with a synthetic narrower host made from the report (no LSE atomics, SVE 128/256, PSCI 1.0, no PTP: every line commented with the host that limited it) and with a real kvm-6.1 report of the same emulated CPU; `elvisor cpu --check` answers 0 for what the host can present and 1, listing every unmet setting with requested and host value and writability, for a profile no host can (`--json` too), and its verdict agrees with `profile common`'s conflicts (on kvm-6.12 the kvm-6.1 mix is not presentable: 6.12 shows FEAT_HCX, which no VMM can narrow); guests boot with the produced profile and with `armv8.0`, `armv8.2`, `armv8.4` and `armv9.0`, and their `/proc/cpuinfo` features are checked (present and hidden ones), and so, inside the guest, is every ID register field the guest kernel shows at EL0 plus SVE and ptrauth (`elv-idcheck` against `elvisor cpu --config P --guest-expect`: `profiles.NAME.guest-matches`; a guest told to expect armv8.0 without it must name the ATOMIC and SVE mismatches); `cpu --config` says which hidden features are enforced or only advertised, and one of each is shown in an armv8.0 guest (an LSE LDADD runs with ATOMIC = 0; RDVL gets SIGILL with SVE off). On kvm-6.1 the narrowing profiles are refused clearly (a conflict naming host and field, `cpu --check` status 1 with "no writable ID registers") and the guest views are SKIPs with that reason
# Fleet CPU profiles (docs/profiles.md): `elvisor cpu --json` of
# this host; `elvisor profile common` over it alone, with a synthetic
# narrower host made from it, and with a real report of another backend of
# this emulated CPU (kvm-6.1's, below); `elvisor cpu --check` answers 0 for
# what the host can present and 1, listing every unmet setting, for what it
# cannot; guests boot with the produced profile and with each shipped
# architecture-level profile and see what it says (their /proc/cpuinfo
# features, and every ID register field the guest kernel shows to EL0, SVE
# and ptrauth, compared inside the guest by elv-idcheck against
# `elvisor cpu --config P --guest-expect`). Narrowing needs writable ID registers: on kvm-6.1 (Linux 6.1's
# KVM has none) the same commands must say, clearly, that the narrowing
# profiles cannot be presented there, and no guest is booted with them
# (chosen by the host: lib.sh can_narrow).
. ./lib.sh
backend_up
narrowing=yes
can_narrow profiles.narrowing-available || narrowing=no
me=$(host_name)
T=/tmp/prof
mkdir -p $T

# rc CMD...: runs it, output in $T/out (stdout and stderr), status in $st.
rc() { "$@" > $T/out 2>&1; st=$?; }
has() { grep -qF -- "$1" $T/out; }
why() { echo "status $st: $(head -n 4 $T/out | tr '\n' ' ')"; }

# ---- this host's report ----
rc $E/elvisor cpu --json
cp $T/out $T/$me.json
want=false; [ $narrowing = yes ] && want=true
if [ $st = 0 ] && has "\"writable_id_registers\": $want," && has '"backend_kind": "' &&
	has '"ptrauth_algorithm": "' && has '"writable_mask": "'; then
	pass profiles.report-json
else
	fail profiles.report-json "$(why)"
fi

# ---- one host: its own CPU, presentable everywhere ----
rc $E/elvisor profile common $T/$me.json -o $T/self.toml
[ $st = 0 ] && grep -q "none: the hosts agree" $T/self.toml && pass profiles.self.common ||
	fail profiles.self.common "$(why)"
rc $E/elvisor cpu --check $T/self.toml
[ $st = 0 ] && has "ok: /dev/kvm can present $T/self.toml" && pass profiles.self.check ||
	fail profiles.self.check "$(why)"

# ---- a synthetic narrower host: no LSE atomics, SVE 128/256, PSCI 1.0, no PTP ----
sed -e 's/"ATOMIC": { "value": [0-9]*/"ATOMIC": { "value": 0/' \
    -e 's/"host_sve_vector_lengths": \[[^]]*\]/"host_sve_vector_lengths": [128, 256]/' \
    -e 's/"psci_version": "[^"]*"/"psci_version": "1.0"/' \
    -e 's/"ptp": true/"ptp": false/' $T/$me.json > $T/narrow.json
rc $E/elvisor profile common $T/$me.json $T/narrow.json -o $T/fleet.toml
cp $T/out $T/fleet.err
line() { grep -q "^$1 *# $2" $T/fleet.toml; }
if ! line 'ID_AA64ISAR0_EL1.ATOMIC = 0' "limited by narrow; $me 2" ||
	! line 'sve_vector_lengths = \[128, 256\]' 'limited by narrow' ||
	! line 'psci_version = "1.0"' 'the lowest: on narrow' || ! line 'ptp = false' 'not offered by narrow'; then
	fail profiles.fleet.lines "$(grep -E 'ATOMIC|sve_vector|psci_version|ptp' $T/fleet.toml | tr '\n' ' ')"
else
	pass profiles.fleet.lines
fi
if [ $narrowing = yes ]; then
	[ $st = 0 ] && grep -q "^# Every host can present it" $T/fleet.toml && pass profiles.fleet.no-conflicts ||
		fail profiles.fleet.no-conflicts "$(why)"
else
	# 6.1's KVM cannot narrow: a conflict naming host and field, status 1.
	[ $st = 1 ] && has "conflict: $me cannot narrow ID_AA64ISAR0_EL1.ATOMIC from 2 to 0: its backend (KVM) has no writable ID registers" &&
		grep -q "^# CONFLICTS: .*valid only for: narrow$" $T/fleet.toml &&
		pass profiles.fleet.conflict-named || fail profiles.fleet.conflict-named "$(why)"
fi
rc $E/elvisor cpu --check $T/fleet.toml
if [ $narrowing = yes ]; then
	[ $st = 0 ] && pass profiles.fleet.check-0 || fail profiles.fleet.check-0 "$(why)"
else
	[ $st = 1 ] && has "ID_AA64ISAR0_EL1.ATOMIC: requested 0, host 2, not writable: /dev/kvm has no writable ID registers" &&
		pass profiles.fleet.check-1-not-presentable || fail profiles.fleet.check-1-not-presentable "$(why)"
fi
rc $E/elvisor cpu --check $T/fleet.toml --json
if [ $narrowing = yes ]; then
	[ $st = 0 ] && has '"presentable": true,' && pass profiles.fleet.check-json ||
		fail profiles.fleet.check-json "$(why)"
else
	[ $st = 1 ] && has '"presentable": false,' && has '"setting": "ID_AA64ISAR0_EL1.ATOMIC", "requested": "0", "host": "2", "writable": false' &&
		pass profiles.fleet.check-json || fail profiles.fleet.check-json "$(why)"
fi
boot_guest fleet --config $T/fleet.toml -p "$GUEST_CMDLINE $($E/elvisor cpu --config $T/fleet.toml --guest-expect)"
if [ $narrowing = yes ]; then
	expect_exit fleet 0 profiles.fleet.boots
	expect_guest_view fleet profiles.fleet.guest-matches
	expect_feature fleet atomics no profiles.fleet.guest-no-atomics
	expect_report fleet sve_vls 128,256 profiles.fleet.guest-sve-vls
	expect_report fleet psci 1.0 profiles.fleet.guest-psci
	expect_report fleet ptp 0 profiles.fleet.guest-no-ptp
else
	expect_error fleet "cannot narrow ID registers" profiles.fleet.refused-clearly
	skip profiles.fleet.guest-view "$NO_NARROW_REASON"
fi

# ---- with a real report of another backend: kvm-6.1 on this emulated CPU ----
# The two verdicts must agree: this host can present the common profile
# exactly when profile common does not name it in a conflict.
cat > $T/ref-kvm-6.1.json <<'JSON'
{
  "backend": "/dev/kvm",
  "backend_kind": "KVM",
  "host": "(none)",
  "kernel": "6.1.0-57-arm64",
  "writable_id_registers": false,
  "capabilities": {
    "KVM_CAP_USER_MEMORY": 1,
    "KVM_CAP_ONE_REG": 1,
    "KVM_CAP_DEVICE_CTRL": 1,
    "KVM_CAP_IRQCHIP": 1,
    "KVM_CAP_NR_VCPUS": 2,
    "KVM_CAP_MAX_VCPUS": 512,
    "KVM_CAP_ARM_PSCI": 1,
    "KVM_CAP_ARM_PSCI_0_2": 1,
    "KVM_CAP_ARM_PMU_V3": 1,
    "KVM_CAP_ARM_VM_IPA_SIZE": 48,
    "KVM_CAP_ARM_SVE": 1,
    "KVM_CAP_ARM_PTRAUTH_ADDRESS": 1,
    "KVM_CAP_ARM_PTRAUTH_GENERIC": 1,
    "KVM_CAP_ARM_MTE": 0,
    "KVM_CAP_IRQFD": 1,
    "KVM_CAP_IOEVENTFD": 1,
    "KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES": 0,
    "KVM_CAP_ARM_HVC_FW_REG_BMAP (207)": 0
  },
  "sve": true,
  "ptrauth": true,
  "ptrauth_algorithm": "impdef",
  "psci_version": "1.1",
  "host_sve_vector_lengths": [128, 256, 384, 512, 640, 768, 896, 1024, 1152, 1280, 1408, 1536, 1664, 1792, 1920, 2048],
  "sve_vector_lengths": [128, 256, 384, 512, 640, 768, 896, 1024, 1152, 1280, 1408, 1536, 1664, 1792, 1920, 2048],
  "firmware_services": {
    "trng": true,
    "pv_time": true,
    "func_feat": true,
    "ptp": true
  },
  "id_registers": {
    "ID_PFR0_EL1": { "value": "0x1020131", "readable": true, "writable_mask": "0" },
    "ID_PFR1_EL1": { "value": "0x10011001", "readable": true, "writable_mask": "0" },
    "ID_DFR0_EL1": { "value": "0x10009", "readable": true, "writable_mask": "0" },
    "ID_MMFR0_EL1": { "value": "0x10101105", "readable": true, "writable_mask": "0" },
    "ID_MMFR1_EL1": { "value": "0x40000000", "readable": true, "writable_mask": "0" },
    "ID_MMFR2_EL1": { "value": "0x1260000", "readable": true, "writable_mask": "0" },
    "ID_MMFR3_EL1": { "value": "0x2122211", "readable": true, "writable_mask": "0" },
    "ID_ISAR0_EL1": { "value": "0x2101110", "readable": true, "writable_mask": "0" },
    "ID_ISAR1_EL1": { "value": "0x13112111", "readable": true, "writable_mask": "0" },
    "ID_ISAR2_EL1": { "value": "0x21232042", "readable": true, "writable_mask": "0" },
    "ID_ISAR3_EL1": { "value": "0x1112131", "readable": true, "writable_mask": "0" },
    "ID_ISAR4_EL1": { "value": "0x11142", "readable": true, "writable_mask": "0" },
    "ID_ISAR5_EL1": { "value": "0x1011121", "readable": true, "writable_mask": "0" },
    "ID_MMFR4_EL1": { "value": "0x11110", "readable": true, "writable_mask": "0" },
    "ID_ISAR6_EL1": { "value": "0x1111111", "readable": true, "writable_mask": "0" },
    "MVFR0_EL1": { "value": "0x10110222", "readable": true, "writable_mask": "0" },
    "MVFR1_EL1": { "value": "0x13211111", "readable": true, "writable_mask": "0" },
    "MVFR2_EL1": { "value": "0x43", "readable": true, "writable_mask": "0" },
    "ID_PFR2_EL1": { "value": "0x11", "readable": true, "writable_mask": "0" },
    "ID_DFR1_EL1": { "value": "0", "readable": true, "writable_mask": "0" },
    "ID_MMFR5_EL1": { "value": "0x1", "readable": true, "writable_mask": "0" },
    "ID_AA64PFR0_EL1": { "value": "0x1101001121110222", "readable": true, "writable_mask": "0" },
    "ID_AA64PFR1_EL1": { "value": "0x21", "readable": true, "writable_mask": "0" },
    "ID_AA64PFR2_EL1": { "value": "0", "readable": true, "writable_mask": "0" },
    "ID_AA64ZFR0_EL1": { "value": "0x110110100110021", "readable": true, "writable_mask": "0" },
    "ID_AA64SMFR0_EL1": { "value": "0", "readable": true, "writable_mask": "0" },
    "ID_AA64FPFR0_EL1": { "value": "0", "readable": true, "writable_mask": "0" },
    "ID_AA64DFR0_EL1": { "value": "0x10305006", "readable": true, "writable_mask": "0" },
    "ID_AA64DFR1_EL1": { "value": "0", "readable": true, "writable_mask": "0" },
    "ID_AA64ISAR0_EL1": { "value": "0x1221111110212120", "readable": true, "writable_mask": "0" },
    "ID_AA64ISAR1_EL1": { "value": "0x11111110211102", "readable": true, "writable_mask": "0" },
    "ID_AA64ISAR2_EL1": { "value": "0", "readable": true, "writable_mask": "0" },
    "ID_AA64MMFR0_EL1": { "value": "0x32310201126", "readable": true, "writable_mask": "0" },
    "ID_AA64MMFR1_EL1": { "value": "0x1010211122", "readable": true, "writable_mask": "0" },
    "ID_AA64MMFR2_EL1": { "value": "0x1021011010011011", "readable": true, "writable_mask": "0" },
    "ID_AA64MMFR3_EL1": { "value": "0", "readable": true, "writable_mask": "0" },
    "CTR_EL0": { "value": "0x9444c004", "readable": true, "writable_mask": "0" }
  }
}
JSON
rc $E/elvisor profile common $T/$me.json $T/ref-kvm-6.1.json -o $T/mixed.toml
common_st=$st
cp $T/out $T/mixed.err
sed -n '/^# Hosts:/,/^$/p' $T/mixed.toml | sed 's/^/# mixed: /'
grep -E '^[A-Za-z_].* = ' $T/mixed.toml | sed 's/^/# mixed: /'
named=no
grep -q "conflict: $me " $T/mixed.err && named=yes
rc $E/elvisor cpu --check $T/mixed.toml
if [ $common_st = 2 ]; then
	fail profiles.mixed.common "$(head -n 3 $T/mixed.err | tr '\n' ' ')"
elif [ $named = yes ] && [ $st = 1 ]; then
	pass profiles.mixed.verdicts-agree
elif [ $named = no ] && [ $st = 0 ]; then
	pass profiles.mixed.verdicts-agree
else
	fail profiles.mixed.verdicts-agree "profile common status $common_st (this host named in a conflict: $named), cpu --check $(why)"
fi
if [ $named = yes ]; then
	# Every field of the conflicts is one the check lists as not writable.
	missing=
	for f in $(sed -n "s/.*conflict: $me cannot narrow \([A-Z0-9_]*\.[A-Z0-9_]*\) .*/\1/p" $T/mixed.err); do
		grep -q "^  $f: requested .*, not writable" $T/out || missing="$missing $f"
	done
	[ -z "$missing" ] && pass profiles.mixed.conflicts-are-unmet ||
		fail profiles.mixed.conflicts-are-unmet "cpu --check does not list$missing"
elif [ $narrowing = yes ]; then
	boot_guest mixed --config $T/mixed.toml
	expect_exit mixed 0 profiles.mixed.boots
fi

# ---- a profile no host here can present: every unmet setting listed ----
printf '%s\n' '[cpu]' 'sve_vector_lengths = [2048]' '[cpu.id_registers]' \
	'ID_AA64ISAR0_EL1.ATOMIC = 15' 'ID_AA64MMFR0_EL1.ASIDBITS = 0' > $T/impossible.toml
rc $E/elvisor cpu --check $T/impossible.toml
if [ $st = 1 ] && has "/dev/kvm cannot present $T/impossible.toml: 3 settings cannot be met" &&
	has "  sve_vector_lengths: requested [2048], host [128," &&
	has "  ID_AA64ISAR0_EL1.ATOMIC: requested 15, host 2, " && has "more than this host offers" &&
	has "  ID_AA64MMFR0_EL1.ASIDBITS: requested 0, host 2, not writable"; then
	pass profiles.impossible.check-1-lists-all
else
	fail profiles.impossible.check-1-lists-all "$(why)"
fi
rc $E/elvisor cpu --check $T/impossible.toml --json
[ $st = 1 ] && has '"presentable": false,' && has '"unmet_count": 3' && pass profiles.impossible.check-json ||
	fail profiles.impossible.check-json "$(why)"

# ---- the shipped profiles ----
for p in baseline armv8.0 armv8.2 armv8.4 armv9.0; do
	rc $E/elvisor cpu --check $p
	if [ $narrowing = yes ]; then
		[ $st = 0 ] && has "ok: /dev/kvm can present $p" && pass profiles.$p.check-0 ||
			fail profiles.$p.check-0 "$(why)"
	else
		[ $st = 1 ] && has "/dev/kvm cannot present $p: " && has "has no writable ID registers" &&
			pass profiles.$p.check-1-not-presentable || fail profiles.$p.check-1-not-presentable "$(why)"
	fi
done
# The guest check itself: a guest booted without a profile but told to
# expect armv8.0 must name the fields that differ (this host shows LSE and
# SVE; every host here does).
boot_guest wrong-view -p "$GUEST_CMDLINE $($E/elvisor cpu --config armv8.0 --guest-expect)"
tr -d '\r' < /tmp/wrong-view.out > /tmp/wrong-view.idcheck
if grep -q "^ELV-IDCHECK mismatch ID_AA64ISAR0_EL1.ATOMIC expected=0 seen=[1-9]" /tmp/wrong-view.idcheck &&
	grep -q "^ELV-IDCHECK mismatch sve expected=0 seen=1" /tmp/wrong-view.idcheck &&
	grep -q "^ELV-IDCHECK-END mismatches=[1-9]" /tmp/wrong-view.idcheck; then
	pass profiles.guest-check-names-mismatches
else
	fail profiles.guest-check-names-mismatches "$(grep ELV-IDCHECK /tmp/wrong-view.idcheck | head -n 4 | tr '\n' ';')"
fi

# level FEATURES...: boot with the profile; each feature is "name" (must be
# in the guest's /proc/cpuinfo) or "-name" (must not be).
level() {
	p=$1; shift
	if [ $narrowing = no ]; then
		skip profiles.$p.guest-view "$NO_NARROW_REASON"
		return
	fi
	boot_guest $p --config $P/$p.toml -p "$GUEST_CMDLINE $($E/elvisor cpu --config $P/$p.toml --guest-expect)" $debug
	expect_exit $p 0 profiles.$p.boots
	expect_guest_view $p profiles.$p.guest-matches
	for f in "$@"; do
		case $f in
		-*) expect_feature $p ${f#-} no profiles.$p.guest-no-${f#-} ;;
		*) expect_feature $p $f yes profiles.$p.guest-$f ;;
		esac
	done
}
P=$E/configs/profiles
debug=--debug	# the run's log says what armv8.0 hides and what enforces it
level armv8.0 crc32 aes -atomics -asimdrdm -sha2 -sha3 -asimddp -lrcpc -fcma -jscvt -dcpop -flagm -dit -paca -sve -bf16 -frint -bti -rng
debug=
# Enforced or advertised only (docs/profiles.md): what `elvisor cpu --config`
# and the run's --debug log say about armv8.0, and what the guest finds by
# executing the instructions anyway: an LSE atomic still runs with
# ID_AA64ISAR0_EL1.ATOMIC = 0 (advertised only, on every backend); an SVE
# instruction is SIGILL with the vCPU's SVE off (enforced).
hidden() { # CHECK TEXT...: cpu --config armv8.0 and the --debug log both say each
	c=$1; shift
	for t in "$@"; do
		grep -qF -- "  $t" $T/hidden.out || { fail $c "elvisor cpu --config does not say '$t'"; return; }
		grep -qF -- "hidden: $t" /tmp/armv8.0.out || { fail $c "the --debug log does not say '$t'"; return; }
	done
	pass $c
}
if [ $narrowing = yes ]; then
	$E/elvisor cpu --config $P/armv8.0.toml > $T/hidden.out 2>&1
	sed -n '/^hidden by the config/,$p' $T/hidden.out | sed 's/^/# armv8.0 /'
	if is_elvisor; then
		lor="ID_AA64MMFR1_EL1.LO 1 -> 0: enforced (HCR_EL2.TLOR traps the LORegion registers; elvisor.ko"
		tlb="ID_AA64ISAR0_EL1.TLB 2 -> 0: advertised only"
	else
		lor="ID_AA64MMFR1_EL1.LO 1 -> 0: enforced (HCR_EL2.TLOR traps the LORegion registers; KVM"
		tlb="ID_AA64ISAR0_EL1.TLB 2 -> 0: enforced where the host has FEAT_FGT, else advertised only"
	fi
	hidden profiles.armv8.0.report-enforcement "ID_AA64ISAR0_EL1.ATOMIC 2 -> 0: advertised only" \
		"sve off: enforced" "ptrauth off: enforced" "$lor" "$tlb"
	rc $E/elvisor cpu --config $P/armv8.0.toml --json
	[ $st = 0 ] && has '"hidden_features": [' &&
		has '{ "feature": "ID_AA64ISAR0_EL1.ATOMIC", "host": 2, "guest": 0, "enforced": "advertised only", "how": "nothing traps it' &&
		has '{ "feature": "sve", "host": 0, "guest": 0, "enforced": "enforced", "how": "the vCPU has no SVE' &&
		pass profiles.armv8.0.report-enforcement-json || fail profiles.armv8.0.report-enforcement-json "$(why)"
	probe=$(tr -d '\r' < /tmp/armv8.0.out | sed -n 's/^ELV-PROBE //p')
	case " $probe " in
	*" lse=executes "*) pass profiles.armv8.0.lse-advertised-only ;;
	*) fail profiles.armv8.0.lse-advertised-only "guest probe: '$probe' (an LSE atomic with ATOMIC = 0)" ;;
	esac
	case " $probe " in
	*" sve=sigill "*) pass profiles.armv8.0.sve-enforced ;;
	*) fail profiles.armv8.0.sve-enforced "guest probe: '$probe' (an SVE instruction with sve = false)" ;;
	esac
else
	skip profiles.armv8.0.report-enforcement "$NO_NARROW_REASON"
	skip profiles.armv8.0.report-enforcement-json "$NO_NARROW_REASON"
	skip profiles.armv8.0.lse-advertised-only "$NO_NARROW_REASON"
	skip profiles.armv8.0.sve-enforced "$NO_NARROW_REASON"
fi
level armv8.2 atomics asimdrdm dcpop sha3 sve -sve2 -lrcpc -fcma -flagm -dit -paca -bti -frint
level armv8.4 flagm ilrcpc dit paca fcma jscvt asimddp -flagm2 -bti -frint -sve2 -rng -bf16
level armv9.0 sve2 flagm2 frint bti rng i8mm -bf16 -svebf16 -ecv
level baseline atomics lrcpc fcma jscvt asimddp -sve -paca -pacg -ilrcpc -flagm
backend_down
