# JSON-RPC 2.0 through a raw client: every method with positional and named params, zinit's error codes, messages and data (zinit 0.2.28), ids, notifications, batches, pipelining, split messages, log subscriptions, system_shutdown (ZINIT-COMPAT §5.4).
. "$(dirname "$0")/lib.sh"

# req ID METHOD [PARAMS]: one request object
req() { printf '{"jsonrpc":"2.0","id":%s,"method":"%s"%s}' "$1" "$2" "${3:+,\"params\":$3}"; }
# call METHOD [PARAMS]: one request on a new connection; prints the reply line (ending in \n).
call() {
	sc "$S" "s:$(req 1 "$1" "${2:-}")" l >"$T/reply" || fail "no reply line to $1 ${2:-}"
	cat "$T/reply"
}

unit a <<YAML
exec: sh -c 'echo a-ready; exec sleep 1000'
YAML
# k has two children for service_stats; it records their pids (namespace pids in pid1 mode)
unit k <<YAML
exec: sh -c 'sleep 1000 & echo \$! > $T/k.c1; sleep 1001 & echo \$! > $T/k.c2; wait'
YAML
unit u <<YAML
exec: sh -c 'trap "echo usr1" USR1; echo u-up; while :; do sleep 0.05; done'
YAML
# keeps the drain going until $T/release appears, to ask the socket things during it
unit slow <<YAML
exec: sh -c 'trap "while [ ! -e $T/release ]; do sleep 0.05; done; exit 0" TERM; while :; do sleep 0.05; done'
YAML
start_zinit
wait_pidfile "$T/k.c2"
c1=$(cat "$T/k.c1") c2=$(cat "$T/k.c2")

