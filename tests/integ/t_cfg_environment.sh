# /etc/environment is read through the same guarded reader as unit files: a FIFO there (or a
# socket, a device, a file over 1 MiB) is skipped with a WARN saying why, and zinit starts.
# zinit opened it blocking before: with a FIFO at the path, PID 1 hung at boot for ever.
. "$(dirname "$0")/lib.sh"

[ -e /etc/environment ] || { echo "SKIP: no /etc/environment to bind over"; exit 0; }
mkfifo "$T/fifo" || fail "mkfifo"
unit a <<YAML
exec: sh -c "touch $T/a.ran; exec sleep 1000"
YAML

# In a private mount namespace of zinit's own (both modes), the FIFO is bound over
# /etc/environment just before zinit is exec'd (unshare without --fork keeps the pid).
cat >"$T/wrap" <<SH
#!/bin/sh
exec unshare --mount --propagation private sh -c 'mount --bind "\$0" /etc/environment && exec "\$@"' "$T/fifo" "$ZINIT" "\$@"
SH
chmod +x "$T/wrap"
ZINIT=$T/wrap start_zinit

wait_line '^zinit: WARN skipping /etc/environment: not a regular file$'
wait_line '^zinit: INFO 1 units loaded from '
wait_file "$T/a.ran"
wait_out 10 "$(printf -- '---\na: Running')" zctl list

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
