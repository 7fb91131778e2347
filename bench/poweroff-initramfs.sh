#!/usr/bin/env bash
# The guest of the kvmtool comparison (make bench LKVM=...): static busybox
# and an /init that prints the guest's uptime, then powers off at once, so
# a run is the VMM's start, the guest kernel's boot, its power-off and the
# VMM's exit, and nothing of our own user space.
#   poweroff-initramfs.sh OUT.cpio
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,proc}
cp "$top/cache/arm64-userland/root/bin/busybox" "$stage/bin/busybox"
cat > "$stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
read up idle < /proc/uptime
echo "BENCH-GUEST-INIT uptime_s=$up"
/bin/busybox poweroff -f
INIT
chmod +x "$stage/init"
mkdir -p "$(dirname "$1")"
(cd "$stage" && find . | cpio -o -H newc -R 0:0 --quiet) > "$1.tmp"
mv "$1.tmp" "$1"
