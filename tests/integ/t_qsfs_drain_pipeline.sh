# The drain's uploads in flight (issue 9, drain overhead): the next file's `zstor store` is
# queued while one is stored and checks run behind the stores, yet every data file is stored
# before any index file and every index file before a descriptor; a check that fails for one
# file is retried without holding back the others, and every file ends verified. With zstor
# refusing every store for a while, failures are printed at most once a second, counted; a
# store queued behind another has its own timeout after the other's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"

MLOG=$T/monitor.log
printf 'socket = "%s"\npid_file = "%s"\n[standin]\nremote = "%s"\n' "$T/zstor.sock" "$T/zstor.pid" "$R" >"$H/zstord.toml"
export QSFS_ZSTOR_CONFIG=$H/zstord.toml QSFS_CLOSING_GRACE_MS=0
"$STANDINS/zstor" -c "$H/zstord.toml" --log_file "$MLOG" monitor 2>>"$T/monitor.err" &
MON=$!
trap 'kill -KILL $MON 2>/dev/null; cleanup' EXIT
wait_file "$T/zstor.sock"

# start_and_drain OUT STATUS [CMD...]: wait-hooks up to its ready socket, CMD, then SIGTERM: it
# must drain and exit with STATUS (0: every file verified; 1: the drain gave up).
start_and_drain() {
	local out=$1 status=$2
	shift 2
	"$ZINIT" wait-hooks >"$out" 2>&1 &
	local wh=$!
	wait_line '^wait_hooks: ready: zdb may start' "$out" 60
	"$@"
	kill -TERM "$wh"
	wait_until 60 eval "! kill -0 $wh 2>/dev/null" || fail "wait-hooks did not exit: $(cat "$out")"
	wait "$wh"
	assert_eq "$?" "$status" "wait-hooks' exit status ($out)"
}

M=$H/index/zdbfs-meta
MD=$H/data/zdbfs-meta
files=()
for k in 0 1 2 3 4 5; do files+=("$D/d$k" "$I/i$k"); done
files+=("$I/zdb-namespace" "$MD/d0" "$M/i0" "$M/zdb-namespace")
for f in "${files[@]}"; do bytes 3000 >"$f"; done
# d2's check fails until wait-hooks has said so (a window of fixed length could close before a
# slow start reaches d2): its store is retried, the other files go on meanwhile
knobs store_delay_ms=40 "fail=$D/d2" fail_ops=check
(wait_until 120 has_line "^wait_hooks: upload failed, retrying in [0-9]+ s: $D/d2: zstor check" "$T/wh.out" &&
	knobs store_delay_ms=40) &
start_and_drain "$T/wh.out" 0
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$T/wh.out"
same_remote "${files[@]}" || fail "not every file has its remote copy"
for f in "${files[@]}"; do
	grep -q " $f\$" "$H/state/manifest" || fail "$f is not in the manifest"
done
assert_line "^wait_hooks: upload failed, retrying in [0-9]+ s: $D/d2: zstor check: exit status 1" "$T/wh.out"

