"""Rate limits counted in the product's own database: the sign-in limit is five failures per
address and login in all, whichever worker process or host each one reached, and the refusal
says when to try again."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from limits import RateLimitItemPerHour, RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from api.identity import signin
from api.limit_storage import WebStateLimitStorage, limits_uri
from api.web_state import create_web_tables, open_web_state
from infra.storage import Storage
from tests.api.conftest import error_of, make_user

ROOT = Path(__file__).resolve().parents[2]
WRONG = "guess guess guess"

# Another worker process on the same database: its own interpreter, app and memory.
FAIL_IN_ANOTHER_PROCESS = """
import re, sys
from pathlib import Path
from api import create_app
from infra.storage import Storage
app = create_app(Storage(database_url=sys.argv[1], data_dir=Path(sys.argv[2])))
browser = app.test_client()
for _ in range(int(sys.argv[3])):
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    print(browser.post("/login", data={"login": "lihua", "password": "guess guess guess",
                                       "csrf_token": token}).status_code)
app.extensions["sunlight"].close()
"""


def sign_in(client, password=WRONG, login="lihua", **options):
    page = client.get("/login", **options).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": token}, **options)


def fail_in_another_process(storage: Storage, times: int) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", FAIL_IN_ANOTHER_PROCESS, storage.database_url,
         str(storage.data_dir), str(times)],
        cwd=ROOT, env=os.environ | {"SUNLIGHT_CREATE_TABLES": "n"}, capture_output=True,
        text=True, timeout=120, check=True)
    return [int(line) for line in done.stdout.split()]


def waits(response) -> tuple[int, int]:
    """Retry-After, and the minutes the words say."""
    text = error_of(response)["message"]
    found = re.search(r"请在 (\d+) 分钟后再试|try again in (\d+) minutes", text)
    assert found, text
    return int(response.headers["Retry-After"]), int(found.group(1) or found.group(2))


# --- through the sign-in form ------------------------------------------------------------------

def test_failed_sign_ins_count_once_across_worker_processes(app, storage):
    make_user(app, "lihua", ("*", "auditor"))
    assert fail_in_another_process(storage, 3) == [401, 401, 401]
    browser = app.test_client()
    for _ in range(signin.MAX_FAILURES - 3):
        assert sign_in(browser).status_code == 401
    refused = sign_in(browser, password="a long password")  # even the right one, for a while
    assert refused.status_code == 429
    assert error_of(refused)["code"] == "too_many_requests"
    seconds, minutes = waits(refused)
    assert 0 < seconds <= signin.WINDOW and minutes == math.ceil(seconds / 60)
    # Another login from the same address is not held up by these.
    make_user(app, "zhang")
    assert sign_in(browser, login="zhang", password="a long password").status_code == 303


def test_the_refusal_says_when_in_the_readers_language(app):
    make_user(app, "lihua", ("*", "auditor"))
    browser = app.test_client()
    for _ in range(signin.MAX_FAILURES):
        assert sign_in(browser).status_code == 401
    chinese = sign_in(browser)
    assert chinese.status_code == 429 and "登录失败次数太多" in error_of(chinese)["message"]
    english = sign_in(browser, query_string={"lang": "en"})
    assert english.status_code == 429
    assert "Too many failed sign-ins" in error_of(english)["message"]
    assert waits(english)[1] == math.ceil(waits(english)[0] / 60)


def test_a_success_forgets_the_failures_and_a_stale_form_is_no_guess(app):
    make_user(app, "lihua", ("*", "auditor"))
    browser = app.test_client()
    for _ in range(signin.MAX_FAILURES - 1):
        assert sign_in(browser).status_code == 401
    assert browser.post("/login", data={"login": "lihua", "password": WRONG,
                                        "csrf_token": "stale"}).status_code == 403
    assert sign_in(browser, password="a long password").status_code == 303
    other = app.test_client()
    for _ in range(signin.MAX_FAILURES):
        assert sign_in(other).status_code == 401
    assert sign_in(other).status_code == 429


# --- the storage behind Flask-Limiter ----------------------------------------------------------

@pytest.fixture
def limit_stores(storage):
    """Two workers' stores over the same database, each with its own connections."""
    create_web_tables(storage)
    states = [open_web_state(storage), open_web_state(storage)]
    yield [WebStateLimitStorage(limits_uri(storage), web_state=state) for state in states]
    for state in states:
        state.close()


def test_the_storage_is_found_by_its_scheme(storage):
    create_web_tables(storage)
    found = storage_from_string(limits_uri(storage))
    assert isinstance(found, WebStateLimitStorage) and found.check()
    found.state.close()


def test_a_moving_window_is_one_count_whichever_worker_adds_to_it(limit_stores):
    first, second = MovingWindowRateLimiter(limit_stores[0]), MovingWindowRateLimiter(
        limit_stores[1])
    three_an_hour = RateLimitItemPerHour(3)
    assert first.hit(three_an_hour, "10.0.0.1") and first.hit(three_an_hour, "10.0.0.1")
    assert second.hit(three_an_hour, "10.0.0.1")
    assert not first.test(three_an_hour, "10.0.0.1")
    assert not second.hit(three_an_hour, "10.0.0.1")
    reset, remaining = first.get_window_stats(three_an_hour, "10.0.0.1")
    assert remaining == 0 and time.time() < reset <= time.time() + 3600
    assert first.hit(three_an_hour, "10.0.0.2")  # another key, another count
    second.clear(three_an_hour, "10.0.0.1")
    assert first.test(three_an_hour, "10.0.0.1")


def test_concurrent_hits_take_exactly_the_places_there_are(limit_stores):
    limiters = [MovingWindowRateLimiter(store) for store in limit_stores]
    five_an_hour = RateLimitItemPerHour(5)

    def hit(attempt: int) -> bool:
        return limiters[attempt % 2].hit(five_an_hour, "crowd")

    with ThreadPoolExecutor(max_workers=8) as pool:
        taken = list(pool.map(hit, range(24)))
    assert taken.count(True) == 5


def test_the_fixed_window_counts_and_resets_too(limit_stores):
    first, second = FixedWindowRateLimiter(limit_stores[0]), FixedWindowRateLimiter(
        limit_stores[1])
    two_a_minute = RateLimitItemPerMinute(2)
    assert first.hit(two_a_minute, "k") and second.hit(two_a_minute, "k")
    assert not first.hit(two_a_minute, "k")
    reset, remaining = second.get_window_stats(two_a_minute, "k")
    assert remaining == 0 and time.time() < reset <= time.time() + 60
    assert limit_stores[1].reset() == 1
    assert first.hit(two_a_minute, "k")
