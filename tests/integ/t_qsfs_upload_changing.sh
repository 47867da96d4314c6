# SPDX-License-Identifier: MIT
# zstor reads a file twice (0-stor_v2 pipeline.rs, process_file): the checksum it records, which
# `zstor check` prints, comes from the first read, what it stores from the second. Here zdb
# rewrites its namespace descriptor in place, with the same content (truncated, then written
# again), while wait_hooks uploads it after a namespace-updated hook: zstor's second read finds
# it empty. The remote copy must still be the file's content. Before the fix, check confirmed
# the first read's checksum, the drain found the same content again and kept the empty remote
# copy as verified (zstor itself skips a store of a checksum it has), and the copy the next
# restore would fetch was empty.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"
ID=tcp://:::9900

for f in "$I/zdb-namespace" "$I/i0" "$D/d0"; do bytes 2000 >"$f"; done
start_and_drain "$T/wh1.out" 0 # every file stored
bytes 300 >"$T/ns.new"

# zdb sets a property (NSSET): the descriptor's new content, and its hook; the upload that
# follows is held at the stand-in's gate, between zstor's two reads, while zdb rewrites the
# descriptor: truncated (zstor's second read), then the same content again
rewrite_during_upload() {
	knobs "gate=$T/open"
	cp "$T/ns.new" "$I/zdb-namespace"
	"$HOOK" namespace-updated $ID zdbfs-data || fail "namespace-updated hook"
	wait_line "GATE store file=.* key=$I/zdb-namespace waits for $T/open" "$ZLOG" 30
	: >"$I/zdb-namespace"
	touch "$T/open"
	wait_line "STORE-DONE key=$I/zdb-namespace " "$ZLOG" 30
	wait_until 30 eval '[ "$(jobs)" = 0 ]' || fail "the namespace-updated job was not retired"
	cp "$T/ns.new" "$I/zdb-namespace"
	knobs
}
start_and_drain "$T/wh2.out" 0 rewrite_during_upload
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$T/wh2.out"
assert_eq "$("$STANDINS/zstor" -c "$QSFS_ZSTOR_CONFIG" --log_file "$T/z.log" check -f "$I/zdb-namespace")" \
	"$(b2 "$T/ns.new")" "zstor check of the descriptor"
same_remote "$I/zdb-namespace" ||
	fail "the remote descriptor is not the file (remote: $(stat -c %s "$(remote "$I/zdb-namespace")") bytes)"
[ -z "$(find "$H/state/spool" -mindepth 1 2>/dev/null)" ] || fail "copies left in the spool: $(ls -R "$H/state/spool")"
