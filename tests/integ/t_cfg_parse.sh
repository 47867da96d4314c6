# exec strings zinit cannot turn into a command (ZINIT-COMPAT §8 case 8): an unterminated quote
# gives "cannot parse command", a comment-only string "empty command"; each is reported once, not
# retried, zinit keeps running (also right after another spawn failure) and the other units start.
. "$(dirname "$0")/lib.sh"

# start order is by name: a spawn failure (b_missing) right before the unparsable c_unterm
unit a_empty <<'YAML'
exec: "#just a comment"
YAML
unit b_missing <<'YAML'
exec: /nonexistent
YAML
unit c_unterm <<'YAML'
exec: 'sh -c "unterminated'
YAML
unit d_trailing <<'YAML'
exec: 'echo trailing\'
YAML
unit z_ok <<YAML
exec: sh -c "touch $T/z_ok.ran; exec sleep 1000"
YAML

start_zinit
wait_line '^zinit: ERROR a_empty failed to start: empty command: #just a comment$'
wait_line '^zinit: ERROR b_missing failed to start: exec /nonexistent: No such file or directory$'
wait_line '^zinit: ERROR c_unterm failed to start: cannot parse command: sh -c "unterminated$'
wait_line '^zinit: ERROR d_trailing failed to start: cannot parse command: echo trailing\\$'
wait_file "$T/z_ok.ran"
wait_line '^zinit: INFO z_ok started'

# not retried: a restart would come 2 s after; zinit stays alive
retried_or_dead() {
	! zinit_alive || [ "$(count_lines '^zinit: ERROR [a-d]_[a-z]+ failed to start')" -gt 4 ] ||
		has_line '^zinit: INFO [a-d]_[a-z]+ (started|exited)'
}
absent_for 3 "a spawn failure was retried, or zinit died" retried_or_dead
zinit_alive || fail "zinit died after the spawn failures"
for u in a_empty b_missing c_unterm d_trailing; do
	assert_eq "$(count_lines "^zinit: ERROR $u failed to start")" 1 "spawn attempts of $u"
	assert_no_line "^zinit: INFO $u (started|exited)"
done

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
assert_line '^zinit: INFO z_ok stopped: '
assert_line '^zinit: INFO drain complete in [0-9.]+s: exiting with status 0$'
