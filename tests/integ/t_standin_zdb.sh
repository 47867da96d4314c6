# SPDX-License-Identifier: MIT
# The zdb stand-in keeps 0-db's hook contract (QSFS.md §1-2): argv per event, sync/async waits, inherited fds and signal masks, stop paths, rollover, dirty list, missing-data, locks held by orphaned hooks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/standin_lib.sh"

# Runs outside zinit: the same in both MODEs.
PORT=$(free_port)
ID="tcp://:::$PORT"
ZARGS=(--mode seq --data "$T/data" --index "$T/index" --hook "$T/hook.sh" --datasize 524288 --port "$PORT")
# The listening socket's inode, from /proc/net/tcp6 (state 0A = LISTEN).
listen_inode() {
	awk -v p="$(printf '%04X' "$PORT")" '$2 ~ ":" p "$" && $4 == "0A" { print $10 }' /proc/net/tcp6
}
pgid_of() { awk '{ print $5 }' "/proc/$1/stat"; }
flushing_order() { grep -o 'namespaces: flushing: .*' "$T/zdb.log" | tail -n 4 | awk '{ printf "%s ", $3 }'; }
pinged() { grep -q PONG "$T/ping.out"; }
# slot_order: the namespaces as zdb loads them at a start: default, then the others in the index
# directory's readdir() order (ls -U), which is not the order they were created in.
slot_order() { echo "default $(ls -U "$T/index" | grep -v -x default | tr '\n' ' ')"; }

# ---- boot: namespaces-init before listen() (refused), ready after it (clients wait) ----
touch "$CTL/hold.namespaces-init" "$CTL/hold.ready"
ZDB=$(waited zdb "$STANDINS/zdb" "${ZARGS[@]}")
wait_starts namespaces-init 1
assert_eq "$(hook_argv namespaces-init)" "[$T/hook.sh][namespaces-init][$ID][$T/index][$T/data]" "namespaces-init argv"
assert_eq "$(hook_field namespaces-init ppid)" "$ZDB" "a hook is zdb's child"
assert_eq "$(hook_field namespaces-init pgid)" "$(pgid_of "$ZDB")" "a hook stays in zdb's process group"
fds=$(hook_fds "$(hook_field namespaces-init pid)")
case $fds in *"3=$T/index/.lockfile 4=$T/data/.lockfile"*) ;; *) fail "init hook fds: $fds" ;; esac
case $fds in *socket:*) fail "a socket before listen(): $fds" ;; esac
cli PING >"$T/ping.out" 2>&1 && fail "PING answered during namespaces-init"
grep -q 'Connection refused' "$T/ping.out" || fail "PING during namespaces-init: $(cat "$T/ping.out")"
rm "$CTL/hold.namespaces-init"
wait_starts ready 1
fds=$(hook_fds "$(hook_field ready pid)")
case $fds in *"socket:[$(listen_inode)]"*) ;; *) fail "ready hook lacks the listening socket: $fds" ;; esac
case $fds in *"=$T/index/default/i0 "*"=$T/data/default/d0"*) ;; *) fail "ready hook fds: $fds" ;; esac
cli PING >"$T/ping.out" 2>&1 &
absent_for 0.5 "PING answered while ready runs (it is synchronous)" pinged
rm "$CTL/hold.ready"
wait_until 20 pinged || fail "PING never answered after ready"
assert_eq "$(hook_argv ready)" "[$T/hook.sh][ready][$ID]" "ready argv"
wait_until 10 zdb_hook_status "$PORT" ready >/dev/null || fail "HOOKS does not list ready as ended"
assert_eq "$(zdb_hook_status "$PORT" ready "$(hook_field ready pid)")" 0 "ready's status in HOOKS"

