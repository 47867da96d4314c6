# A service whose test is still running when the drain starts: the test process dies with the
# service and is not mistaken for a leftover (no "leftover" lines, no 2 s grace), and the drain
# completes promptly with exit 0.
. "$(dirname "$0")/lib.sh"

unit svc <<YAML
exec: sleep 1000
test: sh -c "touch $T/test.ran; exec sleep 1000" zinit-testproc-$T
YAML

start_zinit
wait_file "$T/test.ran"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
assert_line '^zinit: INFO svc stopped: killed by SIGTERM'
assert_line '^zinit: INFO all services are down after'
assert_no_line 'leftover'
secs=$(sed -nE 's/^zinit: INFO drain complete in ([0-9]+\.[0-9]{2})s: exiting with status 0$/\1/p' "$T/out")
[ -n "$secs" ] || fail "no drain complete line"
awk -v s="$secs" 'BEGIN { exit !(s < 1.9) }' || fail "drain took ${secs}s (a 2 s leftover grace?)"
! pgrep -f "zinit-testproc-$T" >/dev/null || fail "the test process outlived its service"
