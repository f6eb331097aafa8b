"""Which workers of a distributed crawl are busy, kept in Redis, and when the crawl is over.

A distributed crawl is over when the shared request queue is empty *and* no
worker is busy: a busy worker may still push links.  Each worker keeps one
field in the hash ``<prefix>:workers`` — ``busy:<expires-ms>`` or
``idle:<expires-ms>`` — refreshed by a heartbeat, so a worker that died
(``kill -9``, a lost machine) stops counting once its entry expires.

The order of operations makes the check safe without locks: a worker marks
itself busy *before* it pops a request and idle only when its own engine is
idle (no download, callback or item in flight), and :meth:`finished` reads the
queue and every state in one Lua script, i.e. one atomic snapshot.  Times come
from the Redis server (``TIME``), so clocks of different machines do not matter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis import Redis

_NOW_MS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS[1] workers hash; ARGV: worker id, state, timeout in ms.
_SET_STATE = _NOW_MS + """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
return 1
"""

# KEYS[1] request queue (sorted set), KEYS[2] workers hash.
_FINISHED = _NOW_MS + """
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local state, expires = string.match(all[i + 1], '^(%a+):(%d+)$')
  if state == 'busy' and tonumber(expires) > now then return 0 end
end
return 1
"""

# KEYS[1] workers hash, KEYS[2..] the crawl's keys; ARGV: worker id, '1' when the crawl finished.
# Entries of dead workers (expired) are pruned so they cannot keep the keys alive.
_LEAVE = _NOW_MS + """
redis.call('HDEL', KEYS[1], ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local expires = string.match(all[i + 1], ':(%d+)$')
  if tonumber(expires) <= now then redis.call('HDEL', KEYS[1], all[i]) end
end
local remaining = redis.call('HLEN', KEYS[1])
if ARGV[2] == '1' and remaining == 0 then
  redis.call('DEL', unpack(KEYS))
  return {1, 0}
end
return {0, remaining}
"""

# Sent by the distributed scheduler as a worker leaves the crawl (after its
# pipelines closed, before ``spider_closed``), with ``last=True`` when no
# other live worker remains: work done once per crawl, on what every worker
# stored (cross-article entity linking), belongs to that worker.
worker_left = object()


class WorkerRegistry:
    """One worker's view of the shared worker states.

    ``crawl_keys`` are deleted by the last worker leaving a finished crawl, so
    the next crawl starts with an empty frontier and fingerprint set.
    """

    def __init__(self, server: Redis, workers_key: str, worker_id: str, timeout: float, crawl_keys: list[str]):
        self.server = server
        self.workers_key = workers_key
        self.worker_id = worker_id
        self.timeout_ms = int(timeout * 1000)
        self.crawl_keys = crawl_keys
        self.state = "busy"
        self.was_last = False  # set by leave()
        self._set_state = server.register_script(_SET_STATE)
        self._finished = server.register_script(_FINISHED)
        self._leave = server.register_script(_LEAVE)

    def mark(self, state: str) -> None:
        self.state = state
        self.heartbeat()

    def heartbeat(self) -> None:
        self._set_state(keys=[self.workers_key], args=[self.worker_id, self.state, self.timeout_ms])

    def finished(self, queue_key: str) -> bool:
        """True when the queue is empty and no live worker is busy."""
        return bool(self._finished(keys=[queue_key, self.workers_key]))

    def leave(self, crawl_finished: bool) -> bool:
        """Remove this worker; True when it was the last one and the crawl's keys were deleted.

        Afterwards ``was_last`` says whether no other live worker remained.
        """
        keys = [self.workers_key, *self.crawl_keys]
        deleted, remaining = self._leave(keys=keys, args=[self.worker_id, "1" if crawl_finished else "0"])
        self.was_last = int(remaining) == 0
        return bool(deleted)
