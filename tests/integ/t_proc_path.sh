# argv[0] is looked up in the PATH the child gets (the unit's env over zinit's), as zinit (Rust Command) does;
# relative names are taken from the unit's dir; a PATH entry that is not executable is skipped, as execvp.
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
# a relative program and a relative PATH entry are found in the unit's dir, not zinit's
mkdir -p "$T/wd/sub" "$T/shadow"
printf '#!/bin/sh\necho "relative ran in $(pwd)"\n' >"$T/wd/relprog"
printf '#!/bin/sh\necho "subpath ran"\n' >"$T/wd/sub/subprog"
chmod +x "$T/wd/relprog" "$T/wd/sub/subprog"
unit rel <<YAML
exec: ./relprog
dir: $T/wd
oneshot: true
log: stdout
YAML
unit relpath <<YAML
exec: subprog
dir: $T/wd
oneshot: true
log: stdout
env:
  PATH: sub:/usr/bin:/bin
YAML
# the first PATH match is not executable: the next one runs (execvp skips EACCES)
printf '#!/bin/sh\necho "shadow ran"\n' >"$T/shadow/procpathprog"
chmod -x "$T/shadow/procpathprog"
unit skip <<YAML
exec: procpathprog
oneshot: true
log: stdout
env:
  PATH: $T/shadow:$T/bin:/usr/bin:/bin
YAML
# only a non-executable match: Permission denied, as execvp reports it
unit denied <<YAML
exec: procpathprog
oneshot: true
env:
  PATH: $T/shadow:/usr/bin:/bin
YAML
start_zinit
wait_line "^\\[\\+\\] rel: relative ran in $T/wd\$"
wait_line '^\[\+\] relpath: subpath ran$'
wait_line "^\\[\\+\\] skip: ran from $T/bin/procpathprog\$"
assert_no_line '^\[\+\] skip: shadow ran'
wait_line '^zinit: ERROR denied failed to start: exec procpathprog: Permission denied$'
wait_line '^zinit: INFO oneshot plain succeeded'
assert_line '^\[\+\] plain: plain-ran$'
wait_line '^zinit: (INFO oneshot viaenv succeeded|ERROR viaenv failed to start)'
assert_no_line '^zinit: ERROR viaenv failed to start'
assert_line "^\\[\\+\\] viaenv: ran from $T/bin/procpathprog\$"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