# the order in which the monitor's one worker stored them: kinds never interleave
kinds=$(sed -n 's/.*STORE-DONE key=\([^ ]*\) .*/\1/p' "$MLOG" | sed 's#.*/##; s/^d[0-9]*$/d/; s/^i[0-9]*$/i/' | uniq | tr '\n' ' ')
assert_eq "$kinds" "d i zdb-namespace " "kinds in store order"
# d2 (failed check) was stored again after the others of its kind had started
assert_eq "$(grep -c "STORE-DONE key=$D/d2 " "$MLOG")" 1 "d2 stored once (later stores skip equal content)"
[ "$(grep -c "STORE-SKIP key=$D/d2 " "$MLOG")" -ge 1 ] || fail "d2 was not stored again after its failed check"
# in flight: a store was queued while another one had not finished (two stores at once)
overlap=$(awk '/QUEUED prio=0 store/ { q++; if (q - d > max) max = q - d } /STORE-(DONE|SKIP)/ { d++ }
	END { print max + 0 }' "$MLOG")
[ "$overlap" -ge 2 ] || fail "never two stores in flight (at most $overlap): $(grep -E 'QUEUED|STORE' "$MLOG")"

# ---- zstor refusing every store from the stop on: each of the 16 files, rewritten while
# wait-hooks runs, fails at every try of the drain (retries after 1 s, 2 s, ...), but the log
# gets at most one failure line a second, which counts the ones it did not print. zstor is back
# once a line has counted them and the failures outnumber the lines by 12, however slow a
# loaded machine makes each try (a window of fixed length showed the limit only when the tries
# were fast enough)
limit_shown() {
	has_line 'more failures since the last message\)$' "$T/wh2.out" &&
		[ "$(grep -c 'INJECTED store failure' "$MLOG")" -ge $(($(count_lines '^wait_hooks: upload failed' "$T/wh2.out") + 12)) ]
}
refuse_stores() {
	for f in "${files[@]}"; do bytes 3000 >"$f"; done
	knobs 'fail=*'
	refused_at=$(date +%s)
	(wait_until 50 limit_shown; date +%s >"$T/refused_until"; knobs) &
}
start_and_drain "$T/wh2.out" 0 refuse_stores
same_remote "${files[@]}" || fail "not every file has its new remote copy"
n=$(count_lines '^wait_hooks: upload failed' "$T/wh2.out")
injected=$(grep -c 'INJECTED store failure' "$MLOG")
[ "$injected" -ge $((n + 8)) ] || fail "too few failures ($injected) to show the limit of $n lines"
window=$(($(cat "$T/refused_until") - refused_at))
[ "$n" -ge 1 ] && [ "$n" -le $((window + 2)) ] || fail "$n failure lines in $window s: $(cat "$T/wh2.out")"
assert_line '^wait_hooks: upload failed, retrying in [0-9]+ s: .* \(and [0-9]+ more failures since the last message\)$' "$T/wh2.out"

# ---- a store queued behind another is not killed for the time it waited: 0.6 s per store
# and QSFS_STORE_TIMEOUT=1: the second store in flight answers 1.2 s after it started
knobs store_delay_ms=600
for f in "$D/d0" "$D/d1" "$D/d3"; do bytes 3000 >"$f"; done
QSFS_STORE_TIMEOUT=1 start_and_drain "$T/wh3.out" 0
same_remote "$D/d0" "$D/d1" "$D/d3" || fail "the slow stores did not land"
assert_no_line 'no answer in' "$T/wh3.out"
# the verdict counts what this wait-hooks uploaded, the resume's uploads at its start included
assert_line '^wait_hooks: drain done: every file has a verified remote copy \(3 files, 9000 bytes uploaded since wait-hooks started\)$' "$T/wh3.out"

# ---- a store cut by the drain's deadline (1 s, a store takes 5): the list of files left says
# how long it had, in ms when the deadline left it less than whole seconds (never "0 s")
knobs store_delay_ms=5000
rewrite_d4() { bytes 3000 >"$D/d4"; }
QSFS_DRAIN_TIMEOUT=1 start_and_drain "$T/wh4.out" 1 rewrite_d4
assert_line "^wait_hooks:   $D/d4 \\(zstor store: no answer in ([0-9]+ ms|1 s), killed, 1 attempts\\)$" "$T/wh4.out"

# ---- a stop during the resume of a wait-hooks that zinit restarted while zdb ran on (a crash,
# `zinit restart wait_hooks`): what zdb wrote meanwhile is drained too, not left for the next
# start. A store takes 1 s, so the resume of the files rewritten here lasts several seconds
knobs store_delay_ms=1000
for k in 0 1 2 3 4 5; do bytes 3000 >"$D/d$k"; done
"$ZINIT" wait-hooks >"$T/wh5.out" 2>&1 &
wh=$!
wait_line '^wait_hooks: resume 0/[0-9]+ files' "$T/wh5.out" 60
bytes 3000 >"$D/d9" # zdb rolled over to d9, and appended to i0
bytes 3000 >>"$I/i0"
kill -TERM "$wh"
wait_until 60 eval "! kill -0 $wh 2>/dev/null" || fail "wait-hooks did not exit: $(cat "$T/wh5.out")"
wait "$wh"
assert_eq "$?" 0 "wait-hooks' exit status ($T/wh5.out)"
same_remote "$D/d0" "$D/d5" "$D/d9" "$I/i0" || fail "what zdb wrote during the resume has no remote copy"
assert_line '^wait_hooks: stopped before zdb was allowed to start: draining' "$T/wh5.out"
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$T/wh5.out"

# ---- a stop during a resume that then gives up at its deadline (zstor refusing every store
# until the resume has given up): the stop's drain still runs, with a deadline of its own
knobs 'fail=*'
for k in 0 1; do bytes 3000 >"$D/d$k"; done
QSFS_DRAIN_TIMEOUT=10 "$ZINIT" wait-hooks >"$T/wh6.out" 2>&1 &
wh=$!
wait_line '^wait_hooks: resume 0/[0-9]+ files' "$T/wh6.out" 60
kill -TERM "$wh"
wait_line '^wait_hooks: resume gave up at its deadline' "$T/wh6.out" 60
knobs # zstor is back
wait_until 60 eval "! kill -0 $wh 2>/dev/null" || fail "wait-hooks did not exit: $(cat "$T/wh6.out")"
wait "$wh"
assert_eq "$?" 0 "wait-hooks' exit status ($T/wh6.out)"
same_remote "$D/d0" "$D/d1" || fail "the stop's drain did not run after the resume gave up"
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$T/wh6.out"

# ---- wait-hooks restarted while zdb runs on (zdb holds index/.lockfile; d0 is its live file,
# written all the time): the resume leaves the live files to the stop's drain, which runs once
# zdb is gone. A resume that swept them could never verify d0, and gave up at its deadline
# without ever letting zdb's hooks be uploaded
(exec 9>"$H/index/.lockfile" && flock -x 9 && exec sleep 600) & # zdb's lock, held until killed
locker=$!
wait_until 10 eval 'grep -q " FLOCK .*:$(stat -c %i "$H/index/.lockfile" 2>/dev/null) " /proc/locks' ||
	fail "zdb's lock was not taken"
(while :; do bytes 100 >>"$D/d0"; sleep 0.05; done) &
writer=$!
knobs store_delay_ms=300 # d0 always changes between its hash and zstor's check
QSFS_DRAIN_TIMEOUT=5 "$ZINIT" wait-hooks >"$T/wh7.out" 2>&1 &
wh=$!
wait_line '^wait_hooks: ready: zdb may start' "$T/wh7.out" 60
assert_line "^wait_hooks: zdb is running \\($H/index/\\.lockfile is locked\\)" "$T/wh7.out"
assert_no_line 'gave up' "$T/wh7.out"
kill "$writer" "$locker"
wait "$writer" "$locker" 2>/dev/null
kill -TERM "$wh"
wait_until 60 eval "! kill -0 $wh 2>/dev/null" || fail "wait-hooks did not exit: $(cat "$T/wh7.out")"
wait "$wh"
assert_eq "$?" 0 "wait-hooks' exit status ($T/wh7.out)"
same_remote "$D/d0" || fail "zdb's live file has no copy after the stop's drain"

# ---- while zdb runs, a zstor check has QSFS_STORE_TIMEOUT of its own, whatever its store
# took: a 3 s store and a 3 s check with a 5 s timeout (the check got what the store had left,
# was killed, and the file was stored again and again)
knobs store_delay_ms=3000 check_delay_ms=3000
QSFS_STORE_TIMEOUT=5 "$ZINIT" wait-hooks >"$T/wh8.out" 2>&1 &
wh=$!
wait_line '^wait_hooks: ready: zdb may start' "$T/wh8.out" 60
bytes 3000 >"$D/d8"
"$HOOK" jump-data tcp://:::9900 "$D/d8" "$D/d10" || fail "jump-data hook"
wait_until 30 grep -q " $D/d8\$" "$H/state/manifest" ||
	fail "d8 was not verified while running: $(cat "$T/wh8.out")"
same_remote "$D/d8" || fail "d8's remote copy differs"
assert_no_line 'no answer' "$T/wh8.out"
kill -TERM "$wh"
wait_until 60 eval "! kill -0 $wh 2>/dev/null" || fail "wait-hooks did not exit: $(cat "$T/wh8.out")"
wait "$wh"
assert_eq "$?" 0 "wait-hooks' exit status ($T/wh8.out)"
