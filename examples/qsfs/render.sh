# SPDX-License-Identifier: MIT
# Renders the image's units (etc/zinit/*.yaml) for the stand-ins on a local directory (sourced
# by examples/qsfs/demo.sh and tests/integ/qsfs_stack.sh): qsfs_render_units OUTDIR, with
# ZINIT, STANDINS (the stand-ins' build dir), H (what /data and /var/run become), MNT (zdbfs'
# mount point), PORT (zdb's) and DATASIZE (zdb's --datasize) set.
QSFS_ETC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../etc/zinit" && pwd)

qsfs_render_units() {
	local f
	for f in "$QSFS_ETC"/*.yaml; do
		sed -e "s|/sbin/zinit probe redis 127.0.0.1:9900|$ZINIT probe redis 127.0.0.1:$PORT|" \
			-e "s|/sbin/zinit ns|$ZINIT ns 127.0.0.1:$PORT|" \
			-e "s|/sbin/zinit|$ZINIT|g" \
			-e "s|^exec: zstor |exec: $STANDINS/zstor |" \
			-e "s|QSFS_ZSTOR: zstor|QSFS_ZSTOR: $STANDINS/zstor|" \
			-e "s|^exec: zdb --listen 127.0.0.1 --mode seq |exec: $STANDINS/zdb --listen 127.0.0.1 --port $PORT --mode seq |" \
			-e "s|--hook /bin/zdb-hook|--hook $H/bin/zdb-hook|" \
			-e "s|--datasize 16777216|--datasize $DATASIZE|" \
			-e "s|^exec: zdbfs |exec: $STANDINS/zdbfs -o port=$PORT |" \
			-e "s| /mnt\\( zdbfs\\)\\?$| $MNT\\1|" \
			-e "s|/var/run/|$H/|g" \
			-e "s|/data/|$H/|g" \
			"$f" >"$1/$(basename "$f")"
	done
	mkdir -p "$H/bin"
	ln -sf "$ZINIT" "$H/bin/zdb-hook"
}
