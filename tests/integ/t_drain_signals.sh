# Drain triggers with --container: SIGTERM, SIGINT and SIGHUP each start the drain (logged with the
# signal's name), the service gets its stop signal, and zinit exits 0.
. "$(dirname "$0")/lib.sh"

unit svc <<YAML
exec: sh -c "trap 'touch $T/svc.term; exit 0' TERM; touch $T/svc.up; while :; do sleep 0.05; done"
log: stdout
YAML

for sig in TERM INT HUP; do
	rm -f "$T/svc.up" "$T/svc.term"
	start_zinit
	wait_line '^zinit: INFO svc started \(pid [0-9]+\)$'
	wait_file "$T/svc.up"
	stop_zinit "$sig"
	assert_eq "$STATUS" 0 "exit status after SIG$sig"
	assert_line "^zinit: INFO shutting down \(SIG$sig\): stopping services in reverse dependency order$"
	assert_eq "$(count_lines '^zinit: INFO shutting down')" 1 "shutting down lines after SIG$sig"
	test -e "$T/svc.term" || fail "svc did not receive SIGTERM after SIG$sig"
	assert_line '^zinit: INFO stopping svc: SIGTERM to process group [0-9]+ \(timeout 10s\)$'
	assert_line '^zinit: INFO svc stopped: exit status 0, [0-9]+\.[0-9]{2}s after SIGTERM$'
	assert_line '^zinit: INFO drain complete in [0-9]+\.[0-9]{2}s: exiting with status 0$'
done
