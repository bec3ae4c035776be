#!/usr/bin/env bash
# The Containerfile's base image made from a Debian mirror, for a centre whose machines cannot
# reach Docker Hub (blocked or slow from many networks in China) but can reach a Debian mirror:
# Debian bookworm with its own Python 3.11, venv and pip, the same release and Python as
# python:3.11-slim-bookworm. Then build with it (docs/deploy.md, "Without Docker Hub"):
#
#   sudo deploy/base-image.sh [MIRROR]      # default http://deb.debian.org/debian
#   buildah bud --build-arg PYTHON_IMAGE=localhost/sunlight-base:bookworm \
#       -f deploy/Containerfile -t sunlight-ledger:0.1.0 .
#
# Needs root, debootstrap, and one of podman, buildah or docker (the image is imported there).
# Where a proxy re-signs TLS, the host's CA bundle is copied in so that pip inside trusts it.
set -euo pipefail
MIRROR=${1:-http://deb.debian.org/debian}
TAG=${TAG:-localhost/sunlight-base:bookworm}
root=$(mktemp -d /tmp/sunlight-base.XXXXXX)
trap 'rm -rf "$root" "$root.log"' EXIT

debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
    bookworm "$root" "$MIRROR" >"$root.log" 2>&1 || { cat "$root.log" >&2; exit 1; }
echo "deb $MIRROR bookworm main" >"$root/etc/apt/sources.list"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
# A container's Python is its own: pip may install into it (the build stage's `pip wheel` and the
# runtime's venv never touch the system's packages anyway).
rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
"$root/usr/bin/python" --version

for engine in podman buildah docker; do
    if command -v "$engine" >/dev/null; then
        case $engine in
            buildah) container=$(buildah from scratch)
                     buildah copy "$container" "$root" / >/dev/null
                     buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
                         --cmd python "$container"
                     buildah commit --quiet "$container" "$TAG"
                     buildah rm "$container" >/dev/null ;;
            *) tar -C "$root" -c . | "$engine" import --change 'CMD ["python"]' - "$TAG" ;;
        esac
        echo "base image $TAG made with $engine"
        exit 0
    fi
done
echo "no podman, buildah or docker here to import the base image into" >&2
exit 1
