"""Keep pyld from doing the same JSON-LD work twice in a process.

Profiling the verifier (docs/performance.md) showed most of a credential's
time in pyld re-processing contexts it had already processed, and in
expanding the same document several times:

- pyld caches a processed context under the id of the active context it was
  applied to, but a type-scoped context (every OB 3.0 class has one) is
  applied to a fresh non-propagating copy with a new id each time, so it is
  processed again for every node of every document. `_process_context` is
  memoised here on the finished (frozen, hence immutable) active context it
  starts from and the very context object applied.
- the verifier expands a credential to refuse undefined terms and then
  canonicalizes it, which expands it again; `expand_cached` keeps recent
  expansions keyed by the document's JSON text.

Both caches live exactly as long as pyld's own resolved-context cache: whoever
replaces that (a test counting loads) starts these afresh too. A context object
is remembered by identity, so it must not change after use: true of the bundled
contexts and of the copies pyld makes of each document it expands.
"""

import json
from collections.abc import Callable
from typing import Any

from cachetools import LRUCache
from frozendict import frozendict
from pyld import jsonld

_PROCESSED_MAX = 2048
# The reuse is immediate (the structure check, then the proof, of one credential), so a
# few entries are enough, and they bound the memory a large CLR's expansion can hold.
_EXPANDED_MAX = 8

_original_process_context: Callable[..., Any] = jsonld.JsonLdProcessor._process_context


class _Caches:
    """The memo tables, tied to the pyld resolved-context cache they were filled from."""

    def __init__(self) -> None:
        self.owner: object = None
        self.processed: LRUCache[tuple[Any, ...], tuple[Any, Any]] = LRUCache(_PROCESSED_MAX)
        self.expanded: LRUCache[tuple[str, str], list[Any]] = LRUCache(_EXPANDED_MAX)

    def current(self) -> "_Caches":
        """Empty the tables when pyld's resolved-context cache was replaced."""
        owner = jsonld._resolved_context_cache
        if owner is not self.owner:
            self.processed.clear()
            self.expanded.clear()
            self.owner = owner
        return self


_caches = _Caches()


def _local_key(local_ctx: Any) -> tuple[str, Any] | None:
    """Name a local context: URLs by value, an object by identity (it is pinned in the memo)."""
    if isinstance(local_ctx, str):
        return ("url", local_ctx)
    if isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
        return ("urls", tuple(local_ctx))
    if isinstance(local_ctx, dict | frozendict | list):
        return ("object", id(local_ctx))
    return None


def _process_context(
    self: jsonld.JsonLdProcessor,
    active_ctx: Any,
    local_ctx: Any,
    options: dict[str, Any],
    override_protected: bool = False,
    propagate: bool = True,
    validate_scoped: bool = True,
    cycles: set[str] | None = None,
) -> Any:
    """pyld's `_process_context`, answered from the memo when it has seen the same inputs."""
    local = _local_key(local_ctx)
    # Only a finished active context is frozen; one still being built changes under its id.
    if cycles or local is None or not isinstance(active_ctx, frozendict):
        return _original_process_context(
            self,
            active_ctx,
            local_ctx,
            options,
            override_protected,
            propagate,
            validate_scoped,
            cycles,
        )
    key = (
        active_ctx.get("_uuid"),
        local,
        override_protected,
        propagate,
        validate_scoped,
        options.get("base"),
        options.get("processingMode"),
    )
    table = _caches.current().processed
    hit = table.get(key)
    if hit is not None and (local[0] != "object" or hit[0] is local_ctx):
        return hit[1]
    result = _original_process_context(
        self, active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
    )
    if isinstance(result, frozendict):
        table[key] = (local_ctx, result)
    return result


def install() -> None:
    """Route pyld's context processing through the memo (idempotent)."""
    jsonld.JsonLdProcessor._process_context = _process_context


def expand_cached(doc: dict[str, Any], base: str, expand: Callable[[], list[Any]]) -> list[Any]:
    """Return `expand()`'s result for `doc`, reusing one computed for the same JSON text.

    The result is shared: callers read it and never change it.
    """
    try:
        text = json.dumps(doc, sort_keys=True, ensure_ascii=False, allow_nan=False)
    # Too deep or not JSON: pyld refuses it in its own words, uncached.
    except (TypeError, ValueError, RecursionError):
        return expand()
    table = _caches.current().expanded
    key = (base, text)
    found = table.get(key)
    if found is None:
        found = expand()
        table[key] = found
    return found
