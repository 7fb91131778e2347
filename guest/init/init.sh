#!/bin/busybox sh
# The guest's /init. What it does is chosen on the kernel command line:
#   elv.mode=report (default)  print the CPU report and power off
#   elv.mode=shell             a shell on the console; power off when it exits
#   elv.mode=reset             print the report, then reset the machine
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mode=report
for arg in $(cat /proc/cmdline); do
	case $arg in elv.mode=*) mode=${arg#elv.mode=} ;; esac
done
echo "ELV-GUEST-INIT mode=$mode"
case $mode in
shell)
	echo "elvisor guest shell: 'exit' powers the guest off"
	setsid cttyhack sh -l
	;;
reset)
	/bin/elv-report
	reboot -f
	;;
*)
	/bin/elv-report
	;;
esac
poweroff -f
