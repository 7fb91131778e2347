// SPDX-License-Identifier: GPL-2.0
/*
 * VM config files: TOML in, struct vm_config out (schema: docs/config.md).
 *
 * A file may name a profile ([cpu] profile = "baseline"): the profile is
 * loaded first, into the same struct vm_config, then the file's own settings
 * go over it. Each section is a table of keys and handlers; anything not in
 * a table is refused with the closest valid name.
 *
 * This file: reading files, profiles, the shared helpers, [vm].
 * config_cpu.c: [cpu] and [cpu.id_registers]. config_fw.c: [firmware].
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config_internal.h"

#define CONFIG_MAX_MEM_MIB	(1ULL << 24)	/* 16 TiB */
#define CONFIG_MAX_FILE_SIZE	(1 << 20)

int config_error(struct config_ctx *ctx, const struct config_file *f,
		 struct toml_pos pos, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (f)
		n = snprintf(ctx->err, ctx->errlen, "%s:%u:%u: ", f->name,
			     pos.line, pos.col);
	if (n < 0 || (unsigned long)n >= ctx->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ctx->err + n, ctx->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

void config_where_set(config_where where, const struct config_file *f,
		      struct toml_pos pos)
{
	snprintf(where, CONFIG_WHERE_LEN, "%s:%u:%u", f->name, pos.line, pos.col);
}

/* ---- typed values ---- */

int config_type_error(struct config_ctx *ctx, const struct config_file *f,
		      const struct toml_entry *e, const char *what)
{
	return config_error(ctx, f, e->value->pos, "%s: expected %s, got %s",
			    e->key.ptr, what, toml__type_name(e->value->type));
}

int config_get_bool(struct config_ctx *ctx, const struct config_file *f,
		    const struct toml_entry *e, bool *out)
{
	if (toml__as_bool(e->value, out))
		return config_type_error(ctx, f, e, "true or false");
	return 0;
}

int config_get_int(struct config_ctx *ctx, const struct config_file *f,
		   const struct toml_entry *e, int64_t lo, int64_t hi, int64_t *out)
{
	char what[96];

	snprintf(what, sizeof(what), "an integer from %lld to %lld",
		 (long long)lo, (long long)hi);
	if (toml__as_integer(e->value, out))
		return config_type_error(ctx, f, e, what);
	if (*out < lo || *out > hi)
		return config_error(ctx, f, e->value->pos, "%s: expected %s, got %lld",
				    e->key.ptr, what, (long long)*out);
	return 0;
}

int config_get_table(struct config_ctx *ctx, const struct config_file *f,
		     const struct toml_entry *e, const struct toml_table **out)
{
	*out = toml__as_table(e->value);
	if (!*out)
		return config_error(ctx, f, e->value->pos,
				    "%s: expected a table ([%s]), got %s", e->key.ptr,
				    e->key.ptr, toml__type_name(e->value->type));
	return 0;
}

static int get_string(struct config_ctx *ctx, const struct config_file *f,
		      const struct toml_entry *e, const char *what, const char **out)
{
	*out = toml__as_string(e->value);
	if (!*out)
		return config_type_error(ctx, f, e, what);
	if (!**out || strlen(*out) != e->value->u.string.len)
		return config_error(ctx, f, e->value->pos, "%s: expected %s, got \"%s\"",
				    e->key.ptr, what, *out);
	return 0;
}

/* ---- did you mean ---- */

static unsigned int edit_distance(const char *a, const char *b)
{
	unsigned int row[64], la = strlen(a), lb = strlen(b), i, j;

	if (la >= 64 || lb >= 64)
		return UINT_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		unsigned int diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned int up = row[j];
			unsigned int sub = diag + (tolower((unsigned char)a[i - 1]) !=
						   tolower((unsigned char)b[j - 1]));

			row[j] = sub;
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

void config_suggest_init(struct config_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = UINT_MAX;
	s->prefix = 0;
}

static unsigned int common_prefix(const char *a, const char *b)
{
	unsigned int n = 0;

	while (a[n] && b[n] && tolower((unsigned char)a[n]) == tolower((unsigned char)b[n]))
		n++;
	return n;
}

/*
 * Besides a few typos, one word starting the other ("memory" for "mem") or
 * the word being most of the start of another ("sve_max_vl") counts as a
 * near miss; among equals, the longer shared start wins.
 */
void config_suggest_try(struct config_suggest *s, const char *candidate)
{
	unsigned int d = edit_distance(s->word, candidate);
	unsigned int p = common_prefix(s->word, candidate);
	size_t lw = strlen(s->word), lc = strlen(candidate);

	if (d > 1 && p >= 3 && (p == lw || p == lc || p * 5 >= lw * 4))
		d = 1;
	if (d < s->dist || (d == s->dist && p > s->prefix)) {
		s->dist = d;
		s->prefix = p;
		s->best = candidate;
	}
}

/* A typo is a few edits: one per three letters, at most three. */
const char *config_suggest_result(const struct config_suggest *s)
{
	unsigned int limit = strlen(s->word) / 3;

	if (limit > 3)
		limit = 3;
	if (limit < 1)
		limit = 1;
	return s->best && s->dist <= limit ? s->best : NULL;
}

int config_apply_keys(struct config_ctx *ctx, struct config_file *f,
		      const struct toml_table *table, const char *section,
		      const struct config_key *keys, unsigned int nr_keys)
{
	const struct toml_entry *e;

	toml_table_for_each(e, table) {
		struct config_suggest s;
		const char *hint;
		unsigned int i;

		for (i = 0; i < nr_keys; i++)
			if (!strcmp(keys[i].name, e->key.ptr))
				break;
		if (i < nr_keys) {
			if (keys[i].apply && keys[i].apply(ctx, f, e))
				return -1;
			continue;
		}
		config_suggest_init(&s, e->key.ptr);
		for (i = 0; i < nr_keys; i++)
			config_suggest_try(&s, keys[i].name);
		hint = config_suggest_result(&s);
		if (hint)
			return config_error(ctx, f, e->key_pos,
					    "unknown key \"%s\" in %s (did you mean \"%s\"?)",
					    e->key.ptr, section, hint);
		return config_error(ctx, f, e->key_pos, "unknown key \"%s\" in %s",
				    e->key.ptr, section);
	}
	return 0;
}

/* ---- [vm] ---- */

/* Relative paths are relative to the directory of the file that says them. */
const char *config_file_path(const struct config_file *f, const char *value)
{
	char *out;

	if (value[0] == '/' || !f->dir)
		return strdup(value);
	if (asprintf(&out, "%s/%s", f->dir, value) < 0)
		return NULL;
	return out;
}

static int apply_path(struct config_ctx *ctx, struct config_file *f,
		      const struct toml_entry *e, const char **out)
{
	const char *s;

	if (get_string(ctx, f, e, "a path (string)", &s))
		return -1;
	*out = config_file_path(f, s);
	return *out ? 0 : config_error(ctx, f, e->value->pos, "out of memory");
}

static int vm_kernel(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return apply_path(ctx, f, e, &ctx->cfg->kernel);
}

static int vm_initrd(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return apply_path(ctx, f, e, &ctx->cfg->initrd);
}

static int vm_dtb_dump(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return apply_path(ctx, f, e, &ctx->cfg->dtb_dump);
}

/* A device node, not a file of the VM: taken as written. */
static int vm_kvm_dev(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_string(ctx, f, e, "a device path (string)", &s))
		return -1;
	ctx->cfg->kvm_dev = strdup(s);
	return 0;
}

static int vm_params(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s = toml__as_string(e->value);

	if (!s)
		return config_type_error(ctx, f, e, "a string");
	ctx->cfg->params = strdup(s);
	return 0;
}

/* "512", "512M", "2G" (any case) in MiB; 0 when not a size. */
static uint64_t parse_mib(const char *s)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return 0;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > CONFIG_MAX_MEM_MIB)
			return 0;
	}
	if (*s == 'G' || *s == 'g') {
		v <<= 10;
		s++;
	} else if (*s == 'M' || *s == 'm') {
		s++;
	}
	return *s ? 0 : v;
}

