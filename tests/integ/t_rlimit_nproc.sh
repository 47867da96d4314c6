# SPDX-License-Identifier: MIT
# A fork bomb inside a service reaches RLIMIT_NPROC (issue 11): the service runs as nobody
# with a limit of 30 processes (root is exempt from RLIMIT_NPROC, so the limit is on the
# service's user) and forks sleeps until fork fails; its shell dies on the failure and zinit
# restarts it with its backoff, not in a loop. Meanwhile zinit answers `list`, reaps and
# restarts another service, and on SIGTERM still stops everything and exits. Runs ~15 s.
. "$(dirname "$0")/lib.sh"
command -v setpriv >/dev/null && command -v prlimit >/dev/null || { echo "skip: no setpriv/prlimit"; exit 0; }

unit bomb <<YAML
exec: prlimit --nproc=30 -- setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "echo forking; while :; do sleep 1000 & done"
log: stdout
YAML
unit other <<YAML
exec: sh -c "echo \$\$ >$T/other.pid; exec sleep 1000"
after: [bomb]
YAML
start_zinit
wait_line '^\[-\] bomb: .*[Cc]annot fork' "$T/err" 30
wait_line '^zinit: INFO bomb exited: exit status [0-9]+; restarting in' "$T/out" 30
still_supervises other "$T/other.pid"
paced_restarts bomb
stop_zinit TERM
# 1 if the bomb was waiting for its restart when the shutdown began (docs/BEHAVIOUR.md)
[ "$STATUS" = 0 ] || [ "$STATUS" = 1 ] || fail "exit status $STATUS"
assert_line '^zinit: INFO other stopped'
