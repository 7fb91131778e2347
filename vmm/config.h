/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct vm_config: everything that describes a VM, filled from a TOML file
 * (config.c) and then from command-line flags (options.c), which override
 * the file because they are applied after it.
 */
#ifndef ELV_CONFIG_H
#define ELV_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"

#define CONFIG_MAX_CPUS		4096
#define CONFIG_DEFAULT_MEM_MIB	256
#define CONFIG_MAX_IDREG_SETS	64
#define CONFIG_VLS_WORDS	8

enum config_console { CONSOLE_SERIAL, CONSOLE_VIRTIO };
enum config_reset { RESET_EXIT, RESET_REBOOT };

/* -1 means "not said": the backend's default applies. */
typedef int tristate;

struct config_idreg_set {
	uint32_t encoding;	/* sysreg encoding, see hyp/core/sysregs.h */
	uint64_t mask;		/* bits to replace */
	uint64_t value;		/* their new value (within mask) */
	char what[96];		/* "file:line: REG.FIELD" for messages */
};

struct cpu_config {
	tristate sve;
	unsigned int sve_max_vl;		/* bits; 0 = not said */
	bool sve_vls_explicit;
	uint64_t sve_vls[CONFIG_VLS_WORDS];	/* KVM_REG_ARM64_SVE_VLS layout */
	tristate ptrauth;
	char profile[64];
	unsigned int nr_idreg_sets;
	struct config_idreg_set idreg_sets[CONFIG_MAX_IDREG_SETS];
	char where_sve[96], where_ptrauth[96];	/* for messages */
};

struct fw_config {
	uint32_t psci_version;		/* KVM encoding; 0 = backend default */
	/* Firmware bitmap registers, by index in hyp/core/fwregs.h's table. */
	uint64_t bmap_value[4];
	uint64_t bmap_said[4];		/* bits the user set either way */
};

struct vm_config {
	const char *kernel;
	const char *initrd;
	const char *params;
	const char *dtb_dump;
	const char *kvm_dev;
	const char *config_file;
	uint64_t mem_mib;
	unsigned int nr_cpus;
	bool nodefaults;
	bool raw_kernel;
	enum config_console console;
	enum config_reset on_reset;
	struct cpu_config cpu;
	struct fw_config fw;
};

void config__init(struct vm_config *cfg);

#endif
