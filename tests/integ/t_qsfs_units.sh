# The image's units (etc/zinit/): `zinit check` passes and prints the order zstor-log, zstor,
# wait_hooks, zdb, ns, fs; zdb and wait_hooks carry the same env:, every QSFS_* setting documented in
# docs/QSFS.md at its documented default; wait_hooks is given longer than its drain deadline.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
etc=$top/etc/zinit

out=$("$ZINIT" check -c "$etc" 2>"$T/check.err")
assert_eq "$?" 0 "zinit check -c etc/zinit ($(cat "$T/check.err"))"
assert_eq "$out" "start order: zstor-log, zstor, wait_hooks, zdb, ns, fs
6 units, 0 problems" "zinit check -c etc/zinit"
assert_eq "$(cat "$T/check.err")" "" "stderr of zinit check"

# env_of UNIT: its env: entries as "KEY: value", quotes removed.
env_of() {
	awk '/^env:/ { on = 1; next } on && /^  / { sub(/^  /, ""); gsub(/"/, ""); print; next } { on = 0 }' \
		"$etc/$1.yaml"
}
# key_of UNIT KEY: the value of a top-level key.
key_of() { sed -n "s/^$2: *//p" "$etc/$1.yaml"; }

[ -n "$(env_of zdb)" ] || fail "zdb.yaml has no env:"
assert_eq "$(env_of wait_hooks)" "$(env_of zdb)" "env: of wait_hooks.yaml and zdb.yaml"
documented=$(sed -n '/^## Settings/,/^## State/p' "$top/docs/QSFS.md" |
	awk -F'|' '/^\| `QSFS_/ { k = $2; v = $3; gsub(/[ `]/, "", k); gsub(/^ *`|` *$/, "", v); print k ": " v }')
[ "$(echo "$documented" | wc -l)" -ge 10 ] || fail "docs/QSFS.md settings table not found: $documented"
assert_eq "$(env_of zdb)" "$documented" "zdb.yaml env: against the settings table of docs/QSFS.md"

drain=$(env_of wait_hooks | sed -n 's/^QSFS_DRAIN_TIMEOUT: //p')
[ "$(key_of wait_hooks shutdown_timeout)" -gt "$drain" ] ||
	fail "wait_hooks shutdown_timeout $(key_of wait_hooks shutdown_timeout) <= QSFS_DRAIN_TIMEOUT $drain"

# every unit says why at its top, right after the SPDX line; the built-ins are called by path
for u in zstor-log zstor wait_hooks zdb ns fs; do
	[ "$(sed -n 2p "$etc/$u.yaml" | cut -c1-2)" = "# " ] || fail "$u.yaml has no comment at its top"
done
assert_eq "$(key_of ns exec)" "/sbin/zinit ns" "ns exec"
# zdb and zdbfs log with stdio: on a pseudo-terminal each line reaches docker logs at once
assert_eq "$(key_of zdb tty)" true "zdb.yaml tty"
assert_eq "$(key_of fs tty)" true "fs.yaml tty"
# zstor logs to files only: zstor-log shows both in docker logs, and zstor waits for it
assert_eq "$(key_of zstor after)" "[zstor-log]" "zstor after"
assert_eq "$(key_of zstor-log exec)" \
	"/sbin/zinit follow --ready /var/run/zstor-log.sock /data/zstor.log /data/qsfs/zstor.log" \
	"zstor-log exec"
assert_eq "$(key_of zstor-log test)" "/sbin/zinit probe unix /var/run/zstor-log.sock" \
	"zstor-log test: its ready socket (zstor starts once both files have their start position)"
assert_eq "$(key_of zstor-log log)" stdout "zstor-log log"
assert_eq "$(key_of zstor exec | grep -o -- '--log_file [^ ]*')" "--log_file /data/zstor.log" \
	"zstor's log file is the one zstor-log follows"
assert_eq "$(env_of zdb | sed -n 's/^QSFS_STATE_DIR: //p')/zstor.log" /data/qsfs/zstor.log \
	"the zstor CLI runs' log file (QSFS_STATE_DIR/zstor.log) is the other one"
assert_eq "$(grep -h '^test:' "$etc"/*.yaml | grep -c -v '^test: /sbin/zinit probe ')" 0 \
	"every test: is a /sbin/zinit probe"
