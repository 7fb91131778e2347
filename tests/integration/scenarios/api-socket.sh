# groups: order=57 test=elvisor-6.1 full=kvm-6.1,kvm-6.12,elvisor-6.12   (tests/integration/groups.sh)
# proves: the control socket (`--api-socket`, `elvisor ctl`; docs/api.md): status, pause (the guest's output stops, its clock does not jump at resume), resume, power-off, reboot; the socket is 0600 and another user is refused; malformed and too long requests get one clear error line and leave the VM running
# The control socket (--api-socket, elvisor ctl; docs/api.md) on both
# backends: status, pause (the guest's output stops, its clock does not
# jump at resume), resume, power-off; the socket is 0600 and another user
# is refused; malformed and too long requests get one clear error line and
# leave the VM running.
. ./lib.sh
backend_up
S=/tmp/vm.sock
ctl() { $E/elvisor ctl "$@" 2>&1; }
ticks() { grep -c '^ELV-TICK' /tmp/tick.out; }
last_uptime() { grep '^ELV-TICK' /tmp/tick.out | tail -n 1 | tr -d '\r' | cut -d' ' -f3; }
$E/elvisor run -k $KERNEL -i $INITRD -m 256 -c 2 -p "$GUEST_CMDLINE elv.mode=tick" \
	--api-socket $S > /tmp/tick.out 2>&1 < /dev/null &
vm=$!
i=0
while [ $i -lt "$GUEST_TIMEOUT" ] && [ "$(ticks)" -lt 5 ] && kill -0 $vm 2>/dev/null; do sleep 1; i=$((i + 1)); done
if [ "$(ticks)" -lt 5 ]; then
	fail api-socket.guest-ticks "the guest printed $(ticks) ticks in $i s"
	show_output tick
fi
out=$(ctl $S status); echo "# status: $out"
case $out in *'"ok":true,"state":"running","vcpus":2'*) pass api-socket.status-running ;;
*) fail api-socket.status-running "reply '$out'" ;; esac
mode=$(stat -c %a $S 2>/dev/null)
[ "$mode" = 600 ] && pass api-socket.mode-0600 || fail api-socket.mode-0600 "socket mode '$mode'"
out=$(timeout 30 $E/runas-nobody $E/elvisor ctl $S status 2>&1); st=$?
[ $st != 0 ] && pass api-socket.other-user-refused || fail api-socket.other-user-refused "nobody got: $out"
out=$(ctl $S pause); st=$?
[ $st = 0 ] && case $out in *'"state":"paused"'*) true ;; *) false ;; esac &&
	pass api-socket.pause || fail api-socket.pause "exit $st, reply '$out'"
before=$(ticks) up0=$(last_uptime)
sleep 4
after=$(ticks)
[ "$after" = "$before" ] && pass api-socket.paused-guest-is-silent ||
	fail api-socket.paused-guest-is-silent "ticks went from $before to $after in 4 s of pause"
out=$(ctl $S status)
case $out in *'"state":"paused"'*) pass api-socket.status-paused ;; *) fail api-socket.status-paused "reply '$out'" ;; esac
out=$(ctl $S pause); st=$?
[ $st = 1 ] && case $out in *'already paused'*) true ;; *) false ;; esac &&
	pass api-socket.pause-twice-refused || fail api-socket.pause-twice-refused "exit $st, reply '$out'"
out=$(ctl $S resume); st=$?
[ $st = 0 ] && pass api-socket.resume || fail api-socket.resume "exit $st, reply '$out'"
i=0
while [ $i -lt 60 ] && [ "$(ticks)" -le "$((after + 2))" ]; do sleep 1; i=$((i + 1)); done
[ "$(ticks)" -gt "$((after + 2))" ] && pass api-socket.guest-runs-after-resume ||
	fail api-socket.guest-runs-after-resume "no tick after resume in $i s"
# The first tick after the pause: its uptime follows the last one before
# by about a tick, not by the 4 s the VM stood still.
up1=$(grep '^ELV-TICK' /tmp/tick.out | tr -d '\r' | sed -n "$((before + 1))p" | cut -d' ' -f3)
gap=$(awk -v a="$up0" -v b="$up1" 'BEGIN { printf "%.2f", b - a }')
echo "# guest uptime before the pause $up0, after $up1 (gap $gap s; paused 4 s)"
awk -v g="$gap" 'BEGIN { exit !(g > 0 && g < 2.5) }' && pass api-socket.guest-clock-no-jump ||
	fail api-socket.guest-clock-no-jump "the guest's uptime jumped $gap s over a 4 s pause"
out=$(ctl $S --line 'garbage'); st=$?
[ $st = 1 ] && case $out in *'"ok":false,"error":"not JSON'*) true ;; *) false ;; esac &&
	pass api-socket.malformed-refused || fail api-socket.malformed-refused "exit $st, reply '$out'"
out=$(ctl $S --line '{"request": "restore"}'); st=$?
case $out in *'unknown request \"restore\": one of status, pause, resume, power-off, reboot, snapshot'*) pass api-socket.unknown-request-named ;;
*) fail api-socket.unknown-request-named "exit $st, reply '$out'" ;; esac
long=$(head -c 5000 /dev/zero | tr '\0' x)
out=$(ctl $S --line "$long"); st=$?
case $out in *'request too long'*) pass api-socket.too-long-refused ;; *) fail api-socket.too-long-refused "exit $st, reply '$(echo "$out" | cut -c1-100)'" ;; esac
out=$(ctl $S status)
case $out in *'"state":"running"'*) pass api-socket.vm-unharmed ;; *) fail api-socket.vm-unharmed "reply '$out'" ;; esac
out=$(ctl $S power-off); st=$?
wait $vm; rc=$?
[ $st = 0 ] && [ $rc = 0 ] && pass api-socket.power-off-exits-0 ||
	fail api-socket.power-off-exits-0 "ctl exit $st ('$out'), elvisor exit $rc"
grep -qE "Oops|BUG:|rcu_sched.*stall|self-detected stall" /tmp/tick.out &&
	fail api-socket.guest-log-clean "$(grep -E 'Oops|BUG:|stall' /tmp/tick.out | head -n 2 | tr -d '\r')" ||
	pass api-socket.guest-log-clean
run_vm apibad -k $KERNEL --api-socket /tmp
expect_error apibad "--api-socket /tmp: exists and is not a socket" api-socket.bad-path-refused
backend_down
