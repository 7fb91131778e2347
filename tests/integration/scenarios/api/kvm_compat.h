/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-host API tests use the VMM's UAPI shim (upstream's names for what
 * the 6.1-era <linux/kvm.h> lacks; numbers from hyp/core/uapi.h).
 */
#ifndef ELV_TEST_KVM_COMPAT_H
#define ELV_TEST_KVM_COMPAT_H

#include "../../../../vmm/kvm_compat.h"

#endif
