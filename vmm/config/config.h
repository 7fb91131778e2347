/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct vm_config: everything that describes a VM. config.c fills it from a
 * TOML file (and the profiles it includes); options.c then applies the
 * command-line flags over it, so flags override the file.
 *
 * Every value that came from a file remembers where ("vm.toml:12:1") so
 * that errors found later, against the backend, can point at the input.
 */
#ifndef ELV_CONFIG_H
#define ELV_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"

#define CONFIG_MAX_CPUS		4096
#define CONFIG_DEFAULT_MEM_MIB	256
#define CONFIG_MAX_IDREG_SETS	128
#define CONFIG_VLS_WORDS	8	/* KVM_ARM64_SVE_VLS_WORDS */
#define CONFIG_NR_FW_BMAPS	3	/* ELV_NR_FW_BMAPS (hyp/core/fwregs.h) */
#define CONFIG_WHERE_LEN	160

enum config_console { CONSOLE_SERIAL, CONSOLE_VIRTIO };
enum config_net { NET_NONE, NET_TAP };
#define CONFIG_MAX_DISKS	8
/* --vsock CID: 0-2 are reserved (hypervisor, local, host), 2^32-1 is VMADDR_CID_ANY. */
#define CONFIG_VSOCK_CID_MIN	3u
#define CONFIG_VSOCK_CID_MAX	0xfffffffeu
#define CONFIG_SERIAL_LEN	20	/* VIRTIO_BLK_ID_BYTES */
#define CONFIG_IFNAME_LEN	16	/* IFNAMSIZ */
#define CONFIG_MAX_SHARES	8
#define CONFIG_TAG_LEN		32	/* longest virtio-9p mount tag (kvmtool's) */
#define CONFIG_DEFAULT_TAG	"kvm_9p"	/* lkvm's --9p default */
enum config_reset { RESET_EXIT, RESET_REBOOT };

/* -1 means "not said": the backend's default applies. */
typedef int tristate;

/* "file:line:col" of a setting, or "" when it came from a flag/default. */
typedef char config_where[CONFIG_WHERE_LEN];

/*
 * One narrowing of an ID register: bits in mask take value. Named fields
 * ("ID_AA64ISAR0_EL1.ATOMIC = 0") fill field_name; the raw form
 * ({ mask = ..., value = ... }) leaves it empty.
 */
struct config_idreg_set {
	uint16_t enc;			/* ELV_SYSREG_ENC(op0, op1, crn, crm, op2) */
	char reg_name[32];		/* "ID_AA64ISAR0_EL1" */
	char field_name[32];		/* "ATOMIC", or "" for the raw form */
	uint64_t mask;
	uint64_t value;			/* within mask */
	config_where where;
};

struct cpu_config {
	tristate sve;
	config_where where_sve;
	unsigned int sve_max_vl;		/* bits; 0 = not said */
	bool sve_vls_explicit;
	uint64_t sve_vls[CONFIG_VLS_WORDS];	/* KVM_REG_ARM64_SVE_VLS layout */
	config_where where_vls;			/* of sve_max_vl or the explicit set */
	tristate ptrauth;
	config_where where_ptrauth;
	tristate pmu;				/* off unless said (lkvm's --pmu) */
	config_where where_pmu;
	char profile[64];			/* last profile included, for reports */
	unsigned int nr_idreg_sets;
	struct config_idreg_set idreg_sets[CONFIG_MAX_IDREG_SETS];
};

struct fw_config {
	uint32_t psci_version;		/* KVM encoding (major << 16 | minor); 0 = default */
	config_where where_psci;
	/* Firmware bitmap registers, indexed like elv_fw_bmaps[] in fwregs.h. */
	uint64_t bmap_value[CONFIG_NR_FW_BMAPS];
	uint64_t bmap_said[CONFIG_NR_FW_BMAPS];	/* bits the user set, on or off */
	config_where where_bmap[CONFIG_NR_FW_BMAPS][64];
};

struct vm_config {
	const char *kernel;
	const char *initrd;
	const char *params;
	const char *dtb_dump;
	const char *kvm_dev;
	const char *config_file;
	const char *api_socket;		/* --api-socket PATH, or NULL */
	uint64_t mem_mib;
	unsigned int nr_cpus;
	bool nodefaults;
	bool raw_kernel;
	enum config_console console;
	enum config_reset on_reset;
	struct cpu_config cpu;
	struct fw_config fw;
	bool no_irqchip;		/* --irqchip=none: no in-kernel GIC, no timer node */
	/* Devices (docs/devices.md). */
	unsigned int nr_disks;
	struct config_disk {
		const char *path;
		bool readonly;
		char serial[CONFIG_SERIAL_LEN + 1];
	} disks[CONFIG_MAX_DISKS];
	unsigned int nr_shares;
	struct config_share {		/* --9p PATH[,TAG], [[devices.share]] */
		const char *path;
		char tag[CONFIG_TAG_LEN + 1];
		bool readonly;
	} shares[CONFIG_MAX_SHARES];
	bool rng;
	uint32_t vsock_cid;		/* --vsock CID; 0: no vsock device */
	enum config_net net;
	char tapif[CONFIG_IFNAME_LEN];	/* "" = let the VMM create one */
	bool sandbox_off;		/* --sandbox=off */
	bool sandbox_trap;		/* --sandbox=trap: name a forbidden call */
	bool sandbox_selftest;		/* hidden: vCPU 0 tries a forbidden syscall */
	bool virtio_no_eventfd;		/* hidden: test the MMIO-exit/IRQ_LINE fallback */
	bool virtio_no_event_idx;	/* hidden: offer no EVENT_IDX (make bench's A/B) */
};

void config__init(struct vm_config *cfg);

/*
 * Load a VM config file over cfg (normally freshly config__init()ed).
 * Returns 0, or -1 with one line in err: "file:line:col: what is wrong
 * (what was expected)". Strings in cfg point into memory that lives until
 * the process exits.
 */
int config__load(struct vm_config *cfg, const char *path, char *err,
		 size_t errlen);

#endif
