# Reading tests/selftests/expected.txt; prepended to the awk programs of
# tests/selftests/selftests.sh (in the emulated host, busybox awk) and
# tests/selftests/compare.sh, so both read the format the same way.
#   NAME backend=RESULT[/RESULT...] ... [reason]

# Is this field a "backend=RESULT" expectation (rather than reason text)?
function is_result(f) {
	return f ~ /^[a-z]+=(PASS|FAIL|SKIP)(\/(PASS|FAIL|SKIP))*$/
}

# The reason for one backend: "; "-separated parts, each for both
# backends or prefixed "kvm:" / "elvisor:".
function reason_for(b, reason,   parts, np, i, p, out) {
	np = split(reason, parts, /; /); out = ""
	for (i = 1; i <= np; i++) {
		p = parts[i]
		if (p ~ /^(kvm|elvisor): /) {
			if (index(p, b ": ") != 1) continue
			p = substr(p, length(b) + 3)
		}
		out = out (out == "" ? "" : "; ") p
	}
	return out
}
