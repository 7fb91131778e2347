/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the config loader's files: config.c (files, profiles, [vm],
 * checks across sections), config_cpu.c ([cpu], [cpu.id_registers]) and
 * config_fw.c ([firmware]). Not for use outside vmm/config/config*.c.
 */
#ifndef ELV_CONFIG_INTERNAL_H
#define ELV_CONFIG_INTERNAL_H

#include <stdarg.h>

#include "config.h"
#include "toml.h"

#define CONFIG_MAX_PROFILE_DEPTH	4

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* vCPU features KVM gives or hides by KVM_ARM_VCPU_INIT flags. */
enum config_feature { CONFIG_FEAT_SVE, CONFIG_FEAT_PTRAUTH, CONFIG_FEAT_PMU, CONFIG_NR_FEATURES };

/* One file being loaded: the top-level config or a profile it includes. */
struct config_file {
	const char *name;		/* as given: used in messages and wheres */
	char *dir;			/* its directory, NULL for the current one */
	bool is_profile;
	unsigned int serial;		/* unique per file of one config__load() */
	/* What this file itself said, for conflicts inside one file. */
	bool said_feature[CONFIG_NR_FEATURES];	/* indexed by enum config_feature */
	bool said_vls, said_max_vl;
	struct toml_pos vls_pos, max_vl_pos;
};

struct config_ctx {
	struct vm_config *cfg;
	char *err;
	size_t errlen;
	unsigned int depth;		/* 0 for the top-level file */
	unsigned int nr_files;
	char *stack[CONFIG_MAX_PROFILE_DEPTH + 1];	/* real paths being loaded */
	unsigned int set_owner[CONFIG_MAX_IDREG_SETS];	/* serial of the file per idreg set */
};

/* A key valid at one level and what to do with it (NULL: handled apart). */
struct config_key {
	const char *name;
	int (*apply)(struct config_ctx *ctx, struct config_file *f,
		     const struct toml_entry *e);
};

int config_error(struct config_ctx *ctx, const struct config_file *f,
		 struct toml_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void config_where_set(config_where where, const struct config_file *f,
		      struct toml_pos pos);
/* A path said in file f: relative ones are relative to f's directory. */
const char *config_file_path(const struct config_file *f, const char *value);
int config__apply_devices(struct config_ctx *ctx, struct config_file *f,
			  const struct toml_entry *e);

/* "expected <what>, got <type>" at the value. */
int config_type_error(struct config_ctx *ctx, const struct config_file *f,
		      const struct toml_entry *e, const char *what);
int config_get_bool(struct config_ctx *ctx, const struct config_file *f,
		    const struct toml_entry *e, bool *out);
int config_get_int(struct config_ctx *ctx, const struct config_file *f,
		   const struct toml_entry *e, int64_t lo, int64_t hi, int64_t *out);
int config_get_table(struct config_ctx *ctx, const struct config_file *f,
		     const struct toml_entry *e, const struct toml_table **out);

/*
 * Apply every entry of @table with its key's handler; an unknown key is
 * refused with the closest valid one. @section names the level ("[vm]").
 */
int config_apply_keys(struct config_ctx *ctx, struct config_file *f,
		      const struct toml_table *table, const char *section,
		      const struct config_key *keys, unsigned int nr_keys);

/* Closest candidate by edit distance, if close enough to be a likely typo. */
struct config_suggest {
	const char *word;
	const char *best;
	unsigned int dist;
	unsigned int prefix;	/* letters best shares with word at the start */
};
void config_suggest_init(struct config_suggest *s, const char *word);
void config_suggest_try(struct config_suggest *s, const char *candidate);
const char *config_suggest_result(const struct config_suggest *s);

int config__apply_cpu(struct config_ctx *ctx, struct config_file *f,
		      const struct toml_entry *e);
int config__apply_firmware(struct config_ctx *ctx, struct config_file *f,
			   const struct toml_entry *e);
/* Checks that need every file applied. */
int config__check_cpu(struct config_ctx *ctx);
int config__check_firmware(struct config_ctx *ctx);

/* Profiles (config.c): load the one [cpu] profile names, before the file. */
int config__include_profile(struct config_ctx *ctx, struct config_file *f,
			    const struct toml_entry *e);

#endif /* ELV_CONFIG_INTERNAL_H */