# ---- namespaces: async namespace-created / -updated ----
touch "$CTL/hold.namespace-created"
for ns in zdbfs-meta zdbfs-data zdbfs-temp; do assert_eq "$(cli NSNEW $ns)" OK "NSNEW $ns"; done
assert_eq "$(cli NSNEW zdbfs-meta)" "(error) This namespace is not available" "NSNEW twice"
wait_starts namespace-created 3
assert_eq "$(ends namespace-created)" 0 "namespace-created hooks held, zdb went on"
assert_eq "$(cli PING)" PONG "PING while namespace-created runs"
case $(hook_fds "$(hook_field namespace-created pid)") in
*"=$T/index/zdbfs-meta/i0 "*"=$T/data/zdbfs-meta/d0"*) ;;
*) fail "namespace-created before the namespace's files" ;;
esac
rm "$CTL/hold.namespace-created"
wait_ends namespace-created 3
grep "^START ev=namespace-created " "$H" | grep -q "\[$ID\]\[zdbfs-temp\]$" || fail "namespace-created argv"
# an async hook is listed as ended once the idle loop has reaped it
wait_until 10 zdb_hook_status "$PORT" namespace-created "$(hook_field namespace-created pid 3)" >/dev/null ||
	fail "HOOKS does not list namespace-created as ended"
assert_eq "$(cli NSSET zdbfs-temp password hello)" OK "NSSET"
wait_starts namespace-updated 1
assert_eq "$(hook_argv namespace-updated)" "[$T/hook.sh][namespace-updated][$ID][zdbfs-temp]" "namespace-updated argv"
assert_eq "$(cli -n zdbfs-temp -a hello PING)" PONG "SELECT with the password"
assert_eq "$(cli -n zdbfs-temp -a nope PING)" "(error) Access denied" "SELECT with a wrong password"
assert_eq "$(cli -n zdbfs-meta -a hello PING)" PONG "any password on a passwordless namespace"

# ---- rollover at --datasize: jump-index (sync) then jump-data ----
head -c 65536 /dev/urandom >"$T/v64"
assert_eq "$(cli -n zdbfs-data -r 8 SET "" "file:$T/v64" | tr '\n' ' ')" \
	"u64:0 u64:1 u64:2 u64:3 u64:4 u64:5 u64:6 u64:7 " "sequential keys"
wait_starts jump-data 1
assert_eq "$(hook_argv jump-index)" "[$T/hook.sh][jump-index][$ID][$T/index/zdbfs-data/i0][$T/index/zdbfs-data/i1][]" "jump-index argv"
assert_eq "$(hook_argv jump-data)" "[$T/hook.sh][jump-data][$ID][$T/data/zdbfs-data/d0][$T/data/zdbfs-data/d1]" "jump-data argv"
[ "$(line_no '^END ev=jump-index' "$H")" -lt "$(line_no '^START ev=jump-data' "$H")" ] || fail "jump-data before jump-index ended"
case $(hook_fds "$(hook_field jump-index pid)") in
*"=$T/index/zdbfs-data/i1 "*"=$T/data/zdbfs-data/d0 "*) ;;
*) fail "jump-index: the new index and the old data file should be open" ;;
esac
assert_eq "$(cli -n zdbfs-data SET u64:1 hello)" "u64:1" "overwrite of an old key"
# the same payload again: nil, nothing written (0-db: "crc match, ignoring")
dsize=$(cat "$T/data/zdbfs-data"/d* | wc -c)
assert_eq "$(cli -n zdbfs-data SET u64:1 hello)" "(nil)" "a SET of the payload the key holds"
assert_eq "$(cat "$T/data/zdbfs-data"/d* | wc -c)" "$dsize" "data bytes after a SET of the same payload"
assert_eq "$(cli -n zdbfs-data DEL u64:2)" OK "DEL"
assert_eq "$(cli -n zdbfs-data INDEX DIRTY)" 0 "dirty list"
assert_eq "$(cli -n zdbfs-data DBSIZE)" 7 "DBSIZE"

