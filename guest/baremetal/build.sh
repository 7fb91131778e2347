#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the bare-metal EL1 payloads: guest/baremetal/build.sh OUTDIR
# writes OUTDIR/bm-<name>.bin (raw binaries with an arm64 Image header).
set -eu
out=${1:?usage: build.sh OUTDIR}
src=$(cd "$(dirname "$0")" && pwd)
CROSS=${CROSS_COMPILE:-aarch64-linux-gnu-}
CFLAGS="-O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin -nostdlib
	-mgeneral-regs-only -mstrict-align -fno-pic -fno-pie
	-fno-stack-protector -fno-asynchronous-unwind-tables -march=armv8-a"
obj=$out/obj/baremetal
mkdir -p "$out" "$obj"
${CROSS}gcc $CFLAGS -c -o "$obj/start.o" "$src/start.S"
${CROSS}gcc $CFLAGS -c -o "$obj/lib.o" "$src/lib.c"
for p in basic smp bench irqbench hostile; do
	[ -f "$src/$p.c" ] || continue
	${CROSS}gcc $CFLAGS -c -o "$obj/$p.o" "$src/$p.c"
	${CROSS}ld -nostdlib -static -no-pie --no-warn-rwx-segments -T "$src/bm.lds" -o "$obj/bm-$p.elf" \
		"$obj/start.o" "$obj/lib.o" "$obj/$p.o"
	${CROSS}objcopy -O binary "$obj/bm-$p.elf" "$out/bm-$p.bin"
done
