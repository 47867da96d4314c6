# CLI `stats NAME` (zinit HEAD's verb): serde_yaml of service_stats — name, pid, memory_usage
# in bytes, cpu_usage as an f32 (always with a decimal point), the children listed (and the
# members of its process group re-parented to zinit), or `children: []`; a service that is down, an unknown name and wrong arguments are errors.
. "$(dirname "$0")/lib.sh"

unit kids <<YAML
exec: sh -c 'sleep 1000 & echo \$! > $T/c1; sleep 1001 & echo \$! > $T/c2; wait'
YAML
unit lone <<YAML
exec: sleep 1000
YAML
# a process of the unit's group whose parent exited (re-parented to zinit) is still its child
unit orphan <<YAML
exec: sh -c '(sleep 1002 & echo \$! > $T/c3.tmp); mv $T/c3.tmp $T/c3; exec sleep 1000'
YAML
unit off <<YAML
exec: "true"
oneshot: true
YAML
start_zinit
wait_file "$T/c1"
wait_file "$T/c2"
wait_line '^zinit: INFO oneshot off succeeded$'
wait_until 10 eval 'zctl list 2>/dev/null | grep -q "^lone: Running$"' || fail "lone not Running"

pid_of() { zctl status "$1" | sed -n 's/^pid: //p'; }
K=$(pid_of kids)
zctl stats kids >"$T/kids" 2>&1 || fail "stats kids: $(cat "$T/kids")"
# the lines, with the numbers that vary replaced
sed -E 's/^(    |)memory_usage: [1-9][0-9]*$/\1memory_usage: M/; s/^(    |)cpu_usage: [0-9]+\.[0-9]+(e-?[0-9]+)?$/\1cpu_usage: C/' \
	"$T/kids" >"$T/kids.shape"
assert_eq "$(cat "$T/kids.shape")" "---
name: kids
pid: $K
memory_usage: M
cpu_usage: C
children:
  - pid: $(cat "$T/c1")
    memory_usage: M
    cpu_usage: C
  - pid: $(cat "$T/c2")
    memory_usage: M
    cpu_usage: C" "stats kids (memory and CPU figures as M and C)"
assert_eq "$(zctl stats lone | sed -n '2p;3p;6p')" "name: lone
pid: $(pid_of lone)
children: []" "stats of a service without children"
wait_file "$T/c3"
zctl --json stats orphan | python3 -c 'import json, sys
r = json.load(sys.stdin)
assert [c["pid"] for c in r["children"]] == [int(sys.argv[1])], r' "$(cat "$T/c3")" ||
	fail "stats orphan: the group's re-parented process is not among its children"
zctl --json stats lone | python3 -c 'import json, sys
r = json.load(sys.stdin)
assert list(r) == ["name", "pid", "memory_usage", "cpu_usage", "children"], r
assert r["children"] == [] and r["memory_usage"] > 0, r' || fail "stats --json"

zctl stats off >"$T/out1" 2>&1
assert_eq "$?" 1 "stats of a finished oneshot"
assert_eq "$(cat "$T/out1")" "zinit: collecting stats: service 'off' is down" "stats of a finished oneshot"
zctl stats nope >"$T/out1" 2>&1
assert_eq "$?" 1 "stats of an unknown service"
assert_eq "$(cat "$T/out1")" "zinit: collecting stats: service 'nope' not found" "stats of an unknown service"
for args in "" "kids lone"; do
	# shellcheck disable=SC2086
	zctl stats $args >"$T/out1" 2>&1
	assert_eq "$?" 2 "stats $args"
	grep -q "^zinit: " "$T/out1" || fail "no usage error for 'stats $args': $(cat "$T/out1")"
done
stop_zinit
assert_eq "$STATUS" 0 "zinit's exit status"
