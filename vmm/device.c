// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

#include "err.h"
#include "device.h"
#include "log.h"

static struct device_init_entry *entries;
static struct device_reset_entry *resets;
static struct device_pause_entry *pauses;
static struct device_state_entry *states;

/* Keep the list sorted by priority, stable within one priority. */
void device__register(struct device_init_entry *e)
{
	struct device_init_entry **pp = &entries;

	while (*pp && (*pp)->prio <= e->prio)
		pp = &(*pp)->next;
	e->next = *pp;
	*pp = e;
}

int device__init_all(struct vm *vm, char *err, size_t errlen)
{
	for (struct device_init_entry *e = entries; e; e = e->next) {
		int ret;

		err[0] = 0;
		ret = e->init(vm, err, errlen);
		if (ret && !err[0])	/* a bare errno from a helper below it */
			return err__set(err, errlen, "%s: cannot set it up: %s", e->name,
					ret < -1 ? strerror(-ret) : "error");
		if (ret)
			return -1;
		pr_debug("device %s ready", e->name);
	}
	return 0;
}

void device__exit_all(struct vm *vm)
{
	for (struct device_init_entry *e = entries; e; e = e->next)
		if (e->exit)
			e->exit(vm);
}

void device__register_reset(struct device_reset_entry *e)
{
	struct device_reset_entry **pp = &resets;

	while (*pp)
		pp = &(*pp)->next;
	e->next = NULL;
	*pp = e;
}

int device__reset_all(struct vm *vm)
{
	for (struct device_reset_entry *e = resets; e; e = e->next) {
		int ret = e->reset(vm);

		if (ret)
			return ret;	/* the hook printed what is wrong */
		pr_debug("device %s reset", e->name);
	}
	return 0;
}

void device__register_pause(struct device_pause_entry *e)
{
	struct device_pause_entry **pp = &pauses;

	while (*pp)
		pp = &(*pp)->next;
	e->next = NULL;
	*pp = e;
}

void device__pause_all(struct vm *vm)
{
	for (struct device_pause_entry *e = pauses; e; e = e->next)
		e->pause(vm);
}

int device__resume_all(struct vm *vm)
{
	int first = 0;

	for (struct device_pause_entry *e = pauses; e; e = e->next) {
		int ret = e->resume(vm);

		if (ret && !first)
			first = ret;
	}
	return first;
}

void device__register_state(struct device_state_entry *e)
{
	struct device_state_entry **pp = &states;

	while (*pp)
		pp = &(*pp)->next;
	e->next = NULL;
	*pp = e;
}

int device__save_all(struct vm *vm, struct json_t *out, char *err, size_t errlen)
{
	for (struct device_state_entry *e = states; e; e = e->next)
		if (e->save(vm, out, err, errlen))
			return -1;
	return 0;
}
