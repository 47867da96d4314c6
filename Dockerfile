# SPDX-License-Identifier: MIT
# The QSFS image: zinit as PID 1 over zstor, zdb (0-db) and zdbfs (0-db-fs), no shell scripts.
#
#   docker build -t qsfs .                           # storage binaries from upstream releases:
#     --build-arg ZDB_SHA256=... --build-arg ZDBFS_SHA256=... --build-arg ZSTOR_SHA256=...
#   docker build -t qsfs --build-arg BINARIES=context --build-arg BINARIES_DIR=DIR .
#                                                    # zdb, zdbfs, zstor from DIR of the context
ARG BINARIES=release

# ---- zinit, fully static ----
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        gcc libc6-dev make pkg-config libuv1-dev libyaml-dev libjansson-dev libhiredis-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY include include
COPY src src
RUN make static && strip build-static/zinit

# ---- the storage binaries, from their releases, each checked against a pinned sha256 ----
FROM debian:bookworm-slim AS binaries-release
ARG ZDB_VERSION=2.0.5
ARG ZDBFS_VERSION=0.1.11
ARG ZSTOR_VERSION=0.4.0
ARG ZDB_SHA256=
ARG ZDBFS_SHA256=
ARG ZSTOR_SHA256=
# No pinned checksum, no build: checked first, so that an offline build says so, not that
# apt-get could not reach its mirror.
RUN set -eu; \
    need() { [ -n "$2" ] || { echo "no sha256 for $1: build with --build-arg $(echo "$1" | tr a-z A-Z)_SHA256=..." >&2; exit 1; }; }; \
    need zdb "$ZDB_SHA256"; need zdbfs "$ZDBFS_SHA256"; need zstor "$ZSTOR_SHA256"
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /out
# fetch NAME URL SHA256: refuses to go on with a wrong checksum.
RUN set -eu; \
    fetch() { \
        curl -fsSL -o "$1" "$2"; \
        echo "$3  $1" | sha256sum -c - || { echo "$1: sha256 mismatch for $2" >&2; exit 1; }; \
        chmod 755 "$1"; }; \
    fetch zdb "https://github.com/threefoldtech/0-db/releases/download/v${ZDB_VERSION}/zdb-${ZDB_VERSION}-linux-amd64-static" "$ZDB_SHA256"; \
    fetch zdbfs "https://github.com/threefoldtech/0-db-fs/releases/download/v${ZDBFS_VERSION}/zdbfs-${ZDBFS_VERSION}-amd64-linux-static" "$ZDBFS_SHA256"; \
    fetch zstor "https://github.com/threefoldtech/0-stor_v2/releases/download/v${ZSTOR_VERSION}/zstor_v2-x86_64-linux-musl" "$ZSTOR_SHA256"

# ---- the storage binaries, from a directory of the build context (tests: the stand-ins) ----
FROM scratch AS binaries-context
ARG BINARIES_DIR=binaries
COPY ${BINARIES_DIR}/zdb ${BINARIES_DIR}/zdbfs ${BINARIES_DIR}/zstor /out/

FROM binaries-${BINARIES} AS binaries

# ---- the runtime ----
FROM debian:bookworm-slim
# fuse3: fusermount3, which zdbfs's auto_unmount runs; ca-certificates: zstor's TLS backends.
RUN apt-get update && apt-get install -y --no-install-recommends fuse3 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build-static/zinit /sbin/zinit
COPY --from=binaries /out/zdb /out/zdbfs /out/zstor /usr/bin/
COPY rootfs/ /
COPY etc/zinit/ /etc/zinit/
VOLUME /data
STOPSIGNAL SIGTERM
# 15 min: a start may first finish a cut-short drain and restore missing files, minutes on a
# slow backend; failed checks then do not make it "unhealthy" (the first passing one ends it).
HEALTHCHECK --interval=5s --timeout=3s --start-period=15m CMD ["/sbin/zinit", "healthcheck"]
ENTRYPOINT ["/sbin/zinit", "init", "--container"]
LABEL org.opencontainers.image.title="qsfs" \
      org.opencontainers.image.description="QSFS: zdbfs over 0-db, backed up by zstor, supervised by zinit (C)" \
      org.opencontainers.image.licenses="MIT"
