"""/health/live and /health/ready (docs/deploy.md "Health checks"): up, and each dependency down."""

import uuid

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
LOCAL_REDIS = "redis://127.0.0.1:6379/13"


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def test_live_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_answers_ok_when_every_dependency_answers(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "tasks": "ok"},
    }
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/health/live", "/health/ready"])
def test_probes_need_no_allowed_host_no_https_and_no_session(client, settings, path):
    """A Kubernetes probe sends the pod's address as Host, over plain HTTP, with no cookie."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["mentora.example.org"]
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert "Set-Cookie" not in response and not response.cookies
    assert "Content-Security-Policy" not in response


def test_pages_still_refuse_an_unknown_host(client, settings):
    settings.ALLOWED_HOSTS = ["mentora.example.org"]
    assert client.get("/accounts/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.mark.parametrize("path", ["/health/live", "/health/ready", "/metrics"])
def test_only_get_and_head_are_accepted(client, path):
    response = client.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_ready_is_503_when_the_database_is_unreachable(client, monkeypatch):
    """The check opens a connection of its own: one to a port where no database listens fails."""
    database = connections["default"].settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        monkeypatch.setitem(database, "NAME", "/nonexistent-folder/mentora.sqlite3")
    else:
        monkeypatch.setitem(database, "HOST", "127.0.0.1")
        monkeypatch.setitem(database, "PORT", "1")
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unavailable"
    # The reason (which names the database's file or host) goes to the log, not to the prober.
    assert "nonexistent" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_ready_is_503_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": UNREACHABLE_REDIS}
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable", "tasks": "ok"}
    assert "127.0.0.1:1" not in response.content.decode()


def test_ready_is_503_when_the_task_table_cannot_be_read(client, monkeypatch):
    """The database answers but the database task backend's table is missing (migrations not run)."""
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(DBTaskResult._meta, "db_table", "django_tasks_database_missing")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "tasks": "unavailable"}


def rq_tasks(settings, url: str) -> list[str]:
    queues = [f"ops-test-{uuid.uuid4().hex[:8]}", f"ops-test-{uuid.uuid4().hex[:8]}"]
    settings.RQ_QUEUES = {queue: {"URL": url} for queue in queues}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": queues}}
    return sorted(queues)


def test_ready_is_503_when_an_rq_queues_redis_is_unreachable(client, settings):
    first, second = rq_tasks(settings, UNREACHABLE_REDIS)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        f"tasks:{first}": "unavailable",
        f"tasks:{second}": "unavailable",
    }


@pytest.mark.skipif(not redis_answers(), reason=f"no Redis at {LOCAL_REDIS}")
def test_ready_checks_each_rq_queue_when_redis_answers(client, settings):
    first, second = rq_tasks(settings, LOCAL_REDIS)
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        f"tasks:{first}": "ok",
        f"tasks:{second}": "ok",
    }


@pytest.mark.skipif(not redis_answers(), reason=f"no Redis at {LOCAL_REDIS}")
def test_ready_checks_a_shared_redis_cache(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": LOCAL_REDIS}
    }
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"
