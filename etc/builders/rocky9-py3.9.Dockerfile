# lava builder: Rocky Linux 9 with its own Python 3.9 (make's file was misnamed rocky9-p3.9).
# deprecated: Python 3.9 is past its end of life; use an amzn2023 runtime
#   npx nx run builder-rocky9-py3.9:build     (docker buildx, linux/amd64 + linux/arm64, pushed to localhost:5001)
# A private package index reaches pip as a build secret, never as an ARG or ENV: it stays out of
# every layer and out of `docker history`. The build target passes it when PIP_INDEX_URL is set.
FROM rockylinux:9

# CRB carries the -devel packages (unixODBC-devel, libpq-devel) the compiled requirements need.
RUN dnf -y install dnf-plugins-core && dnf config-manager --set-enabled crb \
 && dnf -y install python3 python3-devel python3-pip gcc gcc-c++ make tar bzip2 cpio findutils util-linux which \
      openssl-devel libffi-devel libpq-devel unixODBC-devel libxml2-devel libxslt-devel \
 && dnf clean all && rm -rf /var/cache/dnf \
 && python3 --version | grep -q '^Python 3\.9\.'

RUN --mount=type=secret,id=PIP_INDEX_URL \
    PIP_INDEX_URL="$(cat /run/secrets/PIP_INDEX_URL 2>/dev/null || true)" \
    && if [ -n "$PIP_INDEX_URL" ]; then export PIP_INDEX_URL; else unset PIP_INDEX_URL; fi \
    && python3 -m pip install --no-cache-dir --upgrade pip setuptools wheel packaging

ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /lava/build
