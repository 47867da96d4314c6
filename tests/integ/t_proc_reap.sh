# Reaping: orphans re-parent to zinit (PID 1 or subreaper; deviation from zinit: no subreaper there) and are reaped, no zombies; a non-reaping PID 1 control proves the zombie check can fail.
. "$(dirname "$0")/lib.sh"

# zombies_of PID: how many children of PID are zombies.
zombies_of() { ps -o stat= --ppid "$1" | grep -c '^Z'; }
has_zombie() { [ "$(zombies_of "$1")" -gt 0 ]; }
# Whether zinit's children are only the service (`sleep 1000`); a zombie shows as `[sleep] <defunct>`.
only_service() { [ "$(ps -o args= --ppid "$ZPID" | grep -cvx 'sleep 1000')" -eq 0 ]; }

# Negative control, without zinit: a PID 1 that never reaps (sleep) keeps an orphan's zombie,
# and the same check sees it.
unshare --pid --fork --mount-proc sh -c '(sh -c "sleep 0.2 &"); exec sleep 60' </dev/null 2>/dev/null &
ctl=$!
wait_until 10 pgrep -P "$ctl" >/dev/null || fail "control: no PID 1 under unshare"
ctl1=$(pgrep -P "$ctl" | head -n 1)
wait_until 10 has_zombie "$ctl1" || fail "control: the zombie check saw no zombie under a non-reaping PID 1"
kill -KILL "$ctl1"
wait "$ctl"

# 50 orphans (sleep 301, killed below: a spontaneous exit after N s would race with a slow
# machine's first look); then the service stays up
unit orph <<YAML
exec: sh -c 'i=0; while [ \$i -lt 50 ]; do (sleep 301 &); i=\$((i + 1)); done; touch $T/made; exec sleep 1000'
YAML
start_zinit
wait_file "$T/made"
# (an orphan is zinit's child from its fork on, but "sleep 301" only once it has exec'd)
orphans_now() { ps -o pid=,args= --ppid "$ZPID" | awk '$2 == "sleep" && $3 == 301 { print $1 }'; }
wait_until 10 eval '[ "$(orphans_now | wc -l)" -ge 50 ]'
orphans=$(orphans_now)
assert_eq "$(echo $orphans | wc -w)" 50 "orphans re-parented to zinit"
kill -TERM $orphans
# all reaped, none left as a zombie
wait_until 10 only_service || fail "orphans left under zinit: $(ps -o stat=,args= --ppid "$ZPID" | grep -vx '.*sleep 1000' | head -n 3)"
assert_eq "$(zombies_of "$ZPID")" 0 "zombies under zinit"
assert_no_line '^zinit: INFO orph exited'
assert_eq "$(count_lines '^zinit: INFO orph started')" 1 "orph starts"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
