# groups: order=70 test=kvm-6.1,kvm-6.12,elvisor-6.1,elvisor-6.12   (tests/integration/groups.sh)
# The KVM user API (issue 4): api-test drives the ioctls directly with the
# same expectations on both backends; only what Linux 6.1 lacks is skipped
# there (capability 230, writable masks, writable ID registers).
# api-stats: the binary statistics fds, the same on every backend.
# api-pvtime: PV stolen time (attribute, hypercalls, structure), the same
# on every backend.
# api-gdebug: KVM_SET_GUEST_DEBUG and KVM_EXIT_DEBUG, the same on every backend.
# api-pmu: the vCPU PMU's attributes, KVM_RUN gate and registers, the same on
# every backend.
. ./lib.sh
backend_up
run_tool api-test $E/api-test
run_tool api-dirtylog $E/api-dirtylog
run_tool api-stats $E/api-stats
run_tool api-pvtime $E/api-pvtime
run_tool api-gdebug $E/api-gdebug
run_tool api-pmu $E/api-pmu
backend_down
