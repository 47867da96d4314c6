# CLI without a daemon: `zinit check` (valid dir, broken unit + cycle + unknown dep, control
# bytes from a unit file escaped), the connect error when nothing listens, and wrong command
# lines (exit 2), all before any init.
. "$(dirname "$0")/lib.sh"

# ---- check: a valid directory -------------------------------------------------------------
ok=$T/ok
mkdir -p "$ok"
printf 'exec: touch %s/ran.web\nafter: [api]\n' "$T" >"$ok/web.yaml"
printf 'exec: touch %s/ran.db\n' "$T" >"$ok/db.yaml"
printf 'exec: touch %s/ran.api\nafter: [db]\nfoo: 1\n' "$T" >"$ok/api.yaml"
out=$(zctl check -c "$ok" 2>"$T/check.err")
rc=$?
assert_eq "$rc" 0 "check of a valid directory (a warning does not fail it)"
assert_eq "$out" "$ok/api.yaml:3:1: unknown key \"foo\" ignored
start order: db, api, web
3 units, 0 problems" "check output for a valid directory"
assert_eq "$(cat "$T/check.err")" "" "check stderr for a valid directory"
# --config=DIR spelling, same answer
assert_eq "$(zctl check --config="$ok" | tail -n 1)" "3 units, 0 problems" "check --config="

# one unit: the summary says "1 unit"
one=$T/one
mkdir -p "$one"
printf 'exec: touch %s/ran.x\n' "$T" >"$one/x.yaml"
assert_eq "$(zctl check -c "$one" | tail -n 1)" "1 unit, 0 problems" "summary of a single unit"

# ---- check: a broken unit, a cycle, a unit without exec and unknown dependencies ----------
bad=$T/bad
mkdir -p "$bad"
printf 'exec: [\n' >"$bad/broken.yaml"
printf 'test: "true"\n' >"$bad/noexec.yaml"
printf 'exec: touch %s/ran.a\nafter: [b]\n' "$T" >"$bad/a.yaml"
printf 'exec: touch %s/ran.b\nafter: [a]\n' "$T" >"$bad/b.yaml"
printf 'exec: touch %s/ran.c\nafter: [ghost]\n' "$T" >"$bad/c.yaml"
printf 'exec: touch %s/ran.ok\n' "$T" >"$bad/ok.yaml"
printf 'exec: touch %s/ran.d\nafter: [broken]\n' "$T" >"$bad/d.yaml"
ln -s "$T/nowhere.yaml" "$bad/lnk.yaml" # a dangling symlink: a file there, not loaded
printf 'exec: touch %s/ran.e\nafter: [lnk]\n' "$T" >"$bad/e.yaml"
zctl check -c "$bad" >"$T/bad.out" 2>"$T/bad.err"
rc=$?
assert_eq "$rc" 1 "check exit status with problems"
assert_line "^$bad/broken\.yaml:[0-9]+:[0-9]+: ." "$T/bad.out"
assert_line "^$bad/noexec\.yaml:[0-9]+:[0-9]+: ." "$T/bad.out"
assert_line '^dependency cycle: a -> b -> a$' "$T/bad.out"
assert_line "^$bad/c\.yaml: after ghost, which is not a unit \(no $bad/ghost\.yaml\)$" "$T/bad.out"
# a dependency whose file exists but did not load is named as such, not as a missing unit
assert_line "^$bad/d\.yaml: after broken, whose file $bad/broken\.yaml is not loaded$" "$T/bad.out"
assert_line "^$bad/e\.yaml: after lnk, whose file $bad/lnk\.yaml is not loaded$" "$T/bad.out"
# the start order names the units that can start; those after an unknown unit, which wait for
# ever, are listed apart as blocked; the cycle's members are in neither list
assert_line '^start order: ok; blocked: c \(after ghost\), d \(after broken\), e \(after lnk\)$' "$T/bad.out"
assert_eq "$(tail -n 1 "$T/bad.out")" "6 units, 6 problems" "check summary line"
assert_eq "$(count_lines '^start order: ' "$T/bad.out")" 1 "one start order line"
# check never runs anything and needs no daemon
for f in web db api a b c d e ok x once fine; do
	[ ! -e "$T/ran.$f" ] || fail "check ran the command of unit $f"
done
[ ! -e "$S" ] || fail "check created a socket"

