# SPDX-License-Identifier: MIT
# Chaos on the stack (issues 9 and 11): seeded runs, each SIGKILLing zdb, zstor or wait_hooks
# at a random moment of a write (zinit restarts it), then a stop. After every stop every file
# has a verified remote copy; after every start no local file was replaced; every write that
# reached zdb before the kill reads back. CHAOS_RUNS runs (3 here; `make chaos` runs 50) from
# CHAOS_SEED (printed: `CHAOS_SEED=N CHAOS_RUNS=1 tests/integ/run t_qsfs_chaos` replays one).
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"
RUNS=${CHAOS_RUNS:-3}
SEED0=${CHAOS_SEED:-$(($(date +%s) % 100000))}
pid_of() { zctl status "$1" | sed -n 's/^pid: //p'; }
# running_again NAME OLDPID: one status answer says Running with another pid (two requests
# could see Running before the kill was reaped, then pid 0 in the restart delay).
running_again() {
	zctl status "$1" 2>/dev/null | awk -v old="$2" '/^pid: /{p=$2} /^state: /{s=$2}
		END{exit !(s == "Running" && p != old && p != 0)}'
}
VICTIMS=(zdb zstor wait_hooks)
kept=()

for run in $(seq 1 "$RUNS"); do
	seed=$((SEED0 + run - 1))
	RANDOM=$seed
	victim=${VICTIMS[RANDOM % 3]}
	delay_ms=$((RANDOM % 600))
	size=$((50000 + RANDOM % 500000))
	echo "chaos run $run: CHAOS_SEED=$seed: SIGKILL $victim ${delay_ms} ms into a write of $size bytes"
	stack_start
	write_file "ok$run.bin" 200000 # reached zdb: must survive everything below
	kept+=("ok$run.bin")
	old=$(pid_of "$victim")
	bytes "$size" >"$T/x$run.bin.ref"
	in_ns cp "$T/x$run.bin.ref" "$MNT/x$run.bin" &
	writer=$!
	sleep "$(printf '0.%03d' "$delay_ms")" # the random point of the kill, by design
	kill -KILL "$(host_pid "$old")" || fail "seed $seed: no $victim to kill"
	wait "$writer"
	wait_until 60 running_again "$victim" "$old" || fail "seed $seed: $victim not restarted"
	if [ "$victim" = zdb ]; then # zdbfs does not reconnect to a new zdb
		zctl restart fs >/dev/null || fail "seed $seed: zinit restart fs"
		wait_until 30 fs_running || fail "seed $seed: fs did not come back"
	fi
	for f in "${kept[@]}"; do same_file "$f" || fail "seed $seed: $f lost"; done
	stack_stop 90
	assert_eq "$STATUS" 0 "seed $seed: exit status"
	uploaded >"$T/uploaded.out" || fail "seed $seed: $(cat "$T/uploaded.out")"
done
