# argv[0] is looked up in the PATH the child gets (the unit's env over zinit's), as zinit (Rust Command) does.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/bin"
printf '#!/bin/sh\necho "ran from $0"\n' >"$T/bin/procpathprog"
chmod +x "$T/bin/procpathprog"
command -v procpathprog >/dev/null && fail "precondition: procpathprog is already in zinit's PATH"

# found through the unit's PATH, which is not zinit's
unit viaenv <<YAML
exec: procpathprog
oneshot: true
log: stdout
env:
  PATH: $T/bin:/usr/bin:/bin
YAML
# a name found in zinit's own PATH still works when the unit does not touch PATH
unit plain <<YAML
exec: printf 'plain-ran\n'
oneshot: true
log: stdout
YAML
start_zinit
wait_line '^zinit: INFO oneshot plain succeeded'
assert_line '^\[\+\] plain: plain-ran$'
wait_line '^zinit: (INFO oneshot viaenv succeeded|ERROR viaenv failed to start)'
assert_no_line '^zinit: ERROR viaenv failed to start'
assert_line "^\\[\\+\\] viaenv: ran from $T/bin/procpathprog\$"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
