# The program name (argv[0]) is looked at first: under a name that is not in main.c's program
# table, the binary is zinit (global options, then the verb in argv[1]); under a name of the
# table (zdb-hook, a symlink in the image) it runs that name's verb with the arguments as
# given, so zinit's global options (--version) are not parsed. No daemon: the same in both modes.
. "$(dirname "$0")/lib.sh"

ln -s "$ZINIT" "$T/zinit-renamed"
timeout 10 "$T/zinit-renamed" --version >"$T/renamed.out" 2>"$T/renamed.err" </dev/null
assert_eq "$?" 0 "--version through a symlink with another name: exit status"
assert_line '^zinit [0-9]+\.[0-9]+\.[0-9]+$' "$T/renamed.out"
timeout 10 "$T/zinit-renamed" frobnicate >/dev/null 2>"$T/renamed-verb.err" </dev/null
assert_eq "$?" 2 "an unknown verb through a symlink with another name: exit status"
assert_line "unknown verb 'frobnicate'" "$T/renamed-verb.err"

ln -s "$ZINIT" "$T/zdb-hook"
timeout 10 "$T/zdb-hook" --version >"$T/hook.out" 2>"$T/hook.err" </dev/null
assert_no_line '^zinit [0-9]' "$T/hook.out"
! grep -q -E 'Sanitizer|runtime error:' "$T/hook.err" || fail "zdb-hook: sanitizer report"
