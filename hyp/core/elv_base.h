/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only header hyp/core code includes from outside hyp/core: it maps the
 * few freestanding facilities core code needs onto the kernel's headers when
 * built into elvisor.ko and onto libc when built natively (unit tests, VMM).
 */
#ifndef ELV_BASE_H
#define ELV_BASE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#else
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <string.h>
#include <strings.h>	/* strcasecmp, strncasecmp (linux/string.h in the kernel) */
#include <stdio.h>	/* snprintf only (linux/kernel.h in the kernel) */
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/*
 * Binary search of tbl[0..n), sorted ascending by the integer member
 * `member`: a pointer to the entry whose member equals key, or NULL.
 */
#define ELV_BSEARCH(tbl, n, member, key) ({				\
	__typeof__(&(tbl)[0]) __found = NULL;				\
	unsigned int __lo = 0, __hi = (n);				\
	while (__lo < __hi) {						\
		unsigned int __mid = (__lo + __hi) / 2;			\
		if ((tbl)[__mid].member == (key)) {			\
			__found = &(tbl)[__mid];			\
			break;						\
		}							\
		if ((tbl)[__mid].member < (key))			\
			__lo = __mid + 1;				\
		else							\
			__hi = __mid;					\
	}								\
	__found;							\
})

#define ELV_BIT(n)		(1ULL << (n))
#define ELV_GENMASK(h, l)	(((~0ULL) >> (63 - (h))) & ~((1ULL << (l)) - 1))

#endif /* ELV_BASE_H */
