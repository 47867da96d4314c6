#!/bin/sh
# SPDX-License-Identifier: MIT
# A fake zstor CLI for the QSFS scenarios (stands in until tests/standins/zstor lands):
#   fake_zstor.sh -c CFG store [-s] -f FILE [-k KEYDIR] | check -f KEY | retrieve -f PATH
# CFG has a line `remote = "DIR"`; the object of key /a/b is DIR/files/a/b. Every call is
# appended to DIR/calls as "CMD KEY". Knobs, lines in DIR/.knobs: fail=GLOB (store and
# retrieve of a matching key fail), store_delay_ms=N, retrieve_delay_ms=N,
# retrieve_corrupt=1 (retrieve writes other bytes: a checksum mismatch), check_linger=1
# (check leaves a process holding its stdout, pid in DIR/linger.pid).
set -u
[ "$1" = -c ] || { echo "fake zstor: -c CFG first" >&2; exit 2; }
remote=$(sed -n 's/^remote *= *"\(.*\)"/\1/p' "$2")
shift 2
cmd=$1
shift
file= keydir=
while [ $# -gt 0 ]; do
	case $1 in
	-f | --file) file=$2; shift 2 ;;
	-k | --key-path) keydir=$2; shift 2 ;;
	*) shift ;;
	esac
done
key=$file
[ -n "$keydir" ] && key=$keydir/$(basename "$file")
echo "$cmd $key" >>"$remote/calls"
knob() { sed -n "s/^$1=//p" "$remote/.knobs" 2>/dev/null | tail -n 1; }
failing() {
	for g in $(sed -n 's/^fail=//p' "$remote/.knobs" 2>/dev/null); do
		# shellcheck disable=SC2254
		case $key in $g) return 0 ;; esac
	done
	return 1
}
pause() { [ -n "$1" ] && sleep "$(awk -v ms="$1" 'BEGIN { print ms / 1000 }')"; }
obj=$remote/files$key
case $cmd in
store)
	pause "$(knob store_delay_ms)"
	failing && { echo "Zstor error: fake failure for $key" >&2; exit 1; }
	mkdir -p "$(dirname "$obj")" && cp "$file" "$obj.part" && mv "$obj.part" "$obj"
	;;
check)
	if [ "$(knob check_linger)" = 1 ]; then
		sleep 60 &
		echo $! >"$remote/linger.pid"
	fi
	[ -f "$obj" ] && b2sum -l 128 "$obj" | cut -d' ' -f1
	exit 0
	;;
retrieve)
	pause "$(knob retrieve_delay_ms)"
	failing && { echo "Zstor error: fake failure for $key" >&2; exit 1; }
	[ -f "$obj" ] || { echo "Zstor error: no metadata found for file" >&2; exit 1; }
	cp "$obj" "$file"
	[ "$(knob retrieve_corrupt)" = 1 ] && echo corrupted >>"$file"
	exit 0
	;;
*) echo "fake zstor: unknown command $cmd" >&2; exit 2 ;;
esac
