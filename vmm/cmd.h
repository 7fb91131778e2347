/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ELV_CMD_H
#define ELV_CMD_H

/* ELVISOR_VERSION (vmm/main.c), for the snapshot manifest. */
extern const char elvisor_version[];

/* "elvisor.ko" or "KVM": which backend answers /dev/kvm (vmm/cmd_cpu.c). */
const char *backend__kind(void);

int cmd_cpu(int argc, char **argv);
int cmd_ctl(int argc, char **argv);
int cmd_restore(int argc, char **argv);

#endif
