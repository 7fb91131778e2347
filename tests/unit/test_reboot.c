// SPDX-License-Identifier: GPL-2.0
/*
 * Guest reboot: devices are quiesced and reset before guest memory is
 * rewritten with the images (vmm/reboot.h), and the device reset hooks run
 * in registration order, stopping at the first failure (vmm/device.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "device.h"
#include "reboot.h"

static char trace[16];
static unsigned int nr_trace;
static int fail_at;		/* step letter that fails, or 0 */

static int step(char c)
{
	trace[nr_trace++] = c;
	return fail_at == c ? -1 : 0;
}

static int devices(void *o) { (void)o; return step('d'); }
static int vcpus(void *o) { (void)o; return step('v'); }
static int images(void *o) { (void)o; return step('i'); }

static const struct reboot_steps steps = {
	.reset_devices = devices, .reset_vcpus = vcpus, .load_images = images,
};

static void clear(void)
{
	memset(trace, 0, sizeof(trace));
	nr_trace = 0;
	fail_at = 0;
}

TestSuite(reboot, .init = clear);

Test(reboot, devices_reset_before_guest_memory_is_rewritten)
{
	cr_assert_eq(reboot__run(&steps, NULL), 0);
	cr_assert_str_eq(trace, "dvi", "steps ran as '%s'", trace);
}

Test(reboot, failed_device_reset_leaves_guest_memory_alone)
{
	fail_at = 'd';
	cr_assert_neq(reboot__run(&steps, NULL), 0);
	cr_assert_str_eq(trace, "d", "steps ran as '%s'", trace);
}

Test(reboot, failed_vcpu_reset_leaves_guest_memory_alone)
{
	fail_at = 'v';
	cr_assert_neq(reboot__run(&steps, NULL), 0);
	cr_assert_str_eq(trace, "dv", "steps ran as '%s'", trace);
}

/* Two hooks registered like a device file does; the second can fail. */
static char hooks[8];
static unsigned int nr_hooks;
static int hook_b_ret;

static int hook_a(struct vm *vm) { (void)vm; hooks[nr_hooks++] = 'a'; return 0; }
static int hook_b(struct vm *vm) { (void)vm; hooks[nr_hooks++] = 'b'; return hook_b_ret; }
static int hook_c(struct vm *vm) { (void)vm; hooks[nr_hooks++] = 'c'; return 0; }

device_reset_hook("test-a", hook_a);
device_reset_hook("test-b", hook_b);
device_reset_hook("test-c", hook_c);

Test(reboot, every_reset_hook_runs_in_order)
{
	memset(hooks, 0, sizeof(hooks));
	nr_hooks = 0;
	hook_b_ret = 0;
	cr_assert_eq(device__reset_all(NULL), 0);
	cr_assert_str_eq(hooks, "abc");
}

Test(reboot, failing_reset_hook_stops_the_reboot)
{
	memset(hooks, 0, sizeof(hooks));
	nr_hooks = 0;
	hook_b_ret = -EAGAIN;
	cr_assert_eq(device__reset_all(NULL), -EAGAIN);
	cr_assert_str_eq(hooks, "ab");
}
