# Same config, same CPU: the guest's report for each config below, printed
# as "SAMECPU <config> <key>=<value>" lines for tests/integration/scenarios/run-samecpu.sh,
# which runs this on kvm-6.12 and on elvisor.ko and diffs the two.
# Not an integration group on its own: its checks are the diff's.
. ./lib.sh
backend_up
cat > /tmp/psci10-notrng.toml <<'TOML'
[vm]
mem = 256
cpus = 1

[firmware]
psci_version = "1.0"

[firmware.services]
trng = false
TOML
# name|elvisor run arguments
while IFS='|' read -r name args; do
	[ -n "$name" ] || continue
	boot_guest "$name" $args
	if grep -q ELV-REPORT-END /tmp/$name.out; then
		sed -n "s/^ELV-REPORT \(.*\)/SAMECPU $name \1/p" /tmp/$name.out | tr -d '\r'
		echo "SAMECPU $name exit=$rc"
	else
		echo "SAMECPU $name no-report exit=$rc"
		show_output "$name"
	fi
done <<LIST
baseline|--config $E/configs/baseline.toml
narrow-atomics|--config $E/configs/narrow-atomics.toml
sve256-nopauth|--config $E/configs/sve-max-256.toml --disable-ptrauth
psci10-notrng|--config /tmp/psci10-notrng.toml
LIST
backend_down
