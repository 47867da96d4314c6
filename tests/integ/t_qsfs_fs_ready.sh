# SPDX-License-Identifier: MIT
# fs is Running only once zdbfs is the mount on top of its mount point, even where that is a
# mount point before zdbfs mounts (docker-compose.yml binds a host directory onto /mnt): a bare
# mount-point test passed at once, and files written then went to the host directory, hidden
# under zdbfs and never uploaded. The stand-in zdbfs mounts 2 s late here.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"

mkdir -p "$T/host"
mount --bind "$T/host" "$MNT" || fail "cannot bind a directory onto $MNT"
trap 'umount -l "$MNT" 2>/dev/null; umount -l "$MNT" 2>/dev/null; cleanup' EXIT
UNIT_TWEAKS='printf "env:\n  ZDBFS_STANDIN_MOUNT_DELAY_MS: \"2000\"\n" >>"$D/fs.yaml"'
stack_start
# the source of the mount on top of $MNT where zinit runs (zdbfs mounted in its namespace)
top_source() { awk -v p="$MNT" '$5 == p { s = $(NF - 1) } END { print s }' "/proc/$UPID/mountinfo"; }
assert_eq "$(top_source)" zdbfs "the mount on top of $MNT once fs is Running"
# while only the bind was there, fs' test said what it found (on zinit's stderr)
wait_line "^\[-\] fs/test: zinit: probe mount $MNT zdbfs: the mount on top is [^ ]+ from [^ ]+, not zdbfs" "$T/err"
write_file a.bin 100000
assert_eq "$(ls -A "$T/host")" "" "files in the host directory under zdbfs"
stack_stop
assert_eq "$STATUS" 0 "exit status after the drain"
assert_uploaded
