"""Exit 0 when both the PostgreSQL and the Redis URL given answer; say which one does not."""

import sys


def postgres_answers(url):
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def redis_answers(url):
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


if __name__ == "__main__":
    postgres_url, redis_url = sys.argv[1], sys.argv[2]
    results = [postgres_answers(postgres_url), redis_answers(redis_url)]
    sys.exit(0 if all(results) else 1)
