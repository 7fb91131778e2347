# The host kernel's own console lines ("[ seconds] ...") of an emulated
# host's console (CRs removed first), without the context blocks
# ("---- ..." to "----") in which scenarios echo a guest's console, and
# without the scenarios' own lines (ok/FAIL lines may quote a guest): a
# guest kernel's Oops or RCU stall there is the guest's, not the host's.
# Used by tests/integration/run.sh and scripts/test-debug.sh (-v numbered=1:
# each line as "N:line", N its line number in the console).
/^---- / { ctx = 1; next }
ctx { if ($0 == "----") ctx = 0; next }
/^\[ *[0-9]+\.[0-9]+\] / { if (numbered) print NR ":" $0; else print }
