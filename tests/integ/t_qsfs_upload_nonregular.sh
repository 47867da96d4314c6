# SPDX-License-Identifier: MIT
# A journal entry naming a file that is not a regular file (here a FIFO where zdb's d1 would
# be): the sweep skips such a file, but an upload from the journal opened it to hash it, and
# the open of a FIFO with no writer blocks: wait_hooks hung in its resume, before zdb could
# start, deaf to SIGTERM (its signals are read between uploads). The entry is now done
# without a store, said so, and the start and the drain go on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"

for f in "$I/zdb-namespace" "$I/i0" "$D/d0"; do bytes 2000 >"$f"; done
mkfifo "$D/d1"
"$HOOK" jump-data id "$D/d1" || fail "jump-data of d1"
assert_eq "$(jobs)" 1 "jobs journaled"
start_and_drain "$T/wh.out" 0
assert_line "^wait_hooks: $D/d1 is not a regular file: not uploaded" "$T/wh.out"
assert_eq "$(jobs)" 0 "jobs left in the journal"
same_remote "$I/zdb-namespace" "$I/i0" "$D/d0" || fail "the regular files were not stored"
[ ! -e "$(remote "$D/d1")" ] || fail "something was stored for the FIFO"
