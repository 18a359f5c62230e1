"""The wallboard snapshot against hand-computed figures, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from callcenter.domain.calls import AgentState, Direction
from callcenter.domain.users import Actor, Role
from callcenter.kpi.live import LiveService, can_supervise
from tests.support.live_calls import add_call, add_people, set_state

ZONE = "America/New_York"
# Tuesday 10 March 2026, 11:00 in New York (EDT, UTC-4).
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def service(database) -> LiveService:
    return LiveService(database, Actor("sue"), ZONE, clock=lambda: NOW)


def test_a_board_with_nothing_on_it(database):
    ids = add_people(database)
    board = service(database).snapshot()
    assert board.taken_at == NOW
    assert board.day_start == datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
    assert [q.queue.name for q in board.queues] == ["Sales", "Support"]
    sales = board.queues[0]
    assert (sales.waiting, sales.oldest_queued_at, sales.longest_wait_s(NOW)) == (0, None, None)
    assert sales.today.offered == 0 and sales.today.service_level_pct is None
    assert sales.queue.service_level_threshold_s == 30 and sales.queue.id == ids["sales"]
    assert board.agents == ()


def test_waiting_calls_todays_figures_and_agents_by_state(database):
    ids = add_people(database)
    support, ann, bob, sue = ids["support"], ids["ann"], ids["bob"], ids["sue"]
    add_call(database, support, ago(600), wait_s=10, talk_s=60, agent_id=ann, acw_s=30)
    add_call(database, support, ago(540), abandon_after_s=40)
    add_call(database, support, ago(480), abandon_after_s=2)  # a short abandon
    add_call(database, support, ago(120), wait_s=25, agent_id=bob, caller="+12125550199")
    add_call(database, support, ago(90))  # waiting
    add_call(database, support, ago(30))  # waiting
    add_call(database, support, ago(20 * 3600), wait_s=5, talk_s=10, agent_id=ann)  # yesterday
    add_call(database, support, ago(2 * 86400))  # an orphan from two days ago: not waiting
    add_call(database, ids["sales"], ago(1), direction=Direction.OUTBOUND, agent_id=ann)
    set_state(database, ann, AgentState.AVAILABLE, ago(300))
    set_state(database, bob, AgentState.AVAILABLE, ago(3600))
    set_state(database, bob, AgentState.ON_CALL, ago(95))
    set_state(database, sue, AgentState.BREAK, ago(900), "Lunch")
    set_state(database, sue, AgentState.LOGGED_OUT, ago(60))

    board = service(database).snapshot()

    queues = {q.queue.name: q for q in board.queues}
    live = queues["Support"]
    assert live.waiting == 2
    assert live.oldest_queued_at == ago(90)
    assert live.longest_wait_s(NOW + timedelta(seconds=3)) == 93
    today = live.today
    assert (today.offered, today.answered, today.abandoned, today.short_abandoned) == (4, 2, 2, 1)
    assert today.service_level_pct == 33.3  # 1 within 20 s / (4 - 1)
    assert today.asa_s == 17.5  # (10 + 25) / 2
    assert today.abandon_rate_pct == 33.3  # (2 - 1) / (4 - 1)
    assert queues["Sales"].waiting == 0 and queues["Sales"].today.offered == 0

    agents = {a.login: a for a in board.agents}
    assert set(agents) == {"ann", "bob"}  # sue logged out
    assert agents["bob"].state == "on_call" and agents["bob"].team == "Red"
    assert agents["bob"].seconds_in_state(NOW) == 95
    call = agents["bob"].call
    assert call is not None
    # Shown as people read it: national format for a number of the home region.
    assert (call.queue, call.number, call.direction) == ("Support", "(212) 555-0199", "inbound")
    assert call.connected_at == ago(95)
    assert agents["ann"].state == "available" and agents["ann"].since == ago(300)
    # An outbound call dialled by ann and not ended is her current call.
    assert agents["ann"].call is not None and agents["ann"].call.direction == "outbound"
    assert board.agents_by_state() == {"available": 1, "on_call": 1}


def test_a_break_shows_its_reason(database):
    ids = add_people(database)
    set_state(database, ids["ann"], AgentState.BREAK, ago(61), "Coffee")
    (agent,) = service(database).snapshot().agents
    assert (agent.state, agent.reason, agent.seconds_in_state(NOW), agent.call) == (
        "break",
        "Coffee",
        61,
        None,
    )


def test_the_directory_lists_queues_teams_and_people(database):
    add_people(database)
    directory = service(database).directory()
    assert [q.name for q in directory.queues] == ["Sales", "Support"]
    assert [name for _, name in directory.teams] == ["Red"]
    people = {p.login: p for p in directory.people}
    assert people["ann"].role == "agent" and people["ann"].team_id == directory.teams[0][0]
    assert people["sue"].role == "supervisor" and people["sue"].team_id is None


def test_only_supervisors_and_admins_supervise():
    assert can_supervise(Role.SUPERVISOR) and can_supervise("admin")
    assert not can_supervise(Role.AGENT) and not can_supervise(None)


def test_the_wallboard_bench_scenario_reports_its_figures(sqlite_database):
    from callcenter.bench.registry import BenchContext, load_scenarios

    add_people(sqlite_database)
    registered = load_scenarios()["wallboard"]
    assert registered.on_request
    report = registered.run(BenchContext(sqlite_database, Actor("bench"), 0, "US"))
    assert report["n"] == 100 and report["queues"] == 2
    assert 0 < report["p50_ms"] <= report["p95_ms"] <= report["p99_ms"]
