// SPDX-License-Identifier: GPL-2.0
/* The snapshot manifest (vmm/snapshot_fmt.h): value encoding, and hostile manifests refused by name. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regid.h"
#include "snapshot_fmt.h"

static char err[512];

/* A minimal good manifest: one vCPU with X0 and an SVE Z slice, a GIC word. */
static const char *good =
	"{\"format\": \"elvisor-snapshot\", \"version\": 1, \"elvisor\": \"0.1\","
	" \"host\": {}, \"config\": {}, \"devices\": {},"
	" \"memory\": {\"file\": \"memory\", \"gpa\": \"0x80000000\", \"size\": \"0x2000\"},"
	" \"vcpus\": [{\"id\": 0, \"features\": 4, \"mp_state\": 0, \"regs\": ["
	"   [\"0x6030000000100000\", \"X0\", \"0x00000000deadbeef\"]]}],"
	" \"gic\": {\"dist\": [[\"0x0\", \"0x12\"]], \"redist\": [], \"cpu_sysregs\": [], \"level_info\": []}}";

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	cr_assert_not_null(j, "test manifest: %s", e.text);
	return j;
}

/* Apply @edit (a JSON Pointer-ish key path, one level or two) and expect @part in the error. */
static void refused_with(json_t *root, const char *part)
{
	err[0] = 0;
	cr_assert_neq(snap_fmt__check(root, err, sizeof(err)), 0, "accepted, wanted: %s", part);
	cr_assert_not_null(strstr(err, part), "\"%s\" not in: %s", part, err);
	cr_assert_null(strchr(err, '\n'), "more than one line: %s", err);
	json_decref(root);
}

Test(snapshot_fmt, good_manifest_accepted)
{
	json_t *j = load(good);

	cr_assert_eq(snap_fmt__check(j, err, sizeof(err)), 0, "%s", err);
	json_decref(j);
}

Test(snapshot_fmt, reg_values_round_trip)
{
	uint64_t x0 = 0x1122334455667788ULL, back = 0, id32 = ELV_REG_ARM64 | ELV_REG_SIZE_U32;
	uint8_t z[256], zb[256];
	char s[2 * SNAP_MAX_REG_BYTES + 3];
	uint64_t zid = elv_regid_sve_z(3, 0);

	cr_assert_eq(snap_fmt__reg_encode(ELV_REG_ARM64 | ELV_REG_SIZE_U64, &x0, s, sizeof(s)), 0);
	cr_expect_str_eq(s, "0x1122334455667788");
	cr_assert_eq(snap_fmt__reg_decode(ELV_REG_ARM64 | ELV_REG_SIZE_U64, s, &back), 0);
	cr_expect_eq(back, x0);
	for (int i = 0; i < 256; i++)
		z[i] = (uint8_t)(i * 7 + 1);
	cr_assert_eq(snap_fmt__reg_encode(zid, z, s, sizeof(s)), 0);
	cr_expect_eq(strlen(s), 512);
	cr_expect_eq(strncmp(s, "0108", 4), 0, "bytes in memory order: %.8s", s);
	cr_assert_eq(snap_fmt__reg_decode(zid, s, zb), 0);
	cr_expect_arr_eq(z, zb, 256);
	/* Wrong sizes and junk are refused. */
	cr_expect_neq(snap_fmt__reg_decode(zid, "0x00", zb), 0);
	s[10] = 'g';
	cr_expect_neq(snap_fmt__reg_decode(zid, s, zb), 0);
	cr_expect_neq(snap_fmt__reg_decode(id32, "0x100000000", &back), 0, "a u32 of 33 bits");
	cr_expect_neq(snap_fmt__reg_decode(id32, "12", &back), 0);
	cr_expect_neq(snap_fmt__u64("0x", &back), 0);
	cr_expect_neq(snap_fmt__u64("0x11112222333344445", &back), 0);
	cr_expect_neq(snap_fmt__reg_encode(zid, z, s, 100), 0, "buffer too small");
}