rpc <<EOF
~service_list - r['result'] == {'a': 'Running', 'k': 'Running', 'slow': 'Running', 'u': 'Running'}
# a prints a-ready on each start: wait for it each time before stopping a again
~stream_currentLogs ["a"] r['result'].count('[+] a: a-ready') == 1
# service_list, system_health, rpc.discover
service_list [] r['result']['a'] == 'Running'
service_list {} r['result']['a'] == 'Running'
system_health - r['result']['healthy'] is True and r['result']['unhealthy'] == []
system_health [] r['result']['healthy'] is True
rpc.discover - isinstance(r['result'], dict) and {'service_list', 'service_status', 'service_start', 'service_stop', 'service_restart', 'service_monitor', 'service_forget', 'service_kill', 'service_stats', 'system_shutdown', 'system_reboot', 'system_health', 'stream_currentLogs', 'stream_subscribeLogs', 'stream_unsubscribeLogs'} <= {m['name'] for m in r['result']['methods']}
# service_status, both ways; errors -32000, -32602, -32601. zinit's errors (zinit 0.2.28) are
# "ACTION: WHAT" with a data object (zerr); the protocol's have no data (plain)
service_status ["a"] list(r['result']) == ['name', 'pid', 'state', 'target', 'after'] and r['result']['name'] == 'a' and r['result']['pid'] > 0 and r['result']['state'] == 'Running' and r['result']['target'] == 'Up' and r['result']['after'] == {}
service_status {"name":"a"} r['result']['name'] == 'a' and r['result']['pid'] > 0 and r['result']['state'] == 'Running' and r['result']['target'] == 'Up'
service_status ["nope"] zerr(r, -32000, "getting status: service 'nope' not found", 'ServiceNotFound', 'nope', False) and 'result' not in r
service_status {"name":"nope"} code(r) == -32000
service_status [] plain(r, -32602)
service_status [1] plain(r, -32602)
service_status {"nom":"a"} code(r) == -32602
service_status ["a","b"] code(r) == -32602
service_nope [] plain(r, -32601) and len(r['error']['message']) > 0
# service_stats, both ways: the service's pid; its two children listed
service_status ["k"] v.setdefault('k', r['result']['pid']) > 0
service_stats ["k"] r['result']['name'] == 'k' and r['result']['pid'] == v['k'] and r['result']['memory_usage'] > 0 and isinstance(r['result']['cpu_usage'], (int, float)) and {$c1, $c2} <= {c['pid'] for c in r['result']['children']} and all(c['memory_usage'] > 0 for c in r['result']['children'])
service_stats {"name":"k"} r['result']['pid'] == v['k'] and {$c1, $c2} <= {c['pid'] for c in r['result']['children']}
service_stats ["nope"] zerr(r, -32000, "collecting stats: service 'nope' not found", 'ServiceNotFound', 'nope', False)
# service_kill, both ways; -32004 for a bad signal name
~stream_currentLogs ["u"] r['result'].count('[+] u: u-up') == 1
service_kill ["u","SIGUSR1"] null(r)
~stream_currentLogs ["u"] r['result'].count('[+] u: usr1') == 1
service_kill {"name":"u","signal":"sigusr1"} null(r)
~stream_currentLogs ["u"] r['result'].count('[+] u: usr1') == 2
service_kill ["u","USR1"] zerr(r, -32004, "parsing signal: invalid signal 'USR1'", 'InvalidSignal', 'USR1')
service_kill {"name":"u","signal":"SIGNOPE"} code(r) == -32004
service_kill ["nope","SIGTERM"] zerr(r, -32000, "sending signal: service 'nope' not found", 'ServiceNotFound', 'nope', False)
# service_stop both ways (the second on a stopped service); -32003; system_health sees it
service_stop ["a"] null(r)
service_status ["a"] r['result']['target'] == 'Down' and r['result']['pid'] == 0
service_stop {"name":"a"} null(r)
service_kill ["a","SIGTERM"] zerr(r, -32003, "sending signal: service 'a' is down", 'ServiceIsDown', 'a', True)
service_stats ["a"] zerr(r, -32003, "collecting stats: service 'a' is down", 'ServiceIsDown', 'a', True)
system_health - r['result']['healthy'] is False and [x['name'] for x in r['result']['unhealthy']] == ['a']
service_stop ["nope"] zerr(r, -32000, "stopping service: service 'nope' not found", 'ServiceNotFound', 'nope', False)
# service_forget, service_monitor both ways; -32001, -32002, -32005
service_forget {"name":"a"} null(r)
service_status ["a"] zerr(r, -32000, "getting status: service 'a' not found", 'ServiceNotFound', 'a', False)
service_monitor ["a"] null(r)
~service_status ["a"] r['result']['state'] == 'Running'
~stream_currentLogs ["a"] r['result'].count('[+] a: a-ready') == 2
service_monitor {"name":"a"} zerr(r, -32001, "monitoring service: service 'a' already monitored", 'ServiceAlreadyMonitored', 'a', True)
service_monitor ["nofile"] zerr(r, -32005, "monitoring service: failed to load 'nofile.yaml'", 'ConfigError', 'nofile')
# a name that is a path is refused as create/get/delete refuse it: -32602, the reason logged
service_monitor ["../x"] zerr(r, -32602, "monitoring service: invalid service name '../x'", 'InvalidServiceName', '../x')
service_monitor {"name":"a/b"} code(r) == -32602
service_monitor [".."] code(r) == -32602
service_monitor ["x\u0001"] code(r) == -32602
service_monitor [""] code(r) == -32602
service_forget ["a"] zerr(r, -32002, "forgetting service: service 'a' is up", 'ServiceIsUp', 'a', False)
service_stop ["u"] null(r)
service_forget ["u"] null(r)
service_forget ["u"] zerr(r, -32000, "forgetting service: service 'u' not found", 'ServiceNotFound', 'u', False)
service_monitor {"name":"u"} null(r)
~service_status ["u"] r['result']['state'] == 'Running'
# service_start both ways; service_restart both ways: a new pid each time
service_stop ["a"] null(r)
service_start ["a"] null(r)
~stream_currentLogs ["a"] r['result'].count('[+] a: a-ready') == 3
service_stop ["a"] null(r)
service_start {"name":"a"} null(r)
~service_status ["a"] r['result']['state'] == 'Running' and v.setdefault('p1', r['result']['pid']) > 0
~stream_currentLogs ["a"] r['result'].count('[+] a: a-ready') == 4
service_start ["nope"] zerr(r, -32000, "starting service: service 'nope' not found", 'ServiceNotFound', 'nope', False)
service_restart ["a"] null(r)
~service_status ["a"] r['result']['state'] == 'Running' and r['result']['pid'] != v['p1'] and v.setdefault('p2', r['result']['pid']) > 0
~stream_currentLogs ["a"] r['result'].count('[+] a: a-ready') == 5
service_restart {"name":"a"} null(r)
~service_status ["a"] r['result']['state'] == 'Running' and r['result']['pid'] not in (v['p1'], v['p2'])
service_restart ["nope"] zerr(r, -32000, "restarting service: service 'nope' not found", 'ServiceNotFound', 'nope', False)
# stream_currentLogs: all lines, or one service's (a has printed a-ready 6 times)
~stream_currentLogs ["a"] r['result'].count('[+] a: a-ready') == 6 and all(l.startswith(('[+] a: ', '[-] a: ')) for l in r['result'])
stream_currentLogs {"name":"a"} r['result'].count('[+] a: a-ready') == 6 and all(l.startswith(('[+] a: ', '[-] a: ')) for l in r['result'])
stream_currentLogs - r['result'].count('[+] a: a-ready') == 6 and len(r['result']) > 6
stream_currentLogs [] r['result'].count('[+] a: a-ready') == 6 and len(r['result']) > 6
EOF
for why in 'contains a slash' 'is \. or \.\.' 'contains control characters' 'is empty'; do
	assert_line "^zinit: WARN unit name \".*\" refused: the unit name $why\$"
