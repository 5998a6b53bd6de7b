#!/usr/bin/env bash
# The tests run against real PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379).
# Start either one if it is installed but stopped; say what is missing, and how to install it, otherwise.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379

listening() {  # listening <port>: is something accepting connections on 127.0.0.1:<port>?
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_for() {  # wait_for <port> <name>
    for _ in $(seq 1 60); do
        listening "$1" && return 0
        sleep 0.5
    done
    echo "$2 did not start listening on 127.0.0.1:$1 within 30 s." >&2
    return 1
}

missing=()

if listening "$PG_PORT"; then
    echo "PostgreSQL: running on $PG_HOST:$PG_PORT"
elif command -v pg_ctlcluster >/dev/null && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    echo "PostgreSQL $version: installed but stopped; starting it"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_for "$PG_PORT" PostgreSQL
else
    missing+=("PostgreSQL: not installed. Install it with: sudo apt-get install -y postgresql
    (or run one yourself and point TEST_DATABASE_URL at it, e.g. postgres://postgres@127.0.0.1:5432/salesdept;
    the user needs the right to create databases)")
fi

if listening "$REDIS_PORT"; then
    echo "Redis: running on 127.0.0.1:$REDIS_PORT"
elif command -v redis-server >/dev/null; then
    echo "Redis: installed but stopped; starting it"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for "$REDIS_PORT" Redis
else
    missing+=("Redis: not installed. Install it with: sudo apt-get install -y redis-server
    (or run one yourself and point TEST_REDIS_URL at it, e.g. redis://127.0.0.1:6379/5)")
fi

if [ "${#missing[@]}" -gt 0 ]; then
    echo >&2
    echo "The tests need real PostgreSQL and Redis, and these are missing:" >&2
    for item in "${missing[@]}"; do
        echo "  - $item" >&2
    done
    exit 1
fi
