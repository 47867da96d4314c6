# Unit loading (ZINIT-COMPAT §8 cases 1-6): which files load, one ERROR FILE:LINE:COL line per bad
# unit while the others start, unknown keys warned with key and line, type checks, and an
# unspawnable `exec: 123` that fails once and is not respawned. Deviations from zinit asserted here:
# a symlinked unit file loads (zinit skips it) and `log: null` is accepted as none (zinit rejects it).
. "$(dirname "$0")/lib.sh"

# svc NAME [EXTRA YAML]: a unit that records that it ran, then sleeps.
svc() {
	unit "$1" <<YAML
exec: sh -c "touch $T/$1.ran; exec sleep 1000"
${2:-}
YAML
}
svc a
svc .hidden
# b.yml: wrong extension, ignored
cat >"$D/b.yml" <<YAML
exec: sh -c "touch $T/b.ran; exec sleep 1000"
YAML
# c.yaml: a symlink to a unit file elsewhere; loads under the link's name (deviation from zinit)
mkdir -p "$T/elsewhere"
cat >"$T/elsewhere/target.yaml" <<YAML
exec: sh -c "touch $T/c.ran; exec sleep 1000"
YAML
ln -s "$T/elsewhere/target.yaml" "$D/c.yaml"
# unknown keys on lines 2 and 3: warned, the unit still starts
unit unk <<YAML
exec: sh -c "touch $T/unk.ran; exec sleep 1000"
foo: bar
name: x
YAML
# log: null is accepted as none (deviation from zinit); its output goes nowhere
unit lognull <<YAML
exec: sh -c "echo lognull-out; echo lognull-err >&2; touch $T/lognull.ran; exec sleep 1000"
log: null
YAML
unit lognone <<YAML
exec: sh -c "echo lognone-out; echo lognone-err >&2; touch $T/lognone.ran; exec sleep 1000"
log: none
YAML
# a full signal name in any case is accepted
svc sigusr "signal: {stop: sigusr1}"
# rejected units: none of them may run
unit bad <<YAML
test: sh -c "touch $T/bad.ran"
YAML
svc sigshort "signal: {stop: TERM}"
svc osyes "oneshot: yes"
svc negtimeout "shutdown_timeout: -1"
cat >"$D/syntax.yaml" <<YAML
exec: [sh, -c, "touch $T/syntax.ran"
log: stdout
YAML
# loads, then cannot be spawned
unit num <<YAML
exec: 123
YAML

start_zinit
wait_line '^zinit: INFO [0-9]+ units loaded from '
for u in a .hidden c unk lognull lognone sigusr; do
	wait_file "$T/$u.ran"
	wait_line "^zinit: INFO $u started \\(pid [0-9]+\\)\$"
done
wait_line '^zinit: ERROR num failed to start: exec 123: No such file or directory$'

# the load summary names exactly the loaded units
list=$(sed -n 's/^zinit: INFO \([0-9]*\) units loaded from .*; start order: //p' "$T/out" |
	tr -d ' ' | tr ',' '\n' | sort | tr '\n' ' ')
assert_eq "$list" ".hidden a c lognone lognull num sigusr unk " "units in the start order"
assert_line "^zinit: INFO 8 units loaded from $D; start order: "
assert_no_line '^zinit: INFO b started'
assert_no_line 'b\.yml'

# one ERROR FILE:LINE:COL line per rejected unit, naming the file and the faulty key
err_line() { # FILE LINE:COL REGEX
	assert_eq "$(count_lines "^zinit: ERROR $D/$1:")" 1 "ERROR lines for $1"
	assert_line "^zinit: ERROR $D/$1:$2: .*$3"
}
err_line bad.yaml 1:1 'missing exec'
err_line sigshort.yaml '2:[0-9]+' 'signal\.stop'
err_line osyes.yaml 2:10 'oneshot'
err_line negtimeout.yaml 2:19 'shutdown_timeout'
err_line syntax.yaml '[0-9]+:[0-9]+' 'YAML syntax error'
assert_eq "$(count_lines '^zinit: ERROR ')" 6 "ERROR lines (5 rejected units + num's spawn failure)"

# unknown keys: one WARN each with the key and its line; the unit was still started (above)
assert_line "^zinit: WARN $D/unk.yaml:2:1: unknown key \"foo\" ignored\$"
assert_line "^zinit: WARN $D/unk.yaml:3:1: unknown key \"name\" ignored\$"
assert_eq "$(count_lines '^zinit: WARN ')" 2 "WARN lines"

# exec: 123 is not retried: a restart would come 2 s after the failure
num_retried() {
	[ "$(count_lines '^zinit: ERROR num failed to start')" -gt 1 ] || has_line '^zinit: INFO num (started|exited)'
}
absent_for 3 "num's spawn failure was retried" num_retried
assert_eq "$(count_lines '^zinit: ERROR num failed to start')" 1 "spawn attempts of num"
assert_no_line '^zinit: INFO num (started|exited)'
for u in b bad sigshort osyes negtimeout syntax; do
	[ ! -e "$T/$u.ran" ] || fail "rejected unit $u ran"
	assert_no_line "^zinit: INFO $u started"
done
# log: null and log: none: nothing of theirs on zinit's stdout or stderr
assert_no_line 'lognull-|lognone-'
assert_no_line 'lognull-|lognone-' "$T/err"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
assert_line '^zinit: INFO stopping sigusr: SIGUSR1 to process group [0-9]+ '
assert_line '^zinit: INFO sigusr stopped: killed by SIGUSR1'
assert_line '^zinit: INFO stopping c: SIGTERM '
assert_no_line '^zinit: INFO stopping num'
