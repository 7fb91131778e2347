#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the TOML 1.0 cases of a toml-test checkout against a decoder.
#
#   run-toml-test.sh TOML_TEST_DIR DECODER [JSON_EQUAL]
#
# TOML_TEST_DIR/files-toml-1.0.0 lists the cases: every valid/*.toml must
# decode (exit 0) to JSON equal to its valid/*.json, compared by json-equal
# (JSON_EQUAL, else next to DECODER, else built from json-equal.c with $CC);
# every invalid/*.toml must be refused (exit 1). The listed valid/*.json are
# the expected outputs; any other listed file counts as a failure. Prints one
# line per failure, then "N passed, N failed"; exits 1 if any failed.
set -u

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 TOML_TEST_DIR DECODER [JSON_EQUAL]" >&2
	exit 2
fi
dir=$1
decoder=$2
list=$dir/files-toml-1.0.0
if [ ! -r "$list" ] || [ ! -x "$decoder" ]; then
	echo "$0: need $list and an executable $decoder" >&2
	exit 2
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

compare=${3:-$(dirname "$decoder")/json-equal}
if [ ! -x "$compare" ]; then
	compare=$tmp/json-equal
	${CC:-cc} -std=gnu11 -O2 -o "$compare" \
		"$(dirname "$0")/json-equal.c" || exit 2
fi

# A hung decoder is a failure, not a hung test run.
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout 10"

pass=0
fail=0

failed() {
	echo "FAIL $1: $2"
	fail=$((fail + 1))
}

run_valid() {
	json=${1%.toml}.json
	if [ ! -r "$dir/$json" ]; then
		failed "$1" "no $json"
		return
	fi
	$limit "$decoder" <"$dir/$1" >"$tmp/out.json" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		failed "$1" "refused (exit $rc): $(head -n 1 "$tmp/err")"
	elif ! "$compare" "$dir/$json" "$tmp/out.json" 2>"$tmp/err"; then
		failed "$1" "wrong output: $(head -n 1 "$tmp/err")"
	else
		pass=$((pass + 1))
	fi
}

run_invalid() {
	$limit "$decoder" <"$dir/$1" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		failed "$1" "accepted"
	elif [ $rc -ne 1 ]; then
		failed "$1" "exit $rc instead of 1 (crash or timeout?)"
	elif [ ! -s "$tmp/err" ]; then
		failed "$1" "refused without a message"
	else
		pass=$((pass + 1))
	fi
}

while IFS= read -r f || [ -n "$f" ]; do
	case $f in
	'') ;;
	valid/*.toml) run_valid "$f" ;;
	valid/*.json) ;;	# expected output of the .toml beside it
	invalid/*.toml) run_invalid "$f" ;;
	*) failed "$f" "listed, but neither a valid nor an invalid case" ;;
	esac
done <"$list"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
