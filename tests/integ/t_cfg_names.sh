# A unit file whose name is not valid UTF-8 is refused with one ERROR line naming it (its name
# could not be shown by list, status or the JSON API); the others start, and `list` works.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C # the file name holds a byte that is not UTF-8: match bytes

unit good <<YAML
exec: sleep 1000
YAML
printf 'exec: sleep 1000\n' >"$D/$(printf 'bad\377').yaml"
start_zinit
wait_line '^zinit: INFO good started'
assert_line '^zinit: ERROR .*/units/bad.*\.yaml: the unit name is not valid UTF-8$'
assert_eq "$(count_lines 'not valid UTF-8')" 1 "ERROR lines for the bad name"
assert_eq "$(zctl list)" "$(printf -- '---\ngood: Running')" "list"
zctl monitor "$(printf 'bad\377')" 2>"$T/mon.err" && fail "monitor of a non-UTF-8 name succeeded"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
