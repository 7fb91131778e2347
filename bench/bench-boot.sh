# make bench: elvisor's time from exec to the guest's init
# and its peak RSS, on the backend this host was booted with (elvisor.ko is
# loaded first under kvm-arm.mode=none). 2 vCPUs, so that secondary bring-up
# (PSCI CPU_ON, SGIs, per-vCPU timers) is part of what is timed; each run's
# "ELV-REPORT nprocs=" line is passed through to show both came online.
. ./lib.sh
VCPUS=${BENCH_VCPUS:-2}
bench_backend_up
echo "BENCH vcpus $VCPUS"
BOOTBENCH_ECHO="ELV-REPORT nprocs=" \
	$E/bootbench 5 ELV-GUEST-INIT $E/elvisor run -k $KERNEL -i $INITRD -m 256 -c $VCPUS -p quiet < /dev/null
bench_kernel_log_check
