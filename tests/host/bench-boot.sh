# make bench (issue 2): elvisor's time from exec to the guest's init and its
# peak RSS, on the backend this host was booted with.
. ./lib.sh
$E/bootbench 5 ELV-GUEST-INIT $E/elvisor run -k $KERNEL -i $INITRD -m 256 -c 1 -p quiet
