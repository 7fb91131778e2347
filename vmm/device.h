/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Devices register themselves: each device file declares its init function
 * with device_init(), and vm.c runs every registered init in priority order.
 * main() never lists devices. A device's init claims its MMIO window and
 * SPI on the bus and adds an FDT hook for its own node; when it fails it
 * returns non-zero with its one line in (err, errlen) (vmm/err.h).
 */
#ifndef ELV_DEVICE_H
#define ELV_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

enum device_prio { DEVICE_PRIO_CORE, DEVICE_PRIO_DEVICE, DEVICE_PRIO_VIRTIO, DEVICE_PRIO_LATE };

struct device_init_entry {
	const char *name;
	enum device_prio prio;
	int (*init)(struct vm *vm, char *err, size_t errlen);
	void (*exit)(struct vm *vm);
	struct device_init_entry *next;
};

void device__register(struct device_init_entry *e);
/* 0, or -1 with the failing device's message in err (the later ones do not run). */
int device__init_all(struct vm *vm, char *err, size_t errlen);
void device__exit_all(struct vm *vm);

#define device_init(_name, _prio, _init, _exit)					\
	static struct device_init_entry __dev_##_init = {			\
		.name = _name, .prio = _prio, .init = _init, .exit = _exit,	\
	};									\
	static void __attribute__((constructor)) __dev_reg_##_init(void)	\
	{									\
		device__register(&__dev_##_init);				\
	}

/*
 * Guest reboot: every registered reset hook runs, in registration order,
 * before guest memory is rewritten with the boot images (vmm/reboot.h).
 * A hook leaves its devices quiesced (no thread of theirs touches guest
 * memory any more, nothing in flight) and as a driver finds them after
 * power-on. Returns 0 or a negative errno, with the reason logged.
 */
struct device_reset_entry {
	const char *name;
	int (*reset)(struct vm *vm);
	struct device_reset_entry *next;
};

void device__register_reset(struct device_reset_entry *e);
/* 0, or the first failing hook's error (the later hooks do not run). */
int device__reset_all(struct vm *vm);

#define device_reset_hook(_name, _fn)						\
	static struct device_reset_entry __dev_reset_##_fn = {			\
		.name = _name, .reset = _fn,					\
	};									\
	static void __attribute__((constructor)) __dev_reset_reg_##_fn(void)	\
	{									\
		device__register_reset(&__dev_reset_##_fn);			\
	}

/*
 * Pause and resume (the control socket): a pause hook leaves its devices
 * quiesced (no thread of theirs touches guest memory, nothing in flight),
 * their state kept; resume starts them again. Run in registration order.
 */
struct device_pause_entry {
	const char *name;
	void (*pause)(struct vm *vm);
	int (*resume)(struct vm *vm);
	struct device_pause_entry *next;
};

void device__register_pause(struct device_pause_entry *e);
void device__pause_all(struct vm *vm);
/* 0, or the first failing hook's error (the later hooks still run). */
int device__resume_all(struct vm *vm);

#define device_pause_hook(_name, _pause, _resume)				\
	static struct device_pause_entry __dev_pause_##_pause = {		\
		.name = _name, .pause = _pause, .resume = _resume,		\
	};									\
	static void __attribute__((constructor)) __dev_pause_reg_##_pause(void)	\
	{									\
		device__register_pause(&__dev_pause_##_pause);			\
	}

/*
 * Snapshot (docs/snapshot.md): with the VM paused, each state hook adds
 * its devices' state to @out (a JSON object, the manifest's "devices"),
 * under its own key. Returns 0 or -1 with one line in err. Loading a
 * device's state at restore is not implemented yet.
 */
struct json_t;

struct device_state_entry {
	const char *name;
	int (*save)(struct vm *vm, struct json_t *out, char *err, size_t errlen);
	struct device_state_entry *next;
};

void device__register_state(struct device_state_entry *e);
/* 0, or -1 from the first failing hook (the later hooks do not run). */
int device__save_all(struct vm *vm, struct json_t *out, char *err, size_t errlen);

#define device_state_hook(_name, _save)						\
	static struct device_state_entry __dev_state_##_save = {		\
		.name = _name, .save = _save,					\
	};									\
	static void __attribute__((constructor)) __dev_state_reg_##_save(void)	\
	{									\
		device__register_state(&__dev_state_##_save);			\
	}

/* MMIO dispatch: offset is relative to the region's base. */
typedef void (*mmio_handler_t)(void *opaque, uint64_t offset, uint8_t *data,
			       uint32_t len, bool is_write);

int mmio__register(struct vm *vm, uint64_t base, uint64_t size,
		   mmio_handler_t fn, void *opaque);
/* Returns false when no device claims addr. */
bool mmio__dispatch(struct vm *vm, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write);

typedef int (*fdt_hook_t)(void *fdt, void *opaque);
int vm__add_fdt_hook(struct vm *vm, fdt_hook_t fn, void *opaque);
int vm__irq_line(struct vm *vm, unsigned int spi, int level);

#endif
