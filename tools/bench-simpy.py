#!/usr/bin/env python3
"""bench-simpy.py - `make bench`'s other yardstick: the model of
scenarios/bench.ini as a modeller would write it in SimPy (3.x, Debian's
python3-simpy3): a process per request, a Resource per pod.  The same
model as tools/bench-minimal.c (see there); it prints the same line.

  bench-simpy.py [PODS RATE SECONDS CONC QUEUE SERVICE_MS TIMEOUT_S]
  defaults: 100 2000 1800 4 50 40 5 (scenarios/bench.ini)
"""
import random
import sys

import simpy


def main():
    args = sys.argv[1:] + [None] * 7
    pods = int(args[0] or 100)
    rate = float(args[1] or 2000)
    end = float(args[2] or 1800)
    conc = int(args[3] or 4)
    queue = int(args[4] or 50)
    service = float(args[5] or 40) / 1000
    timeout = float(args[6] or 5)

    rng = random.Random(1)
    env = simpy.Environment()
    servers = [simpy.Resource(env, capacity=conc) for _ in range(pods)]
    count = {"requests": 0, "ok": 0, "rejected": 0, "timeout": 0,
             "waited": 0}
    latency = [0.0]

    def request(pod):
        arrival = env.now
        if pod.count >= conc:
            if len(pod.queue) >= queue:
                count["rejected"] += 1
                return
            count["waited"] += 1
        with pod.request() as slot:
            yield slot
            yield env.timeout(rng.expovariate(1 / service))
        # The client gave up at arrival + timeout; the pod served it anyway.
        if env.now - arrival > timeout:
            count["timeout"] += 1
        else:
            count["ok"] += 1
            latency[0] += env.now - arrival

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(rate))
            count["requests"] += 1
            env.process(request(servers[rng.randrange(pods)]))

    env.process(arrivals())
    env.run(until=end)
    ok = count["ok"]
    print("requests %d ok %d rejected %d timeout %d mean_ms %.3f wait_prob %.6f"
          % (count["requests"], ok, count["rejected"], count["timeout"],
             1000 * latency[0] / ok if ok else 0,
             count["waited"] / count["requests"] if count["requests"] else 0))


main()
