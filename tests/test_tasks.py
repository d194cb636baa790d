from config.celery import ping


def test_a_task_round_trips_through_redis_and_a_real_worker(celery_worker):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"