static int vm_mem(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	static const char what[] = "MiB as an integer from 1 to 16777216, "
				   "or a string such as \"512M\" or \"2G\"";
	const char *s = toml__as_string(e->value);
	int64_t v;
	uint64_t mib;

	if (s) {
		mib = parse_mib(s);
		if (!mib || mib > CONFIG_MAX_MEM_MIB)
			return config_error(ctx, f, e->value->pos, "mem: expected %s, got \"%s\"",
					    what, s);
		ctx->cfg->mem_mib = mib;
		return 0;
	}
	if (toml__as_integer(e->value, &v))
		return config_type_error(ctx, f, e, what);
	if (v < 1 || (uint64_t)v > CONFIG_MAX_MEM_MIB)
		return config_error(ctx, f, e->value->pos, "mem: expected %s, got %lld",
				    what, (long long)v);
	ctx->cfg->mem_mib = (uint64_t)v;
	return 0;
}

static int vm_cpus(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	int64_t v;

	if (config_get_int(ctx, f, e, 1, CONFIG_MAX_CPUS, &v))
		return -1;
	ctx->cfg->nr_cpus = (unsigned int)v;
	return 0;
}

static int vm_console(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_string(ctx, f, e, "\"serial\" or \"virtio\"", &s))
		return -1;
	if (!strcmp(s, "serial"))
		ctx->cfg->console = CONSOLE_SERIAL;
	else if (!strcmp(s, "virtio"))
		ctx->cfg->console = CONSOLE_VIRTIO;
	else
		return config_error(ctx, f, e->value->pos,
				    "console: expected \"serial\" or \"virtio\", got \"%s\"", s);
	return 0;
}

