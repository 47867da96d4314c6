# `zinit qsfs status` (control method qsfs_status): PID 1 shows wait_hooks' status.json, found
# through the wait_hooks unit's QSFS_STATE_DIR, with the unit's state; without the file it says
# why and exits 1 (a FIFO there is refused without blocking); --json gives the object; a wrong
# operand exits 2.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/state"
unit wait_hooks <<YAML
exec: sleep 1000
env:
  QSFS_STATE_DIR: $T/state
YAML
start_zinit
wait_line '^zinit: INFO wait_hooks started'

zctl qsfs status >"$T/st.out" 2>"$T/st.err" && fail "qsfs status succeeded without a status file"
assert_eq "$(cat "$T/st.err")" "zinit: no QSFS status (wait_hooks Running): cannot read $T/state/status.json: No such file or directory" "message without a file"

# a FIFO as status.json: refused at once (a blocking open hung PID 1's loop: list too)
mkfifo "$T/state/status.json"
timeout 10 "$ZINIT" -s "$S" qsfs status >"$T/st.out" 2>"$T/st.err"
assert_eq "$?" 1 "exit status of qsfs status on a FIFO (124: it hung)"
assert_eq "$(cat "$T/st.err")" "zinit: no QSFS status (wait_hooks Running): cannot read $T/state/status.json: not a regular file" "message on a FIFO"
assert_eq "$(timeout 10 "$ZINIT" -s "$S" list)" "$(printf -- '---\nwait_hooks: Running')" "list after qsfs status on a FIFO"
rm "$T/state/status.json"

now=$(date +%s)
cat >"$T/state/status.json" <<JSON
{"version":1,"pid":42,"phase":"running","updated":$now.5,"pending":3,"failed":1,
 "last_error":"zstor store /data/data/zdbfs-data/d1: exit status 1","last_upload":
 {"key":"/data/index/zdbfs-data/i3","time":$now.0},"uploads":12,"bytes_uploaded":36175872,
 "restored":0,"drain":null}
JSON
zctl qsfs status >"$T/st.out" 2>"$T/st.err" || fail "qsfs status failed: $(cat "$T/st.err")"
grep -q '^wait_hooks:      Running$' "$T/st.out" || fail "no wait_hooks line: $(cat "$T/st.out")"
grep -q '^phase:           running (updated [0-9]*s ago, pid 42)$' "$T/st.out" || fail "phase line: $(cat "$T/st.out")"
grep -q '^pending uploads: 3$' "$T/st.out" || fail "pending line"
grep -q '^failed:          1; last error: zstor store /data/data/zdbfs-data/d1: exit status 1$' "$T/st.out" || fail "failed line"
grep -q '^last upload:     /data/index/zdbfs-data/i3 ([0-9]*s ago)$' "$T/st.out" || fail "last upload line"
grep -q '^uploaded:        12 files, 34.5 MiB$' "$T/st.out" || fail "uploaded line"
grep -q "^state file:      $T/state/status.json$" "$T/st.out" || fail "state file line"
grep -q '^drain:' "$T/st.out" && fail "a drain line without a drain"

zctl --json qsfs status >"$T/st.json" || fail "--json failed"
python3 - "$T/st.json" <<'PY' || fail "--json: $(cat "$T/st.json")"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["pending"] == 3 and o["wait_hooks"] == "Running" and o["phase"] == "running", o
PY

# the drain's progress
sed -i 's/"drain":null/"drain":{"total":40,"done":12,"failed":3,"deadline":0}/' "$T/state/status.json"
zctl qsfs status | grep -q '^drain:           12/40 files, 3 failed$' || fail "no drain line"

zctl qsfs stats 2>"$T/u.err"
assert_eq "$?" 2 "exit status of a wrong operand"
grep -q 'qsfs takes one operand: status' "$T/u.err" || fail "usage message: $(cat "$T/u.err")"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
