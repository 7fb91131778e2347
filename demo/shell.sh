# make shell: a guest shell on the serial console ('exit' powers off).
. ./lib.sh
$E/elvisor run -k $KERNEL -i $INITRD -m 512 -c 2 -p "elv.mode=shell"