static int vm_on_reset(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_string(ctx, f, e, "\"exit\" or \"reboot\"", &s))
		return -1;
	if (!strcmp(s, "exit"))
		ctx->cfg->on_reset = RESET_EXIT;
	else if (!strcmp(s, "reboot"))
		ctx->cfg->on_reset = RESET_REBOOT;
	else
		return config_error(ctx, f, e->value->pos,
				    "on_reset: expected \"exit\" or \"reboot\", got \"%s\"", s);
	return 0;
}

static int vm_nodefaults(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return config_get_bool(ctx, f, e, &ctx->cfg->nodefaults);
}

static int vm_raw(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return config_get_bool(ctx, f, e, &ctx->cfg->raw_kernel);
}

static const struct config_key vm_keys[] = {
	{ "kernel", vm_kernel },
	{ "initrd", vm_initrd },
	{ "params", vm_params },
	{ "mem", vm_mem },
	{ "cpus", vm_cpus },
	{ "console", vm_console },
	{ "nodefaults", vm_nodefaults },
	{ "on_reset", vm_on_reset },
	{ "kvm_dev", vm_kvm_dev },
	{ "raw", vm_raw },
	{ "dtb_dump", vm_dtb_dump },
};

static int apply_vm(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const struct toml_table *t;

	if (config_get_table(ctx, f, e, &t))
		return -1;
	return config_apply_keys(ctx, f, t, "[vm]", vm_keys, ARRAY_SIZE(vm_keys));
}

/* ---- files ---- */

static const struct config_key top_keys[] = {
	{ "vm", apply_vm },
	{ "cpu", config__apply_cpu },
	{ "firmware", config__apply_firmware },
	{ "devices", config__apply_devices },
};

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!fp)
		return NULL;
	buf = malloc(CONFIG_MAX_FILE_SIZE + 1);
	n = buf ? fread(buf, 1, CONFIG_MAX_FILE_SIZE + 1, fp) : 0;
	if (buf && (ferror(fp) || n > CONFIG_MAX_FILE_SIZE)) {
		free(buf);
		buf = NULL;
		errno = ferror(fp) ? EIO : EFBIG;
	}
	fclose(fp);
	*len = n;
	return buf;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return NULL;
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Unknown top-level keys first, so a typo is reported before anything else. */
static int check_top_keys(struct config_ctx *ctx, struct config_file *f,
			  const struct toml_table *root)
{
	static const struct config_key names_only[] = { { "vm", NULL }, { "cpu", NULL },
							{ "firmware", NULL }, { "devices", NULL } };

	return config_apply_keys(ctx, f, root, "the top level (tables: [vm], [cpu], [firmware], [devices])",
				 names_only, ARRAY_SIZE(names_only));
}

