# Unit names zinit refuses, each with one ERROR line naming the file (control bytes escaped):
# not valid UTF-8 (list, status and JSON could not show it), control characters (ESC would reach
# the terminal raw), "." and ".." (from `..yaml` and `...yaml`). Entries named *.yaml that are
# not regular files (a directory, a FIFO, a dangling or looping symlink) get a WARN each. The
# other units start, and `list` works.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C # the file name holds a byte that is not UTF-8: match bytes

unit good <<YAML
exec: sleep 1000
YAML
printf 'exec: sleep 1000\n' >"$D/$(printf 'bad\377').yaml"
printf 'exec: sleep 1000\n' >"$D/$(printf 'esc\033[31mred').yaml"
printf 'exec: sleep 1000\n' >"$D/..yaml"
printf 'exec: sleep 1000\n' >"$D/...yaml"
mkdir "$D/dir.yaml"
mkfifo "$D/fifo.yaml"
ln -s "$D/nowhere" "$D/dangling.yaml"
ln -s "$D/loop.yaml" "$D/loop.yaml"
start_zinit
wait_line '^zinit: INFO good started'
wait_line 'loop\.yaml: skipped'
assert_line '^zinit: ERROR .*/units/bad\\xff\.yaml: the unit name is not valid UTF-8$'
assert_line '^zinit: ERROR .*/units/esc\\x1b\[31mred\.yaml: the unit name contains control characters$'
assert_line '^zinit: ERROR .*/units/\.\.yaml: the unit name is \. or \.\.$'
assert_line '^zinit: ERROR .*/units/\.\.\.yaml: the unit name is \. or \.\.$'
assert_line '^zinit: WARN .*/units/dir\.yaml: skipped: not a regular file$'
assert_line '^zinit: WARN .*/units/fifo\.yaml: skipped: not a regular file$'
assert_line '^zinit: WARN .*/units/dangling\.yaml: skipped: No such file or directory$'
assert_line '^zinit: WARN .*/units/loop\.yaml: skipped: Too many levels of symbolic links$'
assert_eq "$(count_lines 'not valid UTF-8')" 1 "ERROR lines for the bad name"
grep -q "$(printf '\033')" "$T/out" "$T/err" && fail "an ESC byte reached zinit's output"
assert_eq "$(zctl list)" "$(printf -- '---\ngood: Running')" "list"
zctl monitor "$(printf 'bad\377')" 2>"$T/mon.err" && fail "monitor of a non-UTF-8 name succeeded"
zctl monitor fifo 2>"$T/mon.err" && fail "monitor of a FIFO succeeded" # and did not block zinit
wait_line '^zinit: ERROR .*/units/fifo\.yaml: not a regular file$'
assert_eq "$(zctl list)" "$(printf -- '---\ngood: Running')" "list after monitor fifo"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
