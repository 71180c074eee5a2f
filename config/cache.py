"""A Redis cache that keeps the site up when Redis is down.

Every cache error is logged and the call is answered by a fallback cache
(the database cache table), so pages keep working and rate limits keep
counting while Redis is away.
"""

import logging
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FailoverRedisCache(RedisCache):
    """Django's Redis cache, answering from a fallback cache when Redis fails."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias = options.pop("fallback")
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})

    def _failover(self, name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            logger.warning("cache %s failed over to %s: %s", name, self._fallback_alias, exc)
            return getattr(caches[self._fallback_alias], name)(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._failover("delete_many", *args, **kwargs)

    def clear(self) -> Any:
        return self._failover("clear")