static int load_text(struct config_ctx *ctx, struct config_file *f,
		     const char *text, size_t len)
{
	struct toml_error terr;
	struct toml_doc *doc = toml__parse(f->name, text, len, &terr);
	const struct toml_table *root;
	const struct toml_entry *cpu;
	int ret = -1;

	if (!doc) {
		snprintf(ctx->err, ctx->errlen, "%s", terr.msg);
		return -1;
	}
	root = toml__root(doc);
	if (check_top_keys(ctx, f, root))
		goto out;
	cpu = toml__table_find(root, "cpu", 3);
	if (cpu && config__include_profile(ctx, f, cpu))
		goto out;
	ret = config_apply_keys(ctx, f, root, "the top level", top_keys, ARRAY_SIZE(top_keys));
out:
	toml__free(doc);
	return ret;
}

/* @include is where the including file named it, NULL for the top file. */
static int load_file(struct config_ctx *ctx, const char *path, bool is_profile,
		     const struct config_file *includer, struct toml_pos include_pos)
{
	struct config_file f = { .name = path, .is_profile = is_profile };
	size_t len;
	char *text = read_file(path, &len);
	int ret;

	if (!text) {
		if (includer)
			return config_error(ctx, includer, include_pos, "cannot read profile %s: %s",
					    path, strerror(errno));
		snprintf(ctx->err, ctx->errlen, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	f.dir = dir_of(path);
	f.serial = ++ctx->nr_files;
	ret = load_text(ctx, &f, text, len);
	free(text);
	free(f.dir);
	return ret;
}

/* ---- profiles ---- */

#define MAX_PROFILE_DIRS	16

struct profile_dirs {
	char *dir[MAX_PROFILE_DIRS];
	unsigned int nr;
};

static void add_dir(struct profile_dirs *d, char *dir)
{
	if (dir && d->nr < MAX_PROFILE_DIRS)
		d->dir[d->nr++] = dir;
	else
		free(dir);
}

static char *join(const char *a, const char *b)
{
	char *out;

	return asprintf(&out, "%s/%s", a, b) < 0 ? NULL : out;
}

/* Where a profile named by @f is looked for, in order (docs/config.md). */
static void profile_dirs(const struct config_file *f, struct profile_dirs *d)
{
	const char *env = getenv("ELVISOR_PROFILE_PATH");
	char exe[PATH_MAX], *slash;
	ssize_t n;

	if (f->is_profile)	/* a profile's profiles are its siblings */
		add_dir(d, strdup(f->dir ? f->dir : "."));
	else
		add_dir(d, f->dir ? join(f->dir, "profiles") : strdup("profiles"));
	while (env && *env) {
		size_t len = strcspn(env, ":");

		if (len)
			add_dir(d, strndup(env, len));
		env += len + (env[len] == ':');
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			add_dir(d, join(exe, "configs/profiles"));
			add_dir(d, join(exe, "../configs/profiles"));
			/* make install: PREFIX/bin/elvisor, PREFIX/share/elvisor/profiles */
			add_dir(d, join(exe, "../share/elvisor/profiles"));
		}
	}
}

static void free_dirs(struct profile_dirs *d)
{
	for (unsigned int i = 0; i < d->nr; i++)
		free(d->dir[i]);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "baseline, fast" from every *.toml in the searched directories. */
static void list_profiles(const struct profile_dirs *d, char *out, size_t len)
{
	char *names[64];
	unsigned int nr = 0, i;
	size_t used = 0;

	for (i = 0; i < d->nr; i++) {
		DIR *dir = opendir(d->dir[i]);
		struct dirent *de;

		while (dir && (de = readdir(dir)) && nr < ARRAY_SIZE(names)) {
			size_t l = strlen(de->d_name);

			if (l > 5 && !strcmp(de->d_name + l - 5, ".toml"))
				names[nr++] = strndup(de->d_name, l - 5);
		}
		if (dir)
			closedir(dir);
	}
	qsort(names, nr, sizeof(names[0]), cmp_str);
	out[0] = '\0';
	for (i = 0; i < nr; i++) {
		if (names[i] && (!i || !names[i - 1] || strcmp(names[i], names[i - 1])) &&
		    used < len)
			used += snprintf(out + used, len - used, "%s%s", used ? ", " : "",
					 names[i]);
	}
	for (i = 0; i < nr; i++)
		free(names[i]);
}

static int profile_not_found(struct config_ctx *ctx, const struct config_file *f,
			     const struct toml_entry *e, const char *name,
			     const struct profile_dirs *d)
{
	char dirs[384] = "", avail[256];
	size_t used = 0;

	for (unsigned int i = 0; i < d->nr && used < sizeof(dirs); i++)
		used += snprintf(dirs + used, sizeof(dirs) - used, "%s%s", i ? ", " : "",
				 d->dir[i]);
	list_profiles(d, avail, sizeof(avail));
	return config_error(ctx, f, e->value->pos,
			    "unknown profile \"%s\": no %s.toml in %s (available: %s)",
			    name, name, dirs, avail[0] ? avail : "none");
}

static int find_profile(struct config_ctx *ctx, const struct config_file *f,
			const struct toml_entry *e, const char *name, char **path)
{
	struct profile_dirs d = { .nr = 0 };
	char file[80];
	int ret = -1;

	snprintf(file, sizeof(file), "%s.toml", name);
	profile_dirs(f, &d);
	for (unsigned int i = 0; i < d.nr && ret; i++) {
		*path = join(d.dir[i], file);
		if (*path && !access(*path, R_OK))
			ret = 0;
		else
			free(*path);
	}
	if (ret)
		profile_not_found(ctx, f, e, name, &d);
	free_dirs(&d);
	return ret;
}

/* "baseline", "armv8.2": a dot, but not first (no ".." or hidden files). */
static bool valid_profile_name(const char *s)
{
	if (!*s || *s == '.' || strlen(s) >= sizeof(((struct cpu_config *)0)->profile))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

static int profile_cycle(struct config_ctx *ctx, const struct config_file *f,
			 const struct toml_entry *e, const char *real)
{
	for (unsigned int i = 0; i <= ctx->depth; i++)
		if (ctx->stack[i] && !strcmp(ctx->stack[i], real))
			return config_error(ctx, f, e->value->pos,
					    "profile \"%s\" includes itself (%s is already being loaded)",
					    e->value->u.string.ptr, real);
	if (ctx->depth >= CONFIG_MAX_PROFILE_DEPTH)
		return config_error(ctx, f, e->value->pos,
				    "profile \"%s\": profiles nest at most %d deep",
				    e->value->u.string.ptr, CONFIG_MAX_PROFILE_DEPTH);
	return 0;
}

int config__include_profile(struct config_ctx *ctx, struct config_file *f,
			    const struct toml_entry *cpu)
{
	const struct toml_table *t = toml__as_table(cpu->value);
	const struct toml_entry *e = t ? toml__table_find(t, "profile", 7) : NULL;
	const char *name;
	char *path = NULL, *real;
	int ret;

	if (!e)
		return 0;	/* a [cpu] that is no table is refused later */
	if (get_string(ctx, f, e, "a profile name (string)", &name))
		return -1;
	if (!valid_profile_name(name))
		return config_error(ctx, f, e->value->pos,
				    "profile: \"%s\" is not a profile name (a-z, 0-9, _, - and ., not starting with ., at most 63)",
				    name);
	if (find_profile(ctx, f, e, name, &path))
		return -1;
	real = realpath(path, NULL);
	if (!real || profile_cycle(ctx, f, e, real)) {
		if (!real)
			config_error(ctx, f, e->value->pos, "profile %s: %s", path, strerror(errno));
		free(real);
		free(path);
		return -1;
	}
	ctx->stack[++ctx->depth] = real;
	ret = load_file(ctx, path, true, f, e->value->pos);
	ctx->stack[ctx->depth--] = NULL;
	free(real);
	free(path);
	if (!ret)
		snprintf(ctx->cfg->cpu.profile, sizeof(ctx->cfg->cpu.profile), "%s", name);
	return ret;
}

int config__load(struct vm_config *cfg, const char *path, char *err,
		 size_t errlen)
{
	struct config_ctx ctx = { .cfg = cfg, .err = err, .errlen = errlen };
	int ret;

	if (errlen)
		err[0] = '\0';
	cfg->config_file = path;
	ctx.stack[0] = realpath(path, NULL);
	ret = load_file(&ctx, path, false, NULL, (struct toml_pos){ 0, 0 });
	if (!ret)
		ret = config__check_cpu(&ctx);
	if (!ret)
		ret = config__check_firmware(&ctx);
	free(ctx.stack[0]);
	return ret;
}
