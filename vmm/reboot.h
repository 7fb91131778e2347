/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The order of a guest reboot (--on-reset reboot), portable so the unit
 * tests pin it. The vCPU threads have stopped; the device I/O threads have
 * not, and until the devices are reset they still serve the old driver's
 * rings, which lie in the guest memory the images are about to overwrite
 * (a block read in flight, a frame from the tap, typed console input would
 * land in the new kernel). So: devices first (quiesced and reset), then
 * the vCPUs, and only then guest memory. A failed step stops the reboot
 * before the next one runs.
 */
#ifndef ELV_REBOOT_H
#define ELV_REBOOT_H

struct reboot_steps {
	/* Quiesce and reset every device (device__reset_all()). */
	int (*reset_devices)(void *opaque);
	/* Back to the vCPUs' power-on state. */
	int (*reset_vcpus)(void *opaque);
	/* Rewrite guest memory: kernel, initrd, device tree; boot registers. */
	int (*load_images)(void *opaque);
};

/* 0, or the first failing step's non-zero return. */
int reboot__run(const struct reboot_steps *s, void *opaque);

#endif
