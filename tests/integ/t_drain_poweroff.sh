# Without --container, SIGTERM/SIGINT/SIGHUP still start the drain (deviation from zinit, which
# ignores them there): services stop in reverse order, then as PID 1 zinit powers off
# (reboot(RB_POWER_OFF) in a PID namespace: the kernel kills it with SIGINT, the parent sees 130);
# as a subreaper it exits 0 after the drain.
. "$(dirname "$0")/lib.sh"

# start_zinit without --container (lib.sh's start_zinit always passes it), own socket.
start_zinit_nc() {
	if [ "$MODE" = pid1 ]; then
		unshare --pid --fork --mount-proc "$ZINIT" -s "$T/zinit.sock" init -c "$D" "$@" \
			>"$T/out" 2>"$T/err" </dev/null &
		UPID=$!
		wait_until 10 find_child >/dev/null || fail "zinit did not start under unshare"
		ZPID=$(find_child)
	else
		"$ZINIT" -s "$T/zinit.sock" init -c "$D" "$@" >"$T/out" 2>"$T/err" </dev/null &
		UPID=$!
		ZPID=$UPID
	fi
}

svc() { # name after
	unit "$1" <<YAML
exec: sh -c "trap 'echo $1 >> $T/stops; sleep 0.2; exit 0' TERM; touch $T/$1.up; while :; do sleep 0.05; done"
after: [$2]
YAML
}
svc db ""
svc api db
svc web api

for sig in TERM INT HUP; do
	rm -f "$T"/*.up "$T/stops"
	start_zinit_nc
	wait_file "$T/web.up"
	wait_line '^zinit: INFO web started'
	kill -"$sig" "$ZPID"
	wait_exit
	if [ "$MODE" = pid1 ]; then
		# reboot(RB_POWER_OFF) inside a PID namespace: init is killed by SIGINT (128 + 2)
		assert_eq "$STATUS" 130 "status of the namespace after SIG$sig"
	else
		assert_eq "$STATUS" 0 "exit status after SIG$sig"
	fi
	! kill -0 "$ZPID" 2>/dev/null || fail "zinit (pid $ZPID) still alive after SIG$sig"
	assert_line "^zinit: INFO shutting down \(SIG$sig\): stopping services"
	assert_eq "$(tr '\n' ' ' <"$T/stops" 2>/dev/null)" "web api db " "stop order after SIG$sig"
	assert_line '^zinit: INFO drain complete in [0-9]+\.[0-9]{2}s: exiting with status 0$'
	assert_no_line 'power off failed'
done
