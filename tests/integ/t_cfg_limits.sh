# Per-unit limits: at most 1024 `env` variables and 1024 `after` names, and 1 MiB. A unit over
# either count is refused with FILE:LINE:COLUMN and a message naming the limit, a file over
# 1 MiB with `FILE: larger than 1 MiB`; the other units start. (Each duplicate check compared
# a name with every earlier one: 91,920 env keys blocked PID 1 for 24 s, at load and again at
# every spawn.)
. "$(dirname "$0")/lib.sh"

# many NAME KEY N FORMAT: unit NAME with KEY holding N entries printed with FORMAT, from line 3.
many() {
	{
		echo "exec: sh -c \"touch $T/$1.ran; exec sleep 1000\""
		echo "$2:"
		seq 1 "$3" | awk -v f="$4" '{ printf f "\n", $1 }'
	} | unit "$1"
}
many bigenv env 1025 '  V%d: x'
many bigafter after 1025 '  - u%d'
many okenv env 1024 '  V%d: x'
{
	echo 'exec: "true"'
	head -c $((1024 * 1024)) /dev/zero | tr '\0' '#'
} | unit big
unit ok <<YAML
exec: sh -c "touch $T/ok.ran; exec sleep 1000"
YAML

start_zinit
wait_line '^zinit: INFO [0-9]+ units loaded from '
wait_file "$T/ok.ran"
wait_file "$T/okenv.ran"
assert_line "^zinit: ERROR $D/bigenv.yaml:3:3: env: 1025 variables, at most 1024 are allowed\$"
assert_line "^zinit: ERROR $D/bigafter.yaml:3:3: after: 1025 entries, at most 1024 are allowed\$"
assert_line "^zinit: ERROR $D/big.yaml: larger than 1 MiB\$"
assert_line "^zinit: INFO 2 units loaded from $D; "
[ ! -e "$T/bigenv.ran" ] && [ ! -e "$T/bigafter.ran" ] || fail "a refused unit ran"
assert_eq "$("$ZINIT" check -c "$D" 2>&1 | grep -c 'at most 1024\|larger than 1 MiB')" 3 "zinit check reports all three"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
