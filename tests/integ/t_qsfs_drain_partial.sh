# SPDX-License-Identifier: MIT
# A retrieve cut short while zdb ran (a missing-data hook OOM-killed in mid-write: zdb counts
# the dead hook as done and may open the file) leaves its intent in state/retrieve and a short
# file. The drain removes that file once no hook runs, instead of sweeping it up over the
# good remote copy (the intent stays: zstor may still write the file); the next start's restore
# or zdb's missing-data brings it back whole.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"

for f in "$I/zdb-namespace" "$I/i0" "$I/i1" "$D/d0" "$D/d1"; do bytes 2000 >"$f"; done
bytes 3000 >"$T/d0.whole"
# cut_retrieve: d0 as a killed retrieve leaves it: its first 700 bytes and its intent
cut_retrieve() {
	head -c 700 "$T/d0.whole" >"$D/d0"
	mkdir -p "$H/state/retrieve"
	printf '%s\n' "$D/d0" >"$H/state/retrieve/00000000000000000009-9"
}
start_and_drain "$T/wh1.out" 0 # every file stored
cp "$T/d0.whole" "$D/d0"
start_and_drain "$T/wh2.out" 0 # d0 as zdb last wrote it, stored
same_remote "$D/d0" || fail "d0 not stored"

start_and_drain "$T/wh3.out" 0 cut_retrieve
assert_line '^wait_hooks: removed 1 partially retrieved file\(s\)$' "$T/wh3.out"
[ ! -e "$D/d0" ] || fail "the partial d0 is still there"
assert_eq "$(b2 "$(remote "$D/d0")")" "$(b2 "$T/d0.whole")" "the remote d0 after the drain"
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$T/wh3.out"
# zstor, stopped after wait_hooks, may still write it: the intent stays for the next start,
# which removes it once zstor has answered
[ -n "$(ls -A "$H/state/retrieve")" ] || fail "the drain removed the intent"
start_and_drain "$T/wh4.out" 0
[ -z "$(ls -A "$H/state/retrieve")" ] || fail "the intent is still there after a start"
