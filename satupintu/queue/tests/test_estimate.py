"""The waiting-time method (estimate.py) against a simulated day.

A day at a service with 3 counters: citizens arrive at random (seeded), service times
vary around 8 minutes. At every arrival we estimate with the stated method, using only
what the system would know then (the last 20 finished service times, the queue ahead);
afterwards we compare with the wait that really happened.
"""

import heapq
import random
import statistics

from satupintu.queue.estimate import estimate_wait_seconds


def simulate_day(*, counters=3, arrivals=180, mean_gap=160.0, mean_service=480.0, seed=7):
    rng = random.Random(seed)
    t = 0.0
    arrive = []
    for _ in range(arrivals):
        t += rng.expovariate(1 / mean_gap)
        arrive.append(t)
    service = [max(60.0, rng.gauss(mean_service, mean_service * 0.3)) for _ in arrive]
    free = [0.0] * counters  # when each counter is free next (a heap)
    heapq.heapify(free)
    start = []
    for a, s in zip(arrive, service, strict=True):  # FIFO, next free counter
        at = max(a, heapq.heappop(free))
        start.append(at)
        heapq.heappush(free, at + s)
    results = []
    for i, a in enumerate(arrive):
        finished = sorted((start[j] + service[j], service[j]) for j in range(i) if start[j] + service[j] <= a)
        recent = [s for _, s in finished[-20:]]
        ahead = sum(1 for j in range(i) if start[j] > a)  # still waiting when i arrives
        est = estimate_wait_seconds(ahead=ahead, durations=recent, open_counters=counters, default_s=600)
        results.append((est, start[i] - a))
    return results


def test_method_formula():
    assert estimate_wait_seconds(ahead=6, durations=[300, 600, 900], open_counters=3, default_s=0) == 1200
    assert estimate_wait_seconds(ahead=4, durations=[], open_counters=0, default_s=600) == 2400
    assert estimate_wait_seconds(ahead=0, durations=[1000], open_counters=2, default_s=600) == 0


def test_estimate_tracks_a_simulated_day():
    results = simulate_day()
    errors = [abs(est - real) for est, real in results]
    real_waits = [real for _, real in results]
    # The busy part of the day has real queues; the method must be useful there.
    assert statistics.mean(real_waits) > 300
    assert statistics.median(errors) < 0.25 * max(300, statistics.mean(real_waits)) + 180
    # better than the naive "same as the average wait so far" guess
    naive = [abs(statistics.mean(real_waits[:i]) - real) if i else real for i, (_, real) in enumerate(results)]
    assert statistics.mean(errors) < statistics.mean(naive)


def test_estimate_reacts_to_more_counters():
    slow = simulate_day(counters=2, mean_gap=260)
    fast = simulate_day(counters=4, mean_gap=260)
    assert statistics.mean(e for e, _ in fast) < statistics.mean(e for e, _ in slow)
