// SPDX-License-Identifier: GPL-2.0
#include "device.h"
#include "log.h"

static struct device_init_entry *entries;

/* Keep the list sorted by priority, stable within one priority. */
void device__register(struct device_init_entry *e)
{
	struct device_init_entry **pp = &entries;

	while (*pp && (*pp)->prio <= e->prio)
		pp = &(*pp)->next;
	e->next = *pp;
	*pp = e;
}

int device__init_all(struct vm *vm)
{
	for (struct device_init_entry *e = entries; e; e = e->next) {
		int ret = e->init(vm);

		if (ret)
			return ret;	/* the device printed what is wrong */
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
