# make demo: boot a Linux guest with elvisor on the host's own KVM and show
# what CPU it sees.
. ./lib.sh
echo "== emulated arm64 host: $(uname -r), KVM at /dev/kvm"
echo "== elvisor run -k Image -i guest-initramfs.cpio -m 256 -c 2"
{ $E/elvisor run -k $KERNEL -i $INITRD -m 256 -c 2 -p "$GUEST_CMDLINE" < /dev/null 2>&1
  echo $? > /tmp/demo.rc; } | tee /tmp/demo.out
rc=$(cat /tmp/demo.rc)
echo "== guest summary"
echo "   vCPUs online:  $(report demo cpus_online)"
echo "   SVE:           $(report demo sve) (default VL $(report demo sve_default_vl) bits, max $(report demo sve_max_vl) bits)"
echo "   PSCI:          $(report demo psci)"
echo "   TRNG / PTP:    $(report demo trng) / $(report demo ptp)"
grep -q ELV-REPORT-END /tmp/demo.out || { echo "demo: the guest did not report"; exit 1; }
[ "$rc" = 0 ] || { echo "demo: elvisor exited with status $rc"; exit 1; }
echo "== elvisor exited with status 0 (guest powered off)"
