# make demo, in one emulated host (demo/run.sh boots it twice: the host
# kernel's own KVM, then elvisor.ko on the same kernel): boot a Linux guest
# with elvisor and configs/demo.toml, and print what CPU it sees as
# "DEMO key=value" lines for demo/run.sh to set side by side.
. ./lib.sh
backend_up
rel=$(uname -r | cut -d- -f1)
if is_elvisor; then what="elvisor.ko, Linux $rel"; else what="KVM of Linux $rel"; fi
echo "== $what: elvisor run --config configs/demo.toml -k Image -i guest-initramfs.cpio"
{ $E/elvisor run --config $E/configs/demo.toml -k $KERNEL -i $INITRD -p "$GUEST_CMDLINE" \
	< /dev/null 2>&1; echo $? > /tmp/demo.rc; } | tee /tmp/demo.out
echo "DEMO backend=$what"
grep -qw atomics /proc/cpuinfo && echo "DEMO host_atomics=yes" || echo "DEMO host_atomics=no"
echo "DEMO status=$(cat /tmp/demo.rc)"
grep -q ELV-REPORT-END /tmp/demo.out && echo "DEMO reported=yes" || echo "DEMO reported=no"
f=" $(report demo features) "
case $f in *" atomics "*) echo "DEMO atomics=yes" ;; *) echo "DEMO atomics=no" ;; esac
for k in cpus_online sve sve_vls sve_max_vl psci trng ptp pv_time ID_AA64ISAR0_EL1; do
	echo "DEMO $k=$(report demo $k)"
done