# A killed synchronous hook reads as status 0 (WEXITSTATUS without WIFEXITED): the list is reset.
touch "$CTL/hold.jump-index"
cli -n zdbfs-data NSJUMP >"$T/jump.out" 2>"$T/jump.err" &
wait_starts jump-index 2
assert_eq "$(hook_argv jump-index 2)" "[$T/hook.sh][jump-index][$ID][$T/index/zdbfs-data/i1][$T/index/zdbfs-data/i2][0]" "NSJUMP jump-index argv"
rm -f "$T/ping.out" # the PONG of the PING above: absent_for may look before the shell below empties it
cli PING >"$T/ping.out" 2>&1 &
absent_for 0.5 "PING answered while jump-index runs" pinged
[ -s "$T/jump.out" ] && fail "NSJUMP returned while jump-index runs: $(cat "$T/jump.out")"
kill -KILL "$(hook_field jump-index pid 2)"
rm "$CTL/hold.jump-index"
wait_until 20 pinged || fail "PING never answered after jump-index"
assert_eq "$(zdb_hook_status "$PORT" jump-index "$(hook_field jump-index pid 2)")" 0 "a killed jump-index's status in HOOKS"
wait_until 10 grep -q OK "$T/jump.out" || fail "NSJUMP: $(cat "$T/jump.out")"
assert_eq "$(cli -n zdbfs-data INDEX DIRTY)" "" "dirty list after a killed jump-index"
# A failing jump-index keeps the list.
echo 1 >"$CTL/rc.jump-index"
assert_eq "$(cli -n zdbfs-data SET u64:3 again)" "u64:3" "overwrite"
assert_eq "$(cli -n zdbfs-data NSJUMP)" OK "NSJUMP"
assert_eq "$(hook_argv jump-index 3)" "[$T/hook.sh][jump-index][$ID][$T/index/zdbfs-data/i2][$T/index/zdbfs-data/i3][0]" "jump-index argv"
assert_eq "$(cli -n zdbfs-data INDEX DIRTY)" 0 "dirty list kept after jump-index failed"
assert_eq "$(zdb_hook_status "$PORT" jump-index "$(hook_field jump-index pid 3)")" 1 "a failed jump-index's status in HOOKS"
rm "$CTL/rc.jump-index"

# ---- missing-data: sync hook, then one retry ----
mv "$T/data/zdbfs-data/d0" "$T/d0.away"
echo 1 >"$CTL/rc.missing-data"
assert_eq "$(cli -n zdbfs-data GET u64:0)" "(error) Internal Error" "GET with d0 missing, hook failed"
assert_eq "$(hook_argv missing-data)" "[$T/hook.sh][missing-data][$ID][$T/data/zdbfs-data/d0]" "missing-data argv"
echo 0 >"$CTL/rc.missing-data"
echo 'mv "'"$T"'/d0.away" "$3"' >"$CTL/do.missing-data"
cli -n zdbfs-data -o "$T/got" GET u64:0 || fail "GET after missing-data restored d0"
cmp -s "$T/got" "$T/v64" || fail "GET after the restore: other bytes"
rm "$CTL/do.missing-data"

# ---- SIGTERM: close (sync, SIGTERM blocked), namespace-closing forked, exit 143 without them ----
touch "$CTL/hold.close" "$CTL/hold.namespace-closing"
kill -TERM "$ZDB"
wait_starts close 1
blk_is close 1 0x4000 || fail "close: SIGTERM not blocked ($(hook_field close blk))"
absent_for 0.5 "zdb did not wait for close" eval '! alive "$ZDB"'
assert_eq "$(starts namespace-closing)" 0 "namespace-closing before close ended"
rm "$CTL/hold.close"
assert_eq "$(status_of zdb)" "exit 143" "zdb after SIGTERM"
wait_starts namespace-closing 4
assert_eq "$(ends namespace-closing)" 0 "namespace-closing hooks still running after zdb exited"
assert_eq "$(flushing_order)" "default zdbfs-meta zdbfs-data zdbfs-temp " "namespace order"
for i in 1 2 3 4; do blk_is namespace-closing $i 0x4000 || fail "namespace-closing $i: SIGTERM not blocked"; done
grep -q "^START ev=namespace-closing .*\[$ID\]\[zdbfs-data\]\[$T/index/zdbfs-data/i3\]\[$T/data/zdbfs-data/d3\]\[0\]$" "$H" ||
	fail "namespace-closing argv of zdbfs-data"
grep -q "^START ev=namespace-closing .*\[$ID\]\[default\]\[$T/index/default/i0\]\[$T/data/default/d0\]\[\]$" "$H" ||
	fail "namespace-closing argv of default"
