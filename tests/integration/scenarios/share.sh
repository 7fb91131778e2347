# groups: order=52 test=kvm-6.1 full=elvisor-6.1,kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: `--9p` shares (virtio-9p, diod in the host image): the guest mounts a writable and a read-only share, reads the host's file, writes one the host sees, mkdir/rmdir; `..` and host symlinks to outside do not reach the host's files there; the read-only share refuses create, overwrite and mkdir (EROFS/EACCES) and the host directory is unchanged; a missing directory, a file, a missing server: one line, no guest; diod killed mid-run: the guest's next read is an I/O error, one line names it, the VMM powers off with status 0
# Shared host folders (--9p, virtio-9p served by diod): the guest mounts a
# share, reads the host's file, writes one the host then sees, makes and
# removes a directory; '..' and symlinks to outside the share do not reach
# the host's files there; a read-only share refuses writes; a missing
# directory or a missing server stops the VMM with one line; a server
# killed mid-run gives the guest I/O errors while the VMM keeps running
# and powers off cleanly.
. ./lib.sh
backend_up

expect_dev_in() { # NAME KEY "V1 V2" CHECK
	got=$(devval "$1" "$2")
	case " $3 " in *" $got "*) [ -n "$got" ] && { pass "$4"; return; } ;; esac
	fail "$4" "guest reports $2='$got', expected one of: $3"
}

if [ ! -x /usr/sbin/diod ]; then
	skip share.all "/usr/sbin/diod is not in this host image (scripts/deps.sh, make host-image)"
	exit 0
fi
S=/tmp/sh
rm -rf $S
mkdir -p $S/rw $S/ro $S/secretdir
echo HOSTHELLO > $S/rw/hello.txt
echo HOSTRO > $S/ro/hello.txt
echo HOSTSECRET > $S/secret
echo HOSTSECRET > $S/ELV-OUTSIDE
touch $S/secretdir/ELVSECRET
ln -s $S/secret $S/rw/outlink
ln -s $S/secretdir $S/rw/outdir
(cd $S/ro && find . -exec ls -ld {} + | md5sum) > /tmp/ro.before

# 1. A writable and a read-only share in one guest.
run_vm share -k $KERNEL -i $INITRD -m 256 --9p $S/rw,elvrw --9p $S/ro,elvro,ro \
	-p "$GUEST_CMDLINE elv.mode=devices elv.dev.share=elvrw elv.dev.share_ro=elvro"
expect_exit share 0 share.poweroff-exit-0
expect_dev share share.mount ok share.mount
expect_dev share share.read HOSTHELLO share.guest-reads-host-file
expect_dev share share.write ok share.guest-writes
if [ "$(cat $S/rw/guest.txt 2>/dev/null)" = GUESTWROTE ]; then
	pass share.host-sees-guest-write
else
	fail share.host-sees-guest-write "$S/rw/guest.txt holds '$(cat $S/rw/guest.txt 2>&1)'"
fi
expect_dev share share.mkdir ok share.mkdir-rmdir
if [ -e $S/rw/newdir ]; then fail share.rmdir-seen-on-host "$S/rw/newdir still there"; else pass share.rmdir-seen-on-host; fi
expect_dev share share.dotdot 0 share.dotdot-stays-inside
expect_dev share share.symlink 0 share.symlink-file-outside-not-reached
expect_dev share share.dirlink 0 share.symlink-dir-outside-not-reached
expect_dev share share_ro.mount ok share.ro.mount
expect_dev share share_ro.read HOSTRO share.ro.reads
expect_dev_in share share_ro.create "EROFS EACCES" share.ro.create-refused
expect_dev_in share share_ro.overwrite "EROFS EACCES" share.ro.overwrite-refused
expect_dev_in share share_ro.mkdir "EROFS EACCES" share.ro.mkdir-refused
(cd $S/ro && find . -exec ls -ld {} + | md5sum) > /tmp/ro.after
if cmp -s /tmp/ro.before /tmp/ro.after && [ "$(cat $S/ro/hello.txt)" = HOSTRO ]; then
	pass share.ro.host-dir-untouched
else
	fail share.ro.host-dir-untouched "$(ls -la $S/ro | tr '\n' ' ')"
fi
if grep -q "needs a reset\|9P server" /tmp/share.out; then
	fail share.no-device-error "$(grep 'needs a reset\|9P server' /tmp/share.out | head -n 1)"
else
	pass share.no-device-error
fi

# 2. Bad input: one clear line, no guest.
run_vm nodir -k $KERNEL -i $INITRD --9p /nonexistent-share
expect_error nodir "--9p /nonexistent-share: No such file or directory" share.missing-directory
run_vm notdir -k $KERNEL -i $INITRD --9p $S/rw/hello.txt
expect_error notdir "--9p $S/rw/hello.txt: not a directory" share.not-a-directory
ELVISOR_9P_SERVER=/nonexistent-diod run_vm noserver -k $KERNEL -i $INITRD --9p $S/rw
expect_error noserver "cannot run the 9P server /nonexistent-diod: No such file or directory" share.server-missing
n=$(grep -c . /tmp/noserver.out)
if [ "$n" = 1 ]; then pass share.server-missing-one-line; else
	fail share.server-missing-one-line "$n lines: $(head -n 3 /tmp/noserver.out | tr '\n' ' ')"
fi

# 3. The server dies mid-run: the guest gets I/O errors, the VMM runs on
# and powers off with status 0 when the guest does.
$E/elvisor run -k $KERNEL -i $INITRD -m 256 --9p $S/rw,elvpoll \
	-p "$GUEST_CMDLINE elv.mode=devices elv.dev.share_poll=elvpoll" > /tmp/poll.out 2>&1 < /dev/null &
pid=$!
i=0
while ! grep -q 'share_poll.reading=' /tmp/poll.out && kill -0 $pid 2>/dev/null && [ $i -lt $((GUEST_TIMEOUT * 5)) ]; do
	sleep 0.2; i=$((i + 1))
done
diod_pid=
for p in /proc/[0-9]*; do
	[ "$(cut -d' ' -f4 $p/stat 2>/dev/null)" = $pid ] && grep -q diod $p/cmdline 2>/dev/null && diod_pid=${p#/proc/}
done
if [ -n "$diod_pid" ]; then
	kill -9 $diod_pid
	pass share.server-found-and-killed
else
	fail share.server-found-and-killed "no diod child of elvisor $pid"
fi
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt $((GUEST_TIMEOUT * 5)) ]; do sleep 0.2; i=$((i + 1)); done
kill -9 $pid 2>/dev/null
wait $pid; echo $? > /tmp/poll.rc
expect_exit poll 0 share.server-died.vmm-powers-off-cleanly
expect_dev poll share_poll.reading HOSTHELLO share.server-died.read-before
expect_dev poll share_poll.after_kill EIO share.server-died.guest-gets-io-error
n=$(grep -c "9P server .* exited" /tmp/poll.out)
if [ "$n" = 1 ]; then pass share.server-died.one-line; else
	fail share.server-died.one-line "$n lines name the server's end"
	show_output poll
fi
