// SPDX-License-Identifier: GPL-2.0
/* The order of a guest reboot (reboot.h). */
#include "reboot.h"

int reboot__run(const struct reboot_steps *s, void *opaque)
{
	int ret = s->reset_devices(opaque);

	if (!ret)
		ret = s->reset_vcpus(opaque);
	if (!ret)
		ret = s->load_images(opaque);
	return ret;
}
