# SPDX-License-Identifier: MIT
# A retrieve that begins while wait_hooks reads a file to upload it: d0 is evicted while its
# hash runs, and a missing-data retrieve of d0 writes its intent, then a short d0 (given up at
# its timeout, or still writing). The path is the retrieve's from then on: wait_hooks looks
# for an intent again once the read is over, and must not store the short d0 over the good
# remote copy (zstor stores the path, not what was read). The read is held by an LD_PRELOAD
# shim started with wait-hooks (tests/preload/read_gate.c; its zstor children inherit it, but
# it holds one read in all) until the intent and the short file are written. Passed before;
# without that second look (upload_try.c) the short d0 is stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"

for f in "$I/zdb-namespace" "$I/i0" "$D/d1"; do bytes 2000 >"$f"; done
bytes 3000 >"$D/d0"
cp "$D/d0" "$T/d0.good"
put_remote "$D/d0" "$T/d0.good" # stored by an earlier run whose manifest is gone: d0 is hashed

# The first read of d0 (wait-hooks' hash of it) waits at the gate: $T/held appears, $T/open
# lets it go on. An ASan build would refuse to run with its runtime not first in the library
# list, where the shim now is.
READ_GATE_PATH=$D/d0 READ_GATE_HELD=$T/held READ_GATE_OPEN=$T/open \
	LD_PRELOAD=$STANDINS/read_gate.so \
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	"$ZINIT" wait-hooks >"$T/wh.out" 2>&1 &
wh=$!
wait_until 30 test -e "$T/held" ||
	fail "wait-hooks never read d0 through the gate (is $ZINIT dynamically linked?): $(cat "$T/wh.out")"
rm "$D/d0" # evicted
mkdir -p "$H/state/retrieve" # a missing-data retrieve: its intent, then what it wrote so far
printf '%s\n' "$D/d0" >"$H/state/retrieve/00000000000000000001-1"
head -c 1500 "$T/d0.good" >"$D/d0"
touch "$T/open"
wait_line '^wait_hooks: ready: zdb may start' "$T/wh.out" 60
kill -TERM "$wh"
wh_exit "$wh" "$T/wh.out" 0
assert_line "^wait_hooks: $D/d0 is not uploaded: a retrieve intent names it" "$T/wh.out"
assert_eq "$(b2 "$(remote "$D/d0")")" "$(b2 "$T/d0.good")" "the remote d0"
assert_eq "$(count_lines "STORE-DONE key=$D/d0 " "$ZLOG")" 0 "stores of d0"
same_remote "$I/zdb-namespace" "$I/i0" "$D/d1" || fail "the other files were not stored"
# the restore that followed took the short d0 under the intent as missing: fetched whole
assert_line "^wait_hooks: restored $D/d0$" "$T/wh.out"
assert_eq "$(b2 "$D/d0")" "$(b2 "$T/d0.good")" "d0 after the restore"
