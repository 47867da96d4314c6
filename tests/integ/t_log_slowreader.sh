# A slow reader of zinit's stdout (a FIFO drained at a few MB/s, so zinit's output stays congested
# and it keeps pausing its reads of the services' pipes): a service that writes ~4 MB when it gets
# SIGTERM and then exits, during the drain, still has every line on stdout, the last one (without
# a newline) included, and zinit exits 0. No line may be dropped at exit.
. "$(dirname "$0")/lib.sh"

RPID=
trap '[ -n "$RPID" ] && kill "$RPID" 2>/dev/null; cleanup' EXIT

unit burst <<YAML
exec: sh -c "trap 'seq -f \"burst %06g xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" 1 60000; printf the-end; exit 0' TERM; touch $T/up; while :; do sleep 0.05; done"
log: stdout
shutdown_timeout: 300
YAML

mkfifo "$T/fifo"
# the reader: 16 KiB at a time, 4 ms apart
python3 -c '
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
with open(sys.argv[2], "wb") as out:
    while True:
        b = os.read(fd, 16384)
        if not b:
            break
        out.write(b)
        out.flush()
        time.sleep(0.004)
' "$T/fifo" "$T/out" &
RPID=$!
ZINIT_STDOUT=$T/fifo start_zinit
wait_file "$T/up"
kill -TERM "$ZPID"
wait_exit 60
assert_eq "$STATUS" 0 "exit status"
wait_until 10 eval '! kill -0 $RPID 2>/dev/null' || fail "the reader never saw EOF"
RPID=

assert_line '^zinit: INFO burst stopped: exit status 0'
assert_line '^zinit: INFO drain complete in [0-9.]+s: exiting with status 0$'
bad=$(grep -a -v '^zinit: ' "$T/out" |
	grep -a -c -v -E '^\[\+\] burst: (burst [0-9]{6} x{50}|the-end)$')
assert_eq "$bad" 0 "mangled or foreign lines"
grep -a '^\[+\] burst: burst ' "$T/out" | cut -d' ' -f4 >"$T/burst.seq"
assert_eq "$(wc -l <"$T/burst.seq" | tr -d ' ')" 60000 "lines of burst on stdout"
seq -f '%06g' 1 60000 | cmp -s - "$T/burst.seq" || fail "burst's lines missing, repeated or reordered"
assert_line '^\[\+\] burst: the-end$'