done

# protocol errors: -32700 for invalid JSON (the framing holds: the connection goes on), and
# for bytes that cannot start a message (then EOF); -32600
sc "$S" 's:{"a":,}' l "s:$(req 2 service_list)" l >"$T/reply" || fail "no reply to invalid JSON: $(cat "$T/reply")"
sc jtest "plain(rs[0], -32700) and rs[0]['id'] is None and rs[1]['id'] == 2 and 'result' in rs[1]" <"$T/reply" ||
	fail "invalid JSON"
sc "$S" "s:$(req 2 service_list) garbage" l:2 eof >"$T/reply" || fail "no replies then EOF to a message then garbage: $(cat "$T/reply")"
sc jtest "rs[0]['id'] == 2 and rs[1]['error']['code'] == -32700 and len(rs) == 2" <"$T/reply" || fail "garbage after a message"
sc "$S" "s:$(req 3 service_list | sed 's/"2.0"/"1.0"/')" l >"$T/reply" || fail "no reply to jsonrpc 1.0"
sc jtest "plain(r, -32600) and r['id'] == 3" <"$T/reply" || fail "jsonrpc 1.0"
sc "$S" 's:[]' l >"$T/reply" || fail "no reply to an empty batch"
sc jtest "r['error']['code'] == -32600 and r['id'] is None" <"$T/reply" || fail "empty batch"
sc "$S" 's:{"jsonrpc":"2.0","id":4}' l >"$T/reply" || fail "no reply to a request without method"
sc jtest "r['error']['code'] == -32600" <"$T/reply" || fail "request without method"

