// SPDX-License-Identifier: GPL-2.0
/* The snapshot manifest: encoding and checks (snapshot_fmt.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "regid.h"
#include "snapshot_fmt.h"

/* Guest RAM above this is no snapshot this VMM wrote. */
#define SNAP_MAX_MEMORY		(1ULL << 40)

int snap_fmt__reg_encode(uint64_t id, const void *val, char *out, size_t outlen)
{
	unsigned int size = elv_regid_size(id);
	const uint8_t *b = val;
	uint64_t v = 0;

	if (size > SNAP_MAX_REG_BYTES || outlen < 2 * (size_t)size + 3)
		return -1;
	if (size <= 8) {
		memcpy(&v, val, size);
		snprintf(out, outlen, "0x%016llx", (unsigned long long)v);
		return 0;
	}
	for (unsigned int i = 0; i < size; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int snap_fmt__u64(const char *s, uint64_t *v)
{
	size_t n;

	if (!s || strncmp(s, "0x", 2))
		return -1;
	s += 2;
	n = strlen(s);
	if (!n || n > 16)
		return -1;
	*v = 0;
	for (; *s; s++) {
		int d = hex_digit(*s);

		if (d < 0)
			return -1;
		*v = *v << 4 | (uint64_t)d;
	}
	return 0;
}

int snap_fmt__reg_decode(uint64_t id, const char *s, void *val)
{
	unsigned int size = elv_regid_size(id);
	uint8_t *b = val;
	uint64_t v;

	if (!s || size > SNAP_MAX_REG_BYTES)
		return -1;
	if (size <= 8) {
		if (snap_fmt__u64(s, &v) || (size < 8 && v >> (8 * size)))
			return -1;
		memcpy(val, &v, size);
		return 0;
	}
	if (strlen(s) != 2 * (size_t)size)
		return -1;
	for (unsigned int i = 0; i < size; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static const json_t *get(const json_t *o, const char *key, json_type type)
{
	const json_t *v = json_object_get(o, key);

	return v && json_typeof(v) == type ? v : NULL;
}

static int check_memory(const json_t *root, char *err, size_t errlen)
{
	const json_t *m = get(root, "memory", JSON_OBJECT);
	uint64_t gpa, size;

	if (!m)
		return err__set(err, errlen, "manifest: no \"memory\" object");
	if (!get(m, "file", JSON_STRING) || strcmp(json_string_value(json_object_get(m, "file")), SNAP_MEMORY))
		return err__set(err, errlen, "manifest: memory.file must be \"" SNAP_MEMORY "\"");
	if (snap_fmt__u64(json_string_value(get(m, "gpa", JSON_STRING)), &gpa) || gpa % SNAP_PAGE)
		return err__set(err, errlen, "manifest: memory.gpa must be a page-aligned \"0x...\"");
	if (snap_fmt__u64(json_string_value(get(m, "size", JSON_STRING)), &size) ||
	    !size || size % SNAP_PAGE || size > SNAP_MAX_MEMORY)
		return err__set(err, errlen, "manifest: memory.size must be a whole number of 4 KiB pages, at most 1 TiB");
	return 0;
}

static int check_reg(const json_t *r, unsigned int cpu, size_t i, char *err, size_t errlen)
{
	uint8_t val[SNAP_MAX_REG_BYTES];
	uint64_t id;

	if (!json_is_array(r) || json_array_size(r) != 3 ||
	    !json_is_string(json_array_get(r, 1)))
		return err__set(err, errlen, "manifest: vcpus[%u].regs[%zu] is not [ID, NAME, VALUE]", cpu, i);
	if (snap_fmt__u64(json_string_value(json_array_get(r, 0)), &id) ||
	    (id & 0xff00000000000000ULL) != ELV_REG_ARM64)
		return err__set(err, errlen, "manifest: vcpus[%u].regs[%zu]: not an arm64 register ID", cpu, i);
	if (snap_fmt__reg_decode(id, json_string_value(json_array_get(r, 2)), val))
		return err__set(err, errlen, "manifest: vcpus[%u].regs[%zu] (%s): the value is not %u bytes of hex", cpu, i,
		     json_string_value(json_array_get(r, 1)), elv_regid_size(id));
	return 0;
}

static int check_vcpu(const json_t *v, unsigned int cpu, char *err, size_t errlen)
{
	const json_t *regs = get(v, "regs", JSON_ARRAY), *r;
	size_t i;

	if (!json_is_object(v))
		return err__set(err, errlen, "manifest: vcpus[%u] is not an object", cpu);
	if (!get(v, "id", JSON_INTEGER) || json_integer_value(json_object_get(v, "id")) != cpu)
		return err__set(err, errlen, "manifest: vcpus[%u].id must be %u", cpu, cpu);
	if (!get(v, "features", JSON_INTEGER) || !get(v, "mp_state", JSON_INTEGER) ||
	    json_integer_value(json_object_get(v, "mp_state")) < 0 ||
	    json_integer_value(json_object_get(v, "mp_state")) > 16)
		return err__set(err, errlen, "manifest: vcpus[%u] needs integer \"features\" and \"mp_state\" (0 to 16)", cpu);
	if (!regs || !json_array_size(regs) || json_array_size(regs) > SNAP_MAX_REGS)
		return err__set(err, errlen, "manifest: vcpus[%u].regs must be an array of 1 to %u registers", cpu, SNAP_MAX_REGS);
	json_array_foreach(regs, i, r)
		if (check_reg(r, cpu, i, err, errlen))
			return -1;
	return 0;
}

static int check_vcpus(const json_t *root, char *err, size_t errlen)
{
	const json_t *vcpus = get(root, "vcpus", JSON_ARRAY), *v;
	size_t i;

	if (!vcpus || !json_array_size(vcpus) || json_array_size(vcpus) > SNAP_MAX_VCPUS)
		return err__set(err, errlen, "manifest: \"vcpus\" must be an array of 1 to %u vCPUs", SNAP_MAX_VCPUS);
	json_array_foreach(vcpus, i, v)
		if (check_vcpu(v, (unsigned int)i, err, errlen))
			return -1;
	return 0;
}

/* Each GIC group: an array of [ATTR, VALUE] with "0x..." strings. */
static int check_gic_group(const json_t *gic, const char *key, char *err, size_t errlen)
{
	const json_t *a = get(gic, key, JSON_ARRAY), *e;
	uint64_t x;
	size_t i;

	if (!a || json_array_size(a) > SNAP_MAX_GIC_REGS)
		return err__set(err, errlen, "manifest: gic.%s must be an array of at most %u [ATTR, VALUE]", key, SNAP_MAX_GIC_REGS);
	json_array_foreach(a, i, e)
		if (!json_is_array(e) || json_array_size(e) != 2 ||
		    snap_fmt__u64(json_string_value(json_array_get(e, 0)), &x) ||
		    snap_fmt__u64(json_string_value(json_array_get(e, 1)), &x))
			return err__set(err, errlen, "manifest: gic.%s[%zu] is not [\"0x...\", \"0x...\"]", key, i);
	return 0;
}

static int check_gic(const json_t *root, char *err, size_t errlen)
{
	static const char *const groups[] = { "dist", "redist", "cpu_sysregs", "level_info" };
	const json_t *gic = json_object_get(root, "gic");

	if (json_is_null(gic))
		return 0;	/* --irqchip=none */
	if (!json_is_object(gic))
		return err__set(err, errlen, "manifest: \"gic\" must be an object (or null without an in-kernel GIC)");
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (check_gic_group(gic, groups[i], err, errlen))
			return -1;
	return 0;
}

int snap_fmt__check(const json_t *root, char *err, size_t errlen)
{
	const json_t *v;

	if (!json_is_object(root))
		return err__set(err, errlen, "manifest: not a JSON object");
	v = json_object_get(root, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v), SNAP_FORMAT))
		return err__set(err, errlen, "manifest: not an elvisor snapshot (\"format\" is not \"" SNAP_FORMAT "\")");
	v = json_object_get(root, "version");
	if (!json_is_integer(v))
		return err__set(err, errlen, "manifest: no integer \"version\"");
	if (json_integer_value(v) != SNAP_VERSION)
		return err__set(err, errlen, "manifest: format version %lld, this elvisor reads version %d",
		     (long long)json_integer_value(v), SNAP_VERSION);
	if (!get(root, "elvisor", JSON_STRING) || !get(root, "host", JSON_OBJECT) ||
	    !get(root, "config", JSON_OBJECT) || !get(root, "devices", JSON_OBJECT))
		return err__set(err, errlen, "manifest: \"elvisor\", \"host\", \"config\" and \"devices\" are required");
	return check_memory(root, err, errlen) || check_vcpus(root, err, errlen) ||
	       check_gic(root, err, errlen) ? -1 : 0;
}

static int read_manifest(const char *dir, json_t **root, char *err, size_t errlen)
{
	char path[4096];
	json_error_t jerr;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/" SNAP_MANIFEST, dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return err__set(err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > SNAP_MAX_MANIFEST) {
		close(fd);
		return err__set(err, errlen, "%s: not a regular file of at most %u MiB", path, SNAP_MAX_MANIFEST >> 20);
	}
	*root = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
	close(fd);
	if (!*root)
		return err__set(err, errlen, "%s: corrupt or truncated: %s (line %d)", path, jerr.text, jerr.line);
	return 0;
}

int snap_fmt__load(const char *dir, json_t **root, char *err, size_t errlen)
{
	char path[4096];
	struct stat st;
	uint64_t size;

	*root = NULL;
	if (read_manifest(dir, root, err, errlen))
		return -1;
	if (snap_fmt__check(*root, err, errlen))
		goto bad;
	snap_fmt__u64(json_string_value(json_object_get(json_object_get(*root, "memory"), "size")), &size);
	snprintf(path, sizeof(path), "%s/" SNAP_MEMORY, dir);
	if (lstat(path, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: missing or not a regular file", path);
		goto bad;
	}
	if ((uint64_t)st.st_size != size) {
		snprintf(err, errlen, "%s: %llu bytes, the manifest says %llu (truncated?)", path,
			 (unsigned long long)st.st_size, (unsigned long long)size);
		goto bad;
	}
	return 0;
bad:
	json_decref(*root);
	*root = NULL;
	return -1;
}
