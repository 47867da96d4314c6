# `tty: true` (our extension): the service's stdout is a pseudo-terminal, so a program using
# stdio (here python3) line-buffers and each line reaches zinit's stdout while it runs; without
# it the same program's line waits in its buffer until it exits. Raw mode: no \r is added. Its
# stderr stays a pipe with its own prefix. Every line written just before the exit arrives, in
# order; a line longer than the terminal's 4 KiB line buffer arrives whole. Where no
# pseudo-terminal can be had, a warning names the service and it runs on a pipe.
. "$(dirname "$0")/lib.sh"

# printer.py DIR NAME: prints with print(), never flushed (PYTHONUNBUFFERED unset), two lines,
# touches DIR/NAME.printed, waits for DIR/NAME.release, prints a third line.
cat >"$T/printer.py" <<'EOF2'
import os, sys, time
d, name = sys.argv[1], sys.argv[2]
print("isatty=%s" % sys.stdout.isatty())
print("line one")
sys.stderr.write("err line\n")
open(os.path.join(d, name + ".printed"), "w").close()
while not os.path.exists(os.path.join(d, name + ".release")):
    time.sleep(0.05)
print("line two")
EOF2
for name in ontty onpipe; do
	tty=false
	[ $name = ontty ] && tty=true
	unit $name <<YAML
exec: env -u PYTHONUNBUFFERED python3 $T/printer.py $T $name
log: stdout
oneshot: true
tty: $tty
YAML
done
# many lines and a long one, written just before the exit; three times, as the lines a terminal
# still holds when its writer goes were lost in about half the runs (libuv ends the stream at
# the hang-up after a short read)
for b in 1 2 3; do
	unit burst$b <<YAML
exec: sh -c "seq 1 5000; head -c 10000 /dev/zero | tr '\\\\0' x; echo; echo end"
log: stdout
oneshot: true
tty: true
YAML
done

start_zinit
wait_file "$T/ontty.printed"
wait_file "$T/onpipe.printed"
# on the terminal the lines arrive while python3 still runs
wait_line '^\[\+\] ontty: line one$'
assert_line '^\[\+\] ontty: isatty=True$'
# on the pipe the line is still in python3's buffer: it has printed it, and not exited
assert_no_line 'onpipe: (isatty|line one)'
wait_line '^\[-\] onpipe: err line$' "$T/err"
wait_line '^\[-\] ontty: err line$' "$T/err"
assert_no_line 'err line' "$T/out"
touch "$T/ontty.release" "$T/onpipe.release"
wait_line '^zinit: INFO oneshot onpipe succeeded'
wait_line '^\[\+\] onpipe: line one$'
assert_line '^\[\+\] onpipe: isatty=False$'
wait_line '^\[\+\] ontty: line two$'
long=$(head -c 10000 /dev/zero | tr '\0' x)
for b in 1 2 3; do
	wait_line "^zinit: INFO oneshot burst$b succeeded"
	wait_line "^\[\+\] burst$b: end\$"
	got=$(grep -a -E "^\[\+\] burst$b: [0-9]+\$" "$T/out" | sed 's/.*: //')
	[ "$got" = "$(seq 1 5000)" ] || fail "burst$b: $(echo "$got" | wc -l) lines, not 1..5000 in order"
	assert_eq "$(grep -a -c -x "\[+\] burst$b: $long" "$T/out")" 1 "burst$b's 10000-byte line, whole"
done
assert_eq "$(grep -a -c $'\r' "$T/out")" 0 "lines with a carriage return"
assert_no_line 'pseudo-terminal' "$T/out"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"

# no pseudo-terminal to be had (/dev/ptmx is /dev/null): a warning, and a pipe. Only as PID 1:
# the bind mount needs the test's own mount namespace.
if [ "$MODE" = pid1 ]; then
	rm -f "$T"/*.printed "$T"/*.release
	PRE_EXEC="mount --bind /dev/null /dev/ptmx"
	start_zinit
	wait_line '^zinit: WARN ontty: no pseudo-terminal for its stdout \(.+\): a pipe instead'
	wait_file "$T/ontty.printed"
	touch "$T/ontty.release" "$T/onpipe.release"
	wait_line '^zinit: INFO oneshot ontty succeeded'
	wait_line '^\[\+\] ontty: isatty=False$'
	wait_line '^\[\+\] ontty: line two$'
	stop_zinit TERM
	assert_eq "$STATUS" 0 "exit status without a pseudo-terminal"
fi
