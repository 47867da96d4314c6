# Leftovers are signalled as a whole tree: a leftover's own children also get SIGTERM before the
# SIGKILL (as PID 1 kill(-1) reaches them; as a subreaper zinit must find them in its subtree,
# not only among its direct children). Runs ~2.2 s: the leftover grace itself is 2 s.
. "$(dirname "$0")/lib.sh"

# l1 survives SIGTERM (a handler, so its child does not inherit SIG_IGN); its child c1 records
# SIGTERM. l2 dies on SIGTERM; its child c2 (re-parented to zinit then) records SIGTERM.
cat >"$T/svc.sh" <<'SH'
T=$1
setsid sh -c 'trap ":" TERM
sh -c "trap \"touch $1/c1.term; exit 0\" TERM; touch $1/c1.up; while :; do sleep 0.05; done" &
while :; do sleep 0.05; done' "zinit-tree-$T" "$T" &
setsid sh -c 'sh -c "trap \"touch $1/c2.term; exit 0\" TERM; touch $1/c2.up; while :; do sleep 0.05; done" &
wait' "zinit-tree-$T" "$T" &
exec sleep 1000
SH
unit svc <<YAML
exec: sh $T/svc.sh $T
YAML

start_zinit
wait_file "$T/c1.up"
wait_file "$T/c2.up"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
assert_line '^zinit: INFO sending SIGTERM to [0-9]+ leftover processes; SIGKILL in 2000ms$'
assert_line '^zinit: WARN [0-9]+ leftover processes still running: SIGKILL$'
test -e "$T/c1.term" || fail "c1, child of a leftover that survives SIGTERM, never got SIGTERM"
test -e "$T/c2.term" || fail "c2, child of a leftover that died on SIGTERM, never got SIGTERM"
! pgrep -f "zinit-tree-$T" >/dev/null || fail "a leftover survived zinit"
