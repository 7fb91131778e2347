# The KVM user API (issue 4): api-test drives the ioctls directly with the
# same expectations on both backends; only what Linux 6.1 lacks is skipped
# there (capability 230, writable masks, writable ID registers).
. ./lib.sh
backend_up
$E/api-test
# The VMM on a backend without a capability it needs says which one.
if is_elvisor; then
	run_vm nocap -k $KERNEL -i $INITRD
	expect_error nocap "lacks the required capability KVM_CAP_" api.vmm-names-missing-capability
fi
backend_down