# The orphaned hooks hold the port and the lockfiles: a restart is refused.
ss -ltnpH "sport = :$PORT" | grep -q hook.sh || fail "the orphaned hooks do not hold the port"
waited zdb "$STANDINS/zdb" "${ZARGS[@]}" >/dev/null
assert_eq "$(status_of zdb)" "exit 1" "restart while the hooks run"
assert_line "an instance of zdb is already using: $T/index/.lockfile" "$T/zdb.log"
rm "$CTL/hold.namespace-closing"
wait_ends namespace-closing 4

# ---- restart: the data is back; SIGINT takes the same path (exit 130, SIGINT blocked) ----
ZDB=$(waited zdb "$STANDINS/zdb" "${ZARGS[@]}")
wait_starts ready 2
wait_until 20 cli PING >/dev/null || fail "no PING after the restart"
assert_eq "$(cli NSLIST | tr '\n' ' ')" "$(slot_order)" "NSLIST after the restart: the readdir order"
assert_eq "$(cli -n zdbfs-data GET u64:1)" hello "GET after restart"
assert_eq "$(cli -n zdbfs-data GET u64:2)" "(nil)" "deleted key after restart"
assert_eq "$(cli -n zdbfs-data DBSIZE)" 7 "DBSIZE after restart"
assert_eq "$(cli NSINFO zdbfs-data | grep data_current_id)" "data_current_id: 3" "NSINFO"
kill -INT "$ZDB"
assert_eq "$(status_of zdb)" "exit 130" "zdb after SIGINT"
blk_is close 2 0x2 || fail "close: SIGINT not blocked"
wait_starts namespace-closing 8
assert_eq "$(flushing_order)" "$(slot_order)" "namespace order after restart"
wait_ends namespace-closing 8

# ---- SIGSEGV: crash then namespace-closing, SIGSEGV blocked, exit 139 ----
ZDB=$(waited zdb "$STANDINS/zdb" "${ZARGS[@]}")
wait_until 20 cli PING >/dev/null || fail "no PING"
kill -SEGV "$ZDB"
assert_eq "$(status_of zdb)" "exit 139" "zdb after SIGSEGV"
wait_starts crash 1
wait_starts namespace-closing 12
blk_is crash 1 0x400 || fail "crash: SIGSEGV not blocked"
blk_is namespace-closing 12 0x400 || fail "namespace-closing after crash: SIGSEGV not blocked"
wait_ends namespace-closing 12

# ---- ready fails: namespace-closing, exit 0 ----
echo 3 >"$CTL/rc.ready"
ZDB=$(waited zdb "$STANDINS/zdb" "${ZARGS[@]}")
assert_eq "$(status_of zdb)" "exit 0" "zdb after a failed ready"
assert_line 'unsuccessful init hook, stopping \(code: 3\)' "$T/zdb.log"
wait_starts namespace-closing 16
blk_is namespace-closing 16 0 || fail "namespace-closing after ready: a signal blocked"
wait_ends namespace-closing 16
rm "$CTL/rc.ready"

# ---- SIGTERM during namespaces-init: close, crash, death by SIGSEGV; the init hook keeps the lock ----
touch "$CTL/hold.namespaces-init"
ZDB=$(waited zdb "$STANDINS/zdb" "${ZARGS[@]}")
wait_starts namespaces-init 5
kill -TERM "$ZDB"
assert_eq "$(status_of zdb)" "signal 11" "zdb after SIGTERM during namespaces-init"
wait_starts crash 2
blk_is close 3 0x4000 || fail "close during init: SIGTERM not blocked"
blk_is crash 2 0x4400 || fail "crash during init: SIGTERM and SIGSEGV not both blocked"
[ "$(line_no '^START ev=close .*pid='"$(hook_field close pid 3)" "$H")" -lt "$(line_no "^START ev=crash .*pid=$(hook_field crash pid 2)" "$H")" ] ||
	fail "crash before close"
assert_eq "$(starts namespace-closing)" 16 "namespace-closing without namespaces"
absent_for 0.5 "a namespace-closing forked during init" eval '[ "$(starts namespace-closing)" -gt 16 ]'
assert_eq "$(ends namespaces-init)" 4 "the init hook still runs"
waited zdb "$STANDINS/zdb" "${ZARGS[@]}" >/dev/null
assert_eq "$(status_of zdb)" "exit 1" "restart while the init hook holds the lock"
rm "$CTL/hold.namespaces-init"
wait_ends namespaces-init 5
