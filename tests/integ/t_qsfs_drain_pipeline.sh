# The drain's uploads in flight (issue 9, drain overhead): the next file's `zstor store` is
# queued while one is stored and checks run behind the stores, yet every data file is stored
# before any index file and every index file before a descriptor; a check that fails for one
# file is retried without holding back the others, and every file ends verified. With zstor
# refusing every store for a while, failures are printed at most once a second, counted; a
# store queued behind another has its own timeout after the other's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"
monitor_start
export QSFS_CLOSING_GRACE_MS=0 # no namespace-closing jobs to wait for: no zdb here

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

# ---- a store queued behind another is not killed for the time it waited: 2 s per store
# and QSFS_STORE_TIMEOUT=3: the second store in flight answers 4 s after it started (each call
# still has a second of margin for a slow start of the zstor CLI)
knobs store_delay_ms=2000
for f in "$D/d0" "$D/d1" "$D/d3"; do bytes 3000 >"$f"; done
QSFS_STORE_TIMEOUT=3 start_and_drain "$T/wh3.out" 0
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
