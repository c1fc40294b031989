"""What the body checks cost a box score (issue 14): the parse (json.loads before issue 11,
orjson since), the depth walk, the NUL search, and the fast path that accepts a box score
without building it in Python (simdjson, the depth read off the brackets), per simulated
box score, in milliseconds of one core.

    python bench/body_checks.py
"""

from __future__ import annotations

import json
import time
from datetime import date

from pipeline.bodies import bracket_depth, json_depth_problem, parse_json, storable_at_a_glance
from pipeline.simulator.api import Simulator

ROUNDS = 200


def per_call_ms(work) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        work()
    return (time.perf_counter() - started) / ROUNDS * 1000


def main() -> None:
    sim = Simulator(seed=3, season=2024)
    day = date(2024, 4, 16)
    game = next(g for g in sim.games(day, day) if g["status"] == "Final")
    _, _, body = sim.handle("GET", f"/api/v1/game/{game['game_pk']}/boxscore", {}, {})
    document = json.loads(body)
    escape = b"\\u0000"
    print(f"box score of {len(body):,} bytes, {ROUNDS} rounds each")
    print(f"  json.loads (before issue 11)    {per_call_ms(lambda: json.loads(body)):6.2f} ms")
    print(f"  parse_json (orjson)             {per_call_ms(lambda: parse_json(body)):6.2f} ms")
    depth = per_call_ms(lambda: json_depth_problem(document, 100, look_for_nul=False))
    print(f"  depth walk (limit 100)          {depth:6.2f} ms")
    search = per_call_ms(lambda: escape in body)
    print(f"  search for the NUL escape       {search:6.2f} ms")
    print(f"  NUL walk (only when found)      {per_call_ms(lambda: json_depth_problem(document, 10**6)):6.2f} ms")
    print(f"  before: parse + walk + search   {per_call_ms(lambda: (parse_json(body), json_depth_problem(document, 100, look_for_nul=False), escape in body)):6.2f} ms")
    print(f"  depth off the brackets          {per_call_ms(lambda: bracket_depth(body, 100)):6.2f} ms")
    assert storable_at_a_glance(body, 100), "a box score passes the fast path"
    print(f"  now: the fast path (simdjson)   {per_call_ms(lambda: storable_at_a_glance(body, 100)):6.2f} ms")


if __name__ == "__main__":
    main()