Test(snapshot_fmt, version_and_format_named)
{
	json_t *j = load(good);

	json_object_set_new(j, "version", json_integer(2));
	refused_with(j, "format version 2, this elvisor reads version 1");
	j = load(good);
	json_object_set_new(j, "format", json_string("firecracker"));
	refused_with(j, "not an elvisor snapshot");
	j = load(good);
	json_object_del(j, "version");
	refused_with(j, "no integer \"version\"");
	refused_with(json_array(), "not a JSON object");
}

Test(snapshot_fmt, missing_and_bad_parts_named)
{
	json_t *j = load(good);

	json_object_del(j, "devices");
	refused_with(j, "\"devices\" are required");
	j = load(good);
	json_object_set_new(json_object_get(j, "memory"), "size", json_string("0x1001"));
	refused_with(j, "memory.size must be a whole number of 4 KiB pages");
	j = load(good);
	json_object_set_new(json_object_get(j, "memory"), "file", json_string("../../etc/passwd"));
	refused_with(j, "memory.file must be \"memory\"");
	j = load(good);
	json_object_set_new(j, "vcpus", json_array());
	refused_with(j, "\"vcpus\" must be an array of 1 to 512");
	j = load(good);
	json_object_set_new(json_array_get(json_object_get(j, "vcpus"), 0), "id", json_integer(1));
	refused_with(j, "vcpus[0].id must be 0");
	j = load(good);
	json_object_set_new(json_array_get(json_object_get(j, "vcpus"), 0), "mp_state", json_integer(99));
	refused_with(j, "vcpus[0] needs integer \"features\" and \"mp_state\"");
	j = load(good);
	json_array_set_new(json_object_get(json_array_get(json_object_get(j, "vcpus"), 0), "regs"), 0,
			   json_pack("[s, s, s]", "0x6030000000100000", "X0", "0x1"));
	cr_assert_eq(snap_fmt__check(j, err, sizeof(err)), 0, "short hex of a u64 is fine: %s", err);
	json_array_set_new(json_object_get(json_array_get(json_object_get(j, "vcpus"), 0), "regs"), 0,
			   json_pack("[s, s, s]", "0x6030000000100000", "X0", "zz"));
	refused_with(j, "vcpus[0].regs[0] (X0): the value is not 8 bytes of hex");
	j = load(good);
	json_array_set_new(json_object_get(json_array_get(json_object_get(j, "vcpus"), 0), "regs"), 0,
			   json_pack("[s, s, s]", "0x4030000000100000", "X0", "0x1"));
	refused_with(j, "not an arm64 register ID");
	j = load(good);
	json_array_append_new(json_object_get(json_object_get(j, "gic"), "dist"), json_integer(3));
	refused_with(j, "gic.dist[1] is not");
	j = load(good);
	json_object_del(json_object_get(j, "gic"), "level_info");
	refused_with(j, "gic.level_info must be an array");
	j = load(good);
	json_object_set_new(j, "gic", json_null());
	cr_assert_eq(snap_fmt__check(j, err, sizeof(err)), 0, "no irqchip: %s", err);
	json_decref(j);
}

static char dir[64];

static void put(const char *name, const char *text, size_t len)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void load_refused(const char *part)
{
	json_t *root = (json_t *)1;

	cr_assert_neq(snap_fmt__load(dir, &root, err, sizeof(err)), 0, "accepted, wanted: %s", part);
	cr_assert_null(root);
	cr_assert_not_null(strstr(err, part), "\"%s\" not in: %s", part, err);
}

Test(snapshot_fmt, load_checks_the_files)
{
	json_t *root;

	snprintf(dir, sizeof(dir), "/tmp/snapfmt.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	load_refused("manifest.json: No such file");
	put("manifest.json", good, strlen(good) / 2);
	load_refused("corrupt or truncated");
	put("manifest.json", good, strlen(good));
	load_refused("memory: missing");
	put("memory", "x", 1);
	load_refused("memory: 1 bytes, the manifest says 8192 (truncated?)");
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/memory", dir);
		cr_assert_eq(truncate(path, 8192), 0);
	}
	cr_assert_eq(snap_fmt__load(dir, &root, err, sizeof(err)), 0, "%s", err);
	json_decref(root);
}
