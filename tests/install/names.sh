#!/usr/bin/env bash
# What the code accepts and what a man page documents, one name a line,
# read from the sources themselves so that a flag or key added to the code
# without its man page fails tests/install/run.sh.
#   names.sh run-long | run-short   elvisor run's flags (vmm/options.c)
#   names.sh cpu-long               elvisor cpu's flags (vmm/cmd_cpu.c)
#   names.sh commands               elvisor's commands (vmm/main.c)
#   names.sh config-keys            "SECTION KEY": every key of the tables in
#                                   vmm/config/config*.c, SECTION as the parser names
#                                   it ("[vm]"), "-" where it names none; and
#                                   the firmware services (hyp/core/fwregs.c)
#   names.sh module-params          elvisor.ko's parameters (hyp/kmod/*.c)
#   names.sh man-items PAGE         "SECTION<TAB>HEAD" for each .TP item of a
#                                   man page, HEAD unescaped ("-k, --kernel
#                                   FILE"); "SECTION<TAB>.SS" per subsection
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

case ${1:-} in
run-long)
	sed -n 's/^[[:space:]]*OPT("\([^"]*\)",.*/\1/p' vmm/options.c ;;
run-short)
	sed -n 's/^static const char short_opts\[\] = "\(.*\)";/\1/p' vmm/options.c |
		tr -d '+:' | fold -w1 ;;
cpu-long)
	# The getopt table of parse_args(): { "json", no_argument, ... }.
	sed -n 's/^[[:space:]]*{ "\([a-z][a-z0-9-]*\)", \(no\|required\|optional\)_argument,.*/\1/p' vmm/cmd_cpu.c ;;
commands)
	grep -o 'strcmp(argv\[1\], "[^"]*")' vmm/main.c | sed 's/.*"\(.*\)")/\1/' ;;
config-keys)
	awk '
	/static const struct config_key [a-z_]+\[\] = \{/ {
		t = $0; sub(/.*config_key /, "", t); sub(/\[.*/, "", t)
		intable = 1; s = $0; sub(/.*= \{/, "", s)
	}
	intable {
		if (!(/static const struct config_key/)) s = $0
		while (match(s, /\{ "[a-z_]+"/)) {
			k = substr(s, RSTART + 3, RLENGTH - 4)
			keys[++n] = t " " k
			s = substr(s, RSTART + RLENGTH)
		}
		if (/\};/) intable = 0
	}
	/config_apply_keys\(/ && match($0, /"\[[^"]*\]", [a-z_]+keys/) {
		c = substr($0, RSTART + 1, RLENGTH - 1)
		sec = c; sub(/".*/, "", sec)
		tab = c; sub(/.*", /, "", tab)
		section[tab] = sec
	}
	END {
		for (i = 1; i <= n; i++) {
			split(keys[i], p, " ")
			print ((p[1] in section) ? section[p[1]] : "-") " " p[2]
		}
	}' vmm/config/config*.c
	# [firmware.services]: the services of hyp/core/fwregs.c's bitmaps.
	awk '/static const struct elv_fw_service [a-z_]+\[\] = \{/ { in_svc = 1; next }
	     in_svc && match($0, /\{ "[a-z_]+"/) { print "[firmware.services] " substr($0, RSTART + 3, RLENGTH - 4) }
	     in_svc && /\};/ { in_svc = 0 }' hyp/core/fwregs.c ;;
module-params)
	cat hyp/kmod/*.c | sed -n 's/^module_param\(_named\)\?(\([a-z_0-9]*\),.*/\2/p' ;;
man-items)
	awk '
	function unescape(s) {
		gsub(/\\-/, "-", s); gsub(/\\\(dq/, "\"", s); gsub(/\\f[BIRP]/, "", s)
		gsub(/\\&/, "", s); sub(/^\.(B|BR|BI|IB|I|IR|RB|RI) /, "", s)
		gsub(/"/, "", s)
		return s
	}
	/^\.SH / { sec = $0; sub(/^\.SH /, "", sec); gsub(/"/, "", sec) }
	/^\.SS / { sec = $0; sub(/^\.SS /, "", sec); gsub(/"/, "", sec); print sec "\t.SS" }
	head { print sec "\t" unescape($0); head = 0; next }
	/^\.TP/ { head = 1 }' "$2" ;;
*)
	echo "usage: names.sh run-long|run-short|cpu-long|commands|config-keys|module-params|man-items PAGE" >&2
	exit 2 ;;
esac