# ids echoed: number, string (one holding brackets: the framing skips strings)
sc "$S" "s:$(req 42 service_list)" "s:$(req '"abc"' service_list)" "s:$(req '"}{]["' service_list)" l:3 >"$T/reply" ||
	fail "ids: $(cat "$T/reply")"
sc jtest "[x['id'] for x in rs] == [42, 'abc', '}{]['] and all('result' in x for x in rs)" <"$T/reply" || fail "ids echoed"

# a notification (no id) is acted on but not answered: the next reply on the connection is
# the next request's
sc "$S" 's:{"jsonrpc":"2.0","method":"service_stop","params":["u"]}' "s:$(req 5 service_status '["u"]')" l quiet:0.5 >"$T/reply" ||
	fail "notification: $(cat "$T/reply")"
sc jtest "len(rs) == 1 and r['id'] == 5 and r['result']['target'] == 'Down'" <"$T/reply" || fail "notification"

# a batch of 3, one a notification: an array of 2 replies
sc "$S" "s:[$(req 6 service_status '["a"]'),{\"jsonrpc\":\"2.0\",\"method\":\"service_list\"},$(req 7 nope)]" l quiet:0.5 >"$T/reply" ||
	fail "batch: $(cat "$T/reply")"
sc jtest "len(rs) == 1 and isinstance(r, list) and len(r) == 2 and {x['id'] for x in r} == {6, 7} and [x for x in r if x['id'] == 6][0]['result']['name'] == 'a' and [x for x in r if x['id'] == 7][0]['error']['code'] == -32601" <"$T/reply" ||
	fail "batch replies"

# pipelined on one persistent connection, in one write: answered in order, one line each;
# the connection goes on being served after a pause
sc "$S" "s:$(req 11 service_list)$(req 12 service_status '["a"]')
$(req 13 system_health)  $(req 14 service_stats '["k"]')$(req 15 nope)" l:5 w:0.3 "s:$(req 16 service_list)" l >"$T/reply" ||
	fail "pipelined: $(cat "$T/reply")"
sc jtest "[x['id'] for x in rs] == [11, 12, 13, 14, 15, 16] and rs[1]['result']['name'] == 'a' and rs[4]['error']['code'] == -32601" <"$T/reply" ||
	fail "pipelined replies"

# a message split across writes with pauses
sc "$S" 's:  {"jsonrpc":"2.0",' w:0.2 's:"id":18,"method":"serv' w:0.2 's:ice_status","params":{"na' w:0.2 's:me":"a"}}' l >"$T/reply" ||
	fail "split message"
sc jtest "r['id'] == 18 and r['result']['name'] == 'a'" <"$T/reply" || fail "split message reply"

# stream_subscribeLogs (positional filter, named filter): notifications for new lines;
# stream_unsubscribeLogs (positional, named) stops them
for v in pos named; do
	if [ $v = pos ]; then sub='["a"]' unsub='[@SUB@]'; else sub='{"filter":"a"}' unsub='{"subscription":@SUB@}'; fi
	n0=$(call stream_currentLogs '["a"]' | grep -o 'a-ready' | wc -l)
	sc "$S" "s:$(req 20 stream_subscribeLogs "$sub")" l cap:SUB "s:$(req 21 service_restart '["a"]')" 'until:"result":"\[\+\] a: a-ready"' \
		"s:$(req 22 stream_unsubscribeLogs "$unsub")" 'until:"id":22' "s:$(req 23 service_restart '["a"]')" l quiet:0.7 >"$T/sub" ||
		fail "log subscription ($v): $(cat "$T/sub")"
	grep '"id":20' "$T/sub" | sc jtest "isinstance(r['result'], int)" || fail "subscription id ($v)"
	grep '"method"' "$T/sub" | sc jtest "len(rs) >= 1 and all(x['method'] == 'stream_subscribeLogs' and x['params']['subscription'] == rs[0]['params']['subscription'] and x['params']['result'].startswith('[+] a: ') and 'id' not in x for x in rs)" ||
		fail "notifications ($v)"
	grep '"id":22' "$T/sub" | sc jtest "r['result'] is True" || fail "unsubscribe result ($v)"
	[ "$(tail -n 1 "$T/sub" | grep -c '"id":23')" = 1 ] || fail "a notification after unsubscribing ($v): $(cat "$T/sub")"
	# the second restart did print a line: it was not sent because of the unsubscription
	wait_until 10 eval '[ "$(call stream_currentLogs "[\"a\"]" | grep -o a-ready | wc -l)" -ge $((n0 + 2)) ]' ||
		fail "a did not print again after the second restart ($v)"
done
# stream_subscribeLogs without a filter gets every service's lines
sc "$S" "s:$(req 24 stream_subscribeLogs)" l "s:$(req 25 service_restart '["a"]')" 'until:"result":"\[\+\] a: a-ready"' >"$T/sub" ||
	fail "unfiltered subscription: $(cat "$T/sub")"

# system_shutdown: null, then the drain, during which the socket answers but refuses with
# -32006 what would start something
rpc <<EOF
system_shutdown - null(r)
service_start ["a"] zerr(r, -32006, "starting service: system is shutting down", 'ShuttingDown', 'a', False)
service_monitor ["q"] zerr(r, -32006, "monitoring service: system is shutting down", 'ShuttingDown', 'q', False)
service_restart ["a"] code(r) == -32006
system_shutdown - zerr(r, -32006, "system shutdown: system is shutting down", 'ShuttingDown', None, False)
system_reboot - zerr(r, -32006, "system reboot: system is shutting down", 'ShuttingDown', None, False)
service_list - 'slow' in r['result']
EOF
touch "$T/release"
wait_exit
assert_eq "$STATUS" 0 "exit status"
assert_line '^zinit: INFO shutting down \(zinit shutdown\)'
assert_line '^zinit: INFO slow stopped: exit status 0'
[ ! -e "$S" ] || fail "the socket file is still there after zinit exited"
