# exec strings and the child's context (ZINIT-COMPAT §8 cases 7, 8, 39): shlex word splitting with
# no $ expansion by zinit, spawn failures (missing binary, bad dir) reported once with the errno
# text and never retried (unparsable commands: t_cfg_parse.sh), environment precedence (zinit's
# env < /etc/environment < unit env) and the working directory (dir, else /, not zinit's cwd).
. "$(dirname "$0")/lib.sh"

export HOME=$T/home ZA=from_zinit ZB=from_zinit ZC=from_zinit
mkdir -p "$HOME"

# the shell expands $HOME, zinit does not; "q" keeps its escaped quotes inside the double quotes
unit split <<'YAML'
exec: sh -c "echo 'a  b' $HOME; echo \"q\""
log: stdout
oneshot: true
YAML
# a word starting with # is a comment; $HOME reaches echo literally
unit hash <<'YAML'
exec: 'echo $HOME #c'
log: stdout
oneshot: true
YAML
# backslashes: a bare \ escapes the space; inside "..." \d stays \d and \" is a quote; a#b is literal
unit bslash <<'YAML'
exec: 'printf "<%s>" a\ b "c\d" "e\"f" g#h'
log: stdout
oneshot: true
YAML
unit missing <<'YAML'
exec: /nonexistent
YAML
unit baddir <<YAML
exec: sh -c "touch $T/baddir.ran"
dir: $T/no/such/dir
YAML
unit env <<YAML
exec: sh -c 'echo "A=\$ZA B=\$ZB C=\$ZC D=\$ZD Q=\$ZQ" > $T/env.tmp; pwd >> $T/env.tmp; mv $T/env.tmp $T/env.out'
env:
  ZC: from_unit
oneshot: true
YAML
unit tmpdir <<YAML
exec: sh -c 'pwd > $T/tmpdir.tmp; mv $T/tmpdir.tmp $T/tmpdir.out'
dir: /tmp
oneshot: true
YAML
# a relative dir is taken from the config dir, as by Rust zinit (it chdirs there), not from
# zinit's own working directory
mkdir "$D/sub"
unit reldir <<YAML
exec: sh -c 'pwd > $T/reldir.tmp; mv $T/reldir.tmp $T/reldir.out'
dir: sub
oneshot: true
YAML

etc_env=0
if [ "$MODE" = pid1 ]; then
	if [ -e /etc/environment ]; then
		# read by zinit itself: trimmed lines, # comments, split at the first =, value verbatim
		cat >"$T/environment" <<'EOF'
# ZD=from_comment
ZB=from_file
ZC=from_file
  ZD=from_file
ZQ="q"
EOF
		PRE_EXEC="mount --bind $T/environment /etc/environment"
		etc_env=1
	else
		echo "SKIP-PART: no /etc/environment"
	fi
fi

cd "$T" || fail "cd $T"
start_zinit
wait_line '^zinit: INFO oneshot split succeeded'
wait_line '^zinit: INFO oneshot hash succeeded'
wait_line '^zinit: INFO oneshot bslash succeeded'
wait_line '^zinit: ERROR missing failed to start: exec /nonexistent: No such file or directory$'
wait_line "^zinit: ERROR baddir failed to start: chdir $T/no/such/dir: No such file or directory\$"
wait_file "$T/env.out"
wait_file "$T/tmpdir.out"

# (a oneshot's exit and the end of its output are separate events: wait for the output)
wait_line "^\\[\\+\\] split: a  b $HOME\$"
wait_line '^\[\+\] split: q$'
wait_line '^\[\+\] hash: \$HOME$'
assert_eq "$(count_lines '^\[\+\] hash: ')" 1 "hash output lines"
wait_line '^\[\+\] bslash: <a b><c\\d><e"f><g#h>$'

# environment: the unit's env wins over /etc/environment, which wins over zinit's own
if [ "$etc_env" = 1 ]; then
	assert_eq "$(head -n 1 "$T/env.out")" 'A=from_zinit B=from_file C=from_unit D=from_file Q="q"' \
		"child environment (zinit env < /etc/environment < unit env)"
else
	# subreaper: /etc/environment is the host's; check zinit's env against the unit's only
	read -r a b c _ <"$T/env.out"
	assert_eq "$a $c" "A=from_zinit C=from_unit" "child environment (zinit env < unit env)"
	grep -q '^[[:space:]]*ZB=' /etc/environment 2>/dev/null ||
		assert_eq "$b" "B=from_zinit" "zinit's env reaches the child"
fi
# working directory: / by default (zinit runs in $T here), dir when given
assert_eq "$(sed -n 2p "$T/env.out")" / "default working directory"
assert_eq "$(cat "$T/tmpdir.out")" /tmp "working directory with dir: /tmp"
wait_file "$T/reldir.out"
assert_eq "$(cat "$T/reldir.out")" "$D/sub" "working directory with dir: sub"

# spawn failures are not retried: a restart would come 2 s after
retried() {
	[ "$(count_lines '^zinit: ERROR (missing|baddir) failed to start')" -gt 2 ] ||
		has_line '^zinit: INFO (missing|baddir) (started|exited)' || [ -e "$T/baddir.ran" ]
}
absent_for 3 "a spawn failure was retried: $(grep -E 'missing|baddir' "$T/out")" retried
for u in missing baddir; do
	assert_eq "$(count_lines "^zinit: ERROR $u failed to start")" 1 "spawn attempts of $u"
	assert_no_line "^zinit: INFO $u (started|exited)"
done
[ ! -e "$T/baddir.ran" ] || fail "baddir ran despite its missing dir"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
