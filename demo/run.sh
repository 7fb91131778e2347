#!/usr/bin/env bash
# make demo: the same guest with the same VM config (configs/demo.toml:
# one ID field narrowed, SVE limited, a firmware service off) on the
# emulated host's own KVM and on elvisor.ko, the guests' CPU reports side
# by side, then a summary. Both on Linux 6.12, the first Debian kernel
# whose KVM lets userspace narrow ID registers. Exit 0 when both guests
# booted, reported and powered off, and saw the same CPU.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/demo
mkdir -p "$logs"
declare -A val
hosts=(kvm-6.12 elvisor-6.12)

for h in "${hosts[@]}"; do
	echo
	echo "######## host $h"
	out=$("$top/scripts/host-run.sh" --host "$h" --timeout 300 --log "$logs/$h.log" \
		"$top/demo/demo.sh" "$top/tests/integration/scenarios/lib.sh" 2>&1 | tr -d '\r')
	printf '%s\n' "$out" | grep -v '^DEMO '
	while IFS= read -r l; do
		k=${l#DEMO } v=${k#*=} k=${k%%=*}
		val[$h.$k]=$v
	done < <(printf '%s\n' "$out" | grep '^DEMO ')
done

rows=(backend status cpus_online host_atomics atomics ID_AA64ISAR0_EL1 sve sve_vls sve_max_vl psci trng ptp pv_time)
echo
echo "######## the guest's CPU, side by side (config: configs/demo.toml)"
printf '%-18s %-34s %s\n' "" "${hosts[0]}" "${hosts[1]}"
for k in "${rows[@]}"; do
	printf '%-18s %-34s %s\n' "$k" "${val[${hosts[0]}.$k]:-?}" "${val[${hosts[1]}.$k]:-?}"
done

bad=0
for h in "${hosts[@]}"; do
	[ "${val[$h.status]:-}" = 0 ] && [ "${val[$h.reported]:-}" = yes ] ||
		{ echo "demo: the guest on $h did not boot, report and power off (log $logs/$h.log)"; bad=1; }
done
same=1
for k in "${rows[@]}"; do
	[ "$k" = backend ] && continue
	[ "${val[${hosts[0]}.$k]:-}" = "${val[${hosts[1]}.$k]:-}" ] || same=0
done
echo
echo "######## summary"
if [ $same = 1 ]; then
	echo "Both hypervisors gave the guest the same CPU from the same file: no LSE atomics"
	echo "(ATOMIC narrowed to 0), SVE at ${val[${hosts[0]}.sve_vls]:-?} bits only, PTP off."
else
	echo "The two guests saw different CPUs (rows above differ): docs/abi.md lists the known differences."
fi
[ $bad = 0 ] && [ $same = 1 ]
