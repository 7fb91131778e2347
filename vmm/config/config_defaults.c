// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "config.h"

void config__init(struct vm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_mib = CONFIG_DEFAULT_MEM_MIB;
	cfg->nr_cpus = 1;
	cfg->console = CONSOLE_SERIAL;
	cfg->on_reset = RESET_EXIT;
	cfg->cpu.sve = -1;
	cfg->cpu.ptrauth = -1;
	cfg->cpu.pmu = -1;
}