# ---- check: a command zinit could not run is an error at its value ------------------------
# init loads such a unit and fails it when it starts ("cannot parse command", t_cfg_parse);
# check names it at FILE:LINE:COLUMN, and its start order stays init's (the unit is loaded, and
# a unit after it is not after an unknown one)
cmd=$T/cmd
mkdir -p "$cmd"
printf 'exec: sleep "100\n' >"$cmd/unbalanced.yaml"
printf 'exec: "  # a comment"\n' >"$cmd/empty.yaml"
printf 'exec: sleep 1\ntest: echo \\\n' >"$cmd/badtest.yaml"
printf 'exec: touch %s/ran.once\noneshot: true\ntest: "never run \\""\n' "$T" >"$cmd/once.yaml"
printf 'exec: touch %s/ran.fine\n' "$T" >"$cmd/fine.yaml"
printf 'exec: sleep 1\nafter: [unbalanced]\n' >"$cmd/dep.yaml"
zctl check -c "$cmd" >"$T/cmd.out" 2>"$T/cmd.err"
assert_eq "$?" 1 "check exit status with commands that cannot run"
assert_eq "$(cat "$T/cmd.out")" "$cmd/badtest.yaml:2:7: test: cannot parse command: echo \\
$cmd/empty.yaml:1:7: exec: empty command:   # a comment
$cmd/unbalanced.yaml:1:7: exec: cannot parse command: sleep \"100
start order: badtest, empty, fine, once, unbalanced, dep
6 units, 3 problems" "check output for commands that cannot run (a oneshot's test never runs)"
assert_eq "$(cat "$T/cmd.err")" "" "check stderr for commands that cannot run"

# ---- check: control bytes from a unit file are escaped as in zinit's own messages --------
# (log_escape: C0 but tab, DEL, C1 as \xNN or \u00NN); printable UTF-8 stays byte-exact
esc=$T/esc
mkdir -p "$esc"
cat >"$esc/e.yaml" <<'YAML'
exec: sleep 1
after: ["ghost\nforged\e[31m", "café"]
"k\e]0;title\a\u009b\x7f": 1
YAML
zctl check -c "$esc" >"$T/esc.out" 2>"$T/esc.err"
assert_eq "$?" 1 "check exit status with unknown dependencies"
assert_eq "$(cat "$T/esc.out")" "$esc/e.yaml:3:1: unknown key \"k\\x1b]0;title\\x07\\u009b\\x7f\" ignored
$esc/e.yaml: after ghost\\x0aforged\\x1b[31m, which is not a unit (no $esc/ghost\\x0aforged\\x1b[31m.yaml)
$esc/e.yaml: after café, which is not a unit (no $esc/café.yaml)
start order: (none); blocked: e (after ghost\\x0aforged\\x1b[31m)
1 unit, 2 problems" "check output of a unit file holding control bytes"
grep -q -e "$(printf '\033')" -e "$(printf '\302\233')" -e "$(printf '\177')" -e "$(printf '\a')" "$T/esc.out" &&
	fail "a raw control byte in check's output"
# a directory named with one: the error on stderr escapes it too
zctl check -c "$T/no$(printf '\033')dir" >/dev/null 2>"$T/escdir.err"
assert_eq "$(cat "$T/escdir.err")" "zinit: config directory '$T/no\\x1bdir': No such file or directory" "check's error for a directory named with ESC"

# a missing directory, or a file given as one, is a usage error (exit 2) as for `init -c`, one
# line on stderr
zctl check -c "$T/nope" >"$T/nope.out" 2>"$T/nope.err"
assert_eq "$?" 2 "check of a missing directory"
assert_eq "$(wc -l <"$T/nope.err")" 1 "one error line"
assert_line "^zinit: .*$T/nope" "$T/nope.err"
zctl check -c "$ok/db.yaml" >/dev/null 2>"$T/notdir.err"
assert_eq "$?" 2 "check of a file as the directory"
assert_eq "$(cat "$T/notdir.err")" "zinit: config directory '$ok/db.yaml': Not a directory" "check's error for a file as the directory"

# ---- no daemon: one line `zinit: cannot connect to ...`, exit 1 --------------------------
for verb in list "status x" "start x" "stop x" "restart x" "kill x" healthcheck "log -s" shutdown; do
	# shellcheck disable=SC2086
	zctl $verb >"$T/nd.out" 2>"$T/nd.err"
	rc=$?
	assert_eq "$rc" 1 "exit status of '$verb' without a daemon"
	assert_eq "$(cat "$T/nd.out")" "" "stdout of '$verb' without a daemon"
	assert_eq "$(wc -l <"$T/nd.err")" 1 "stderr lines of '$verb' without a daemon"
	assert_line "^zinit: cannot connect to $S: No such file or directory" "$T/nd.err"
done
# no verb at all means list, same error
"$ZINIT" -s "$S" >/dev/null 2>"$T/nd.err"
assert_eq "$?" 1 "exit status of a bare zinit without a daemon"
assert_line "^zinit: cannot connect to $S" "$T/nd.err"

# ---- wrong command lines: exit 2, before any connection ---------------------------------
for cmd in "status" "status a b" "start" "stop" "restart" "forget" "monitor" "kill" "kill a SIGTERM x" \
	"list extra" "log -x" "log a b" "healthcheck x" "shutdown now" "frobnicate" "check -q"; do
	# shellcheck disable=SC2086
	zctl $cmd >"$T/usage.out" 2>"$T/usage.err"
	rc=$?
	assert_eq "$rc" 2 "exit status of 'zinit $cmd'"
	assert_eq "$(cat "$T/usage.out")" "" "stdout of 'zinit $cmd'"
	assert_line '^zinit: ' "$T/usage.err"
	assert_no_line 'cannot connect' "$T/usage.err"
done
