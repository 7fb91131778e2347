# groups: order=20 test=kvm-6.1 full=kvm-6.12   (tests/integration/groups.sh)
# proves: every bad input gives its message, a non-zero status, and no guest: no kernel, missing kernel, directory, non-Image, corrupt gzip, missing initrd, memory too small, too many vCPUs, no KVM device, a device that is not KVM, no permission (as uid 65534), unknown option, bad value, unsupported network
# Every bad input: one clear line, a non-zero status, no guest started.
. ./lib.sh
run_vm nokernel -i $INITRD
expect_error nokernel "no kernel given" errors.no-kernel
run_vm missing -k /nonexistent/Image
expect_error missing "/nonexistent/Image: No such file or directory" errors.missing-kernel
run_vm dir -k /tmp
expect_error dir "/tmp: not a regular file" errors.kernel-is-directory
run_vm notimage -k /bin/busybox
expect_error notimage "not an arm64 Image" errors.not-a-kernel
printf '\037\213garbage' > /tmp/bad.gz
run_vm badgz -k /tmp/bad.gz
expect_error badgz "corrupt gzip data" errors.corrupt-gzip
run_vm noinitrd -k $KERNEL -i /nonexistent.cpio
expect_error noinitrd "initrd /nonexistent.cpio: No such file or directory" errors.missing-initrd
run_vm smallmem -k $KERNEL -i $INITRD -m 16
expect_error smallmem "too small for the kernel" errors.memory-too-small
run_vm toomanycpus -k $KERNEL -c 4000
expect_error toomanycpus "allows at most" errors.too-many-vcpus
run_vm nokvm -k $KERNEL --kvm-dev /dev/nonexistent-kvm
expect_error nokvm "does not exist: this host offers no KVM" errors.no-kvm-device
run_vm notkvm -k $KERNEL --kvm-dev /dev/null
expect_error notkvm "not a KVM device" errors.not-a-kvm-device
mknod /tmp/kvm-noperm c 10 232 && chmod 600 /tmp/kvm-noperm
timeout 30 $E/runas-nobody $E/elvisor run -k $KERNEL --kvm-dev /tmp/kvm-noperm > /tmp/noperm.out 2>&1
echo $? > /tmp/noperm.rc
expect_error noperm "permission denied" errors.no-permission
run_vm badopt -k $KERNEL --frobnicate
expect_error badopt "unknown option --frobnicate" errors.unknown-option
run_vm badmem -k $KERNEL -m lots
expect_error badmem "--mem lots: expected a size" errors.bad-mem-value
run_vm badnet -k $KERNEL -n mode=vde
expect_error badnet "unsupported mode 'vde'" errors.unsupported-network
