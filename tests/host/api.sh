# The KVM user API (issue 4): api-test drives the ioctls directly with the
# same expectations on both backends; only what Linux 6.1 lacks is skipped
# there (capability 230, writable masks, writable ID registers).
. ./lib.sh
backend_up
run_tool api-test $E/api-test
run_tool api-dirtylog $E/api-dirtylog
backend_down
