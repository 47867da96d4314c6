# The socket file: parent directory created, mode 0600, other uids refused (file mode and peer credentials), a second init refuses a live socket (deviation from zinit: it steals it), a stale socket is replaced, the file is removed at exit.
. "$(dirname "$0")/lib.sh"

answers() { sc "$S" 's:list\n' eof 2>/dev/null | grep -q '"a":"Running"'; }
clean_exit() { ! grep -q -E 'Sanitizer|runtime error:' "$T/err2" || fail "sanitizer report from $1: $(cat "$T/err2")"; }
# Checks of behaviour believed broken are collected, so that the rest of the file still runs.
LATER=
later() {
	echo "FAIL (deferred): $*" >&2
	LATER="$LATER; $*"
}

unit a <<YAML
exec: sleep 1000
YAML

# 1. the parent directories do not exist: zinit creates them
S=$T/sub/dir/zinit.sock
start_zinit
wait_until 10 answers || fail "no answer on $S"
[ -S "$S" ] || fail "$S is not a socket"
assert_eq "$(stat -c '%a %u' "$S")" "600 0" "socket mode and owner"
[ -d "$T/sub/dir" ] || fail "parent directory not created"

# 2. a second init on the live socket refuses with status 2, naming the path, and starts
# nothing (its own config dir has a unit that would leave a trace); the first still answers
mkdir -p "$T/units2"
cat >"$T/units2/second.yaml" <<YAML
exec: touch $T/second.started
oneshot: true
YAML
st=0
timeout $((10 * SCALE)) "$ZINIT" -s "$S" init -c "$T/units2" --container >"$T/out2" 2>"$T/err2" </dev/null || st=$?
[ "$st" = 2 ] || later "second init's exit status: expected 2, got $st"
clean_exit "the second init"
grep -qxF "zinit: another zinit is already running: it answers on $S" "$T/err2" ||
	fail "second init's message: $(cat "$T/out2" "$T/err2")"
[ ! -e "$T/second.started" ] || fail "the second init started a service"
[ -S "$S" ] || fail "the second init removed the live socket"
answers || fail "the first zinit no longer answers after a second init"
# the other socket errors: status 2 and one line naming the path, nothing started
long=$T/$(printf 'x%.0s' $(seq 1 110))/zinit.sock
st=0
timeout $((10 * SCALE)) "$ZINIT" -s "$long" init -c "$T/units2" --container >"$T/out2" 2>"$T/err2" </dev/null || st=$?
[ "$st" = 2 ] || later "init with a socket path too long: exit status $st, expected 2"
clean_exit "an init with a socket path too long"
grep -qF "$long" "$T/err2" || fail "init with a socket path too long: $(cat "$T/err2")"
echo data >"$T/notasocket"
st=0
timeout $((10 * SCALE)) "$ZINIT" -s "$T/notasocket" init -c "$T/units2" --container >"$T/out2" 2>"$T/err2" </dev/null || st=$?
[ "$st" = 2 ] || later "init with a regular file at the socket path: exit status $st, expected 2"
clean_exit "an init with a regular file at the socket path"
grep -qF "$T/notasocket" "$T/err2" || fail "init with a regular file at the socket path: $(cat "$T/err2")"
assert_eq "$(cat "$T/notasocket")" data "the regular file at the socket path"
[ ! -e "$T/second.started" ] || fail "an init that could not listen started a service"

# 3. another uid: refused by the file mode (connect: EACCES) ...
cp "$(dirname "$0")/sockclient.py" "$T/sockclient.py"
chmod 755 "$T/sockclient.py"
chmod 711 "$T" "$T/sub" "$T/sub/dir"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
st=0
$NOBODY "$PY" "$T/sockclient.py" -t $((5 * SCALE)) "$S" 's:list\n' eof >"$T/nobody.out" 2>"$T/nobody.err" || st=$?
assert_eq "$st" 2 "connect as uid 65534 (stderr: $(cat "$T/nobody.err"))"
grep -q 'Permission denied' "$T/nobody.err" || fail "uid 65534: $(cat "$T/nobody.err")"
# ... and, past the file mode (CAP_DAC_OVERRIDE), by the peer-credential check: no answer
st=0
$NOBODY --inh-caps=+dac_override --ambient-caps=+dac_override "$PY" "$T/sockclient.py" -t $((5 * SCALE)) "$S" 's:list\n' eof \
	>"$T/nobody.out" 2>"$T/nobody.err" || st=$?
[ ! -s "$T/nobody.out" ] || fail "uid 65534 got an answer: $(cat "$T/nobody.out")"
[ "$st" = 0 ] || [ "$st" = 5 ] || fail "uid 65534 past the file mode: status $st, $(cat "$T/nobody.err")"
wait_line '^zinit: WARN control client with another uid refused'
answers || fail "root is no longer answered"

# 4. the socket file is removed when zinit exits
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
[ ! -e "$S" ] || fail "socket file left after exit"

# 5. a stale socket (bound, then closed without unlinking, as by a killed process) is replaced
sc stale "$S"
[ -S "$S" ] || fail "could not make a stale socket"
start_zinit
wait_until 10 answers || fail "zinit did not take over the stale socket: $(cat "$T/err")"
assert_eq "$(stat -c '%a' "$S")" "600" "mode of the replaced socket"
! grep -q 'another zinit' "$T/err" || fail "stale socket taken for a live one: $(cat "$T/err")"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status after the stale socket"
[ ! -e "$S" ] || fail "socket file left after the second exit"
[ -z "$LATER" ] || fail "deferred failures:$LATER"
