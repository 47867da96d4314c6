# Command line: --help/--version and the help verb exit 0; bad options, bad verbs and a missing config directory
# print one line on stderr naming the culprit and exit 2 (no daemon needed: the same in both
# modes); last, a second `init` on the socket of a running zinit refuses with exit 2.
. "$(dirname "$0")/lib.sh"

# run_cli NAME ARGS...: runs "$ZINIT ARGS" with a 10 s bound; stdout, stderr and rc under $T/NAME.*
run_cli() {
	local name=$1
	shift
	timeout 10 "$ZINIT" "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
	echo $? >"$T/$name.rc"
	! grep -q -E 'Sanitizer|runtime error:' "$T/$name.err" || fail "$name: sanitizer report"
}
rc() { cat "$T/$1.rc"; }
nlines() { wc -l <"$1" | tr -d ' '; }

run_cli help --help
assert_eq "$(rc help)" 0 "zinit --help exit status"
assert_line '^usage: zinit ' "$T/help.out"
assert_line 'init .*-c DIR' "$T/help.out"
assert_line '--container' "$T/help.out"
assert_eq "$(nlines "$T/help.err")" 0 "--help writes nothing on stderr"

run_cli hshort -h
assert_eq "$(rc hshort)" 0 "zinit -h exit status"
cmp -s "$T/help.out" "$T/hshort.out" || fail "-h and --help print different texts"

# the help verb, as zinit's clap has it: `help` prints the --help text (exit 0); `help VERB`
# that verb's usage line (init's with its options); an unknown verb is a usage error
run_cli hverb help
assert_eq "$(rc hverb)" 0 "zinit help exit status"
assert_eq "$(nlines "$T/hverb.err")" 0 "help writes nothing on stderr"
cmp -s "$T/help.out" "$T/hverb.out" || fail "help and --help print different texts"
run_cli hstatus help status
assert_eq "$(rc hstatus)" 0 "zinit help status exit status"
assert_eq "$(cat "$T/hstatus.out")" "usage: zinit status NAME             one service: pid, state, target, after" "help status"
run_cli hinit help init
assert_eq "$(rc hinit)" 0 "zinit help init exit status"
assert_line '^usage: zinit init ' "$T/hinit.out"
assert_line '^  -c, --config DIR ' "$T/hinit.out"
run_cli hbad help frobnicate
assert_eq "$(rc hbad)" 2 "zinit help frobnicate exit status"
assert_eq "$(cat "$T/hbad.err")" "zinit: help: unknown verb 'frobnicate' (see zinit --help)" "help frobnicate"
assert_eq "$(nlines "$T/hbad.out")" 0 "help frobnicate: stdout lines"

run_cli version --version
assert_eq "$(rc version)" 0 "zinit --version exit status"
assert_line '^zinit [0-9]+\.[0-9]+\.[0-9]+' "$T/version.out"
assert_eq "$(nlines "$T/version.out")" 1 "--version prints one line"

# init --bogus: one line on stderr naming the option, exit 2, nothing on stdout
run_cli bogus init --bogus -c "$D" --container
assert_eq "$(rc bogus)" 2 "zinit init --bogus exit status"
assert_eq "$(nlines "$T/bogus.err")" 1 "init --bogus: stderr lines"
assert_line '--bogus' "$T/bogus.err"
assert_eq "$(nlines "$T/bogus.out")" 0 "init --bogus: stdout lines"

# init -c /nonexistent: one line naming the directory, exit 2, no daemon started
run_cli nodir init -c "$T/nonexistent" --container
assert_eq "$(rc nodir)" 2 "zinit init -c MISSING exit status"
assert_eq "$(nlines "$T/nodir.err")" 1 "init -c MISSING: stderr lines"
assert_line "$T/nonexistent" "$T/nodir.err"
assert_eq "$(nlines "$T/nodir.out")" 0 "init -c MISSING: stdout lines"

# -c naming a regular file is not a directory either
touch "$T/afile"
run_cli notdir init -c "$T/afile" --container
assert_eq "$(rc notdir)" 2 "zinit init -c FILE exit status"
assert_eq "$(nlines "$T/notdir.err")" 1 "init -c FILE: stderr lines"
assert_line "$T/afile" "$T/notdir.err"

# -c without a value
run_cli noarg init -c
assert_eq "$(rc noarg)" 2 "zinit init -c (no value) exit status"
assert_eq "$(nlines "$T/noarg.err")" 1 "init -c (no value): stderr lines"

# an unknown verb
run_cli verb frobnicate
assert_eq "$(rc verb)" 2 "zinit frobnicate exit status"
assert_eq "$(nlines "$T/verb.err")" 1 "frobnicate: stderr lines"
assert_line 'frobnicate' "$T/verb.err"
assert_eq "$(nlines "$T/verb.out")" 0 "frobnicate: stdout lines"

# an unknown global option
run_cli gopt --frob init
assert_eq "$(rc gopt)" 2 "zinit --frob exit status"
assert_eq "$(nlines "$T/gopt.err")" 1 "--frob: stderr lines"
assert_line '--frob' "$T/gopt.err"

# no verb at all means `list`, as zinit: with no daemon on the socket that fails (exit 1)
# with one line naming the socket
run_cli none -s "$T/nothing.sock"
assert_eq "$(rc none)" 1 "zinit without a verb (list, no daemon) exit status"
assert_eq "$(nlines "$T/none.err")" 1 "no verb: stderr lines"
assert_line "cannot connect to $T/nothing.sock" "$T/none.err"

# -b needs a number
run_cli badb init -c "$D" -b lots --container
assert_eq "$(rc badb)" 2 "zinit init -b lots exit status"
assert_line 'lots' "$T/badb.err"

# a long option's value may follow '=' (a short one's may not)
run_cli eqsock --socket="$T/eq.sock" list
assert_eq "$(rc eqsock)" 1 "zinit --socket=PATH list (no daemon) exit status"
assert_line "cannot connect to $T/eq.sock" "$T/eqsock.err"
run_cli eqshort -s="$T/eq.sock" list
assert_eq "$(rc eqshort)" 2 "zinit -s=PATH exit status"

# -c without its directory: the same line and exit status from init and check
for verb in init check; do
	for opt in -c --config; do
		run_cli "noc_$verb$opt" "$verb" "$opt"
		assert_eq "$(rc "noc_$verb$opt")" 2 "zinit $verb $opt (no directory) exit status"
		assert_eq "$(cat "$T/noc_$verb$opt.err")" "zinit: option $opt needs a directory (see zinit --help)" \
			"zinit $verb $opt (no directory) message"
	done
done

# a second `init` on the socket of a running zinit refuses: one line on stderr, exit 2, and the
# first zinit is unaffected
unit idle <<YAML
exec: sh -c "touch $T/idle.ran; exec sleep 1000"
YAML
start_zinit
wait_file "$T/idle.ran"
wait_until 10 test -S "$S" || fail "control socket $S never appeared"
run_cli second -s "$S" init -c "$D" --container
assert_eq "$(rc second)" 2 "second zinit init exit status"
assert_eq "$(nlines "$T/second.err")" 1 "second init: stderr lines"
assert_line 'already running' "$T/second.err"
zinit_alive || fail "the first zinit died"
assert_eq "$(count_lines '^zinit: INFO idle started')" 1 "idle started once"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status of the first zinit"
