# SPDX-License-Identifier: MIT
# Process-tree helpers, sourced by the runner (its timeout watchdog) and by lib.sh (scenarios).

# descendants PID: every process under PID, one pid a line.
descendants() {
	local p
	for p in $(pgrep -P "$1"); do
		echo "$p"
		descendants "$p"
	done
}
