# service_create, service_get, service_delete (zinit HEAD's JSON-RPC, ZINIT-COMPAT §5.4): a unit
# file written from JSON only once it parses as a unit, never over an existing one, and not
# monitored; read back as JSON with every key; deleted while the service runs on. Errors:
# -32007 exists, -32005 not a unit (the reason, FILE:LINE:COLUMN, in zinit's log), -32000 no
# such file, -32602 a name that is a path, -32008 a file that cannot be read; each with zinit
# 0.2.28's message and data (zerr: the shapes its rpc.rs builds by hand for these methods).
. "$(dirname "$0")/lib.sh"

unit a <<YAML
exec: sleep 1000
YAML
start_zinit
wait_until 10 eval 'zctl list 2>/dev/null | grep -q "^a: Running$"' || fail "a not Running"

# JSON without blanks on these lines: \u0020 is a space
rpc <<'EOF2'
service_create ["web",{"exec":"sh\u0020-c\u0020'echo\u0020web-up:\u0020$K;\u0020exec\u0020sleep\u00201000'","after":["a"],"log":"stdout","env":{"K":"v\u0020w","yes":"no"},"shutdown_timeout":3}] r['result'] == "Service 'web' created successfully"
service_list - 'web' not in r['result']
service_create {"name":"web","content":{"exec":"true"}} zerr(r, -32007, "creating service: Service 'web' already exists", 'ServiceAlreadyExists', 'web')
service_create ["bad",{"exec":"x","oneshot":"yes"}] zerr(r, -32005, 'creating service: failed to convert content to YAML', 'ConfigError', 'bad')
service_create ["empty",{}] code(r) == -32005
service_get ["bad"] zerr(r, -32000, "getting service: Service 'bad' not found", 'ServiceNotFound', 'bad')
service_create ["deep",{"exec":"x","x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}] code(r) == -32005
service_create ["../x",{"exec":"true"}] zerr(r, -32602, "creating service: invalid service name '../x'", 'InvalidServiceName', '../x')
service_create ["",{"exec":"true"}] code(r) == -32602
service_get ["a/b"] zerr(r, -32602, "getting service: invalid service name 'a/b'", 'InvalidServiceName', 'a/b')
service_delete [".."] zerr(r, -32602, "deleting service: invalid service name '..'", 'InvalidServiceName', '..')
service_create ["x"] plain(r, -32602)
service_create ["x","exec:\u0020true"] code(r) == -32602
service_get ["web"] r['result'] == {'exec': "sh -c 'echo web-up: $K; exec sleep 1000'", 'test': None, 'oneshot': False, 'shutdown_timeout': 3, 'after': ['a'], 'signal': {'stop': 'SIGTERM'}, 'log': 'stdout', 'env': {'K': 'v w', 'yes': 'no'}, 'dir': None, 'tty': False}
service_get {"name":"a"} r['result']['exec'] == 'sleep 1000' and r['result']['log'] == 'ring'
service_get ["nope"] code(r) == -32000
EOF2
# the file: YAML, every string quoted, nothing left beside it
assert_eq "$(cat "$D/web.yaml")" "exec: \"sh -c 'echo web-up: \$K; exec sleep 1000'\"
after:
  - \"a\"
log: \"stdout\"
env:
  K: \"v w\"
  \"yes\": \"no\"
shutdown_timeout: 3" "web.yaml"
[ ! -e "$D/bad.yaml" ] && [ ! -e "$D/empty.yaml" ] && [ ! -e "$D/deep.yaml" ] ||
	fail "a unit file that is no unit was written"
assert_line '^zinit: ERROR service_create deep: the content nests more than 32 levels deep$'

assert_eq "$(ls "$D")" "a.yaml
web.yaml" "files in the config dir"
assert_line "^zinit: ERROR service_create bad: $D/bad.yaml:[0-9]+:[0-9]+: .*oneshot"
"$ZINIT" check -c "$D" >"$T/check" 2>&1 || fail "zinit check of the created file: $(cat "$T/check")"

# monitor loads it; delete removes the file only
rpc <<'EOF2'
service_monitor ["web"] null(r)
~service_status ["web"] r['result']['state'] == 'Running'
service_delete ["web"] r['result'] == "Service 'web' deleted successfully"
service_status ["web"] r['result']['state'] == 'Running'
service_get ["web"] code(r) == -32000
service_delete ["web"] zerr(r, -32000, "deleting service: Service 'web' not found", 'ServiceNotFound', 'web')
EOF2
wait_line '^\[\+\] web: web-up: v w$'
[ ! -e "$D/web.yaml" ] || fail "web.yaml still there"

# a temporary file left by a crash in the middle of a create does not block the next one
self=$ZPID
[ "$MODE" = pid1 ] && self=1 # the pid zinit sees for itself
echo "garbage from a crash" >"$D/late.yaml.$self.tmp"
rpc <<'EOF2'
service_create ["late",{"exec":"true"}] r['result'] == "Service 'late' created successfully"
EOF2
assert_eq "$(cat "$D/late.yaml")" 'exec: "true"' "late.yaml"
[ ! -e "$D/late.yaml.$self.tmp" ] || fail "the temporary file was left"
mkfifo "$D/pipe.yaml.$self.tmp" # not written into: it would block zinit until a reader came
rpc <<'EOF2'
service_create ["pipe",{"exec":"true"}] r['result'] == "Service 'pipe' created successfully"
EOF2
assert_eq "$(cat "$D/pipe.yaml")" 'exec: "true"' "pipe.yaml"
[ ! -e "$D/pipe.yaml.$self.tmp" ] || fail "the FIFO was left"

# a file zinit cannot parse or read
printf 'exec: [unclosed\n' >"$D/broken.yaml"
mkdir "$D/dir.yaml"
mkfifo "$D/fifo.yaml" # nobody writes to it: opening it must not block zinit
rpc <<'EOF2'
service_get ["broken"] zerr(r, -32005, 'getting service: failed to parse YAML', 'ConfigError', 'broken')
service_monitor ["broken"] zerr(r, -32005, "monitoring service: failed to load 'broken.yaml'", 'ConfigError', 'broken') and [c.split('/')[-1] for c in r['error']['data']['cause_chain']] == ["broken.yaml:2:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 1 column 7)"]
service_get ["dir"] zerr(r, -32008, 'reading service file: failed to read service file', 'ServiceFileError', 'dir')
service_get ["fifo"] code(r) == -32008
service_list - r['result']['a'] == 'Running'
EOF2
wait_line "^zinit: ERROR service_get fifo: $D/fifo.yaml: not a regular file$"
assert_line "^zinit: ERROR service_get broken: $D/broken.yaml:[0-9]+:[0-9]+: YAML syntax error"
zinit_alive || fail "zinit died"
stop_zinit
assert_eq "$STATUS" 0 "zinit's exit status"
