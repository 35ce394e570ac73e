# lava builder: Amazon Linux 2023 with Python 3.13 built from source (AL2023's own python3 is 3.9).
# Foreign worker bundles and Lambda zips for the amzn2023-py3.13 runtime are built in this image.
#   npx nx run builder-amzn2023-py3.13:build     (docker buildx, linux/amd64 + linux/arm64, pushed to localhost:5001)
# A private package index reaches pip as a build secret, never as an ARG or ENV: it stays out of
# every layer and out of `docker history`. The build target passes it when PIP_INDEX_URL is set.
FROM amazonlinux:2023

ARG PYTHON_VERSION=3.13.9

# Compilers and the -devel libraries the pinned requirements compile against: psycopg/PyGreSQL (libpq),
# pyodbc (unixODBC), cx_Oracle, cryptography/cffi (libffi, openssl), lxml (libxml2/libxslt).
RUN dnf -y groupinstall "Development Tools" \
 && dnf -y install tar gzip xz bzip2 findutils which \
      openssl-devel bzip2-devel libffi-devel sqlite-devel libedit-devel readline-devel zlib-devel xz-devel \
      libpq-devel unixODBC-devel libxml2-devel libxslt-devel \
 && dnf clean all && rm -rf /var/cache/dnf

RUN curl -fsSL "https://www.python.org/ftp/python/${PYTHON_VERSION}/Python-${PYTHON_VERSION}.tar.xz" -o /tmp/python.tar.xz \
 && mkdir /tmp/python && tar -xJf /tmp/python.tar.xz -C /tmp/python --strip-components=1 \
 && cd /tmp/python \
 && ./configure --enable-optimizations --with-readline=editline --with-platlibdir=lib64 --with-ensurepip=install \
 && make -j"$(nproc)" && make install \
 && cd / && rm -rf /tmp/python /tmp/python.tar.xz \
 && python3 --version | grep -q "^Python 3.13\."

RUN --mount=type=secret,id=PIP_INDEX_URL \
    PIP_INDEX_URL="$(cat /run/secrets/PIP_INDEX_URL 2>/dev/null || true)" \
    && if [ -n "$PIP_INDEX_URL" ]; then export PIP_INDEX_URL; else unset PIP_INDEX_URL; fi \
    && python3 -m pip install --no-cache-dir --upgrade pip setuptools wheel packaging

ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /lava/build
