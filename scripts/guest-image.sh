#!/usr/bin/env bash
# Build the guest initramfs: static busybox, /init (guest/init/init.sh) and
# the report program.   guest-image.sh OUT.cpio ELV-REPORT-BINARY
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1 report=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root}
cp "$top/cache/arm64-userland/root/bin/busybox" "$stage/bin/busybox"
cp "$top/guest/init/init.sh" "$stage/init"
cp "$report" "$stage/bin/elv-report"
chmod +x "$stage/init"
(cd "$stage" && find . | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
