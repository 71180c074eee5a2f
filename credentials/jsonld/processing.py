"""Run pyld with the bundled loader and turn its failures into `JsonLdError`."""

from collections.abc import Callable
from typing import Any, TypeVar

from pyld import jsonld

from . import caching
from .errors import JsonLdError, UnknownContextError
from .loader import document_loader

caching.install()

T = TypeVar("T")


def _own_cause(error: BaseException) -> JsonLdError | None:
    """Find a `JsonLdError` of ours that pyld wrapped in its own errors."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, JsonLdError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _describe(error: jsonld.JsonLdError) -> str:
    """Pick the most specific message pyld gave along its chain of causes."""
    messages = []
    current: BaseException | None = error
    while isinstance(current, jsonld.JsonLdError):
        code = getattr(current, "code", None)
        text = str(current.args[0]) if current.args else str(current)
        messages.append(f"{text} ({code})" if code else text)
        current = current.__cause__
    return messages[-1] if messages else str(error)


def run_pyld(operation: Callable[..., T], doc: Any, options: dict[str, Any], **extra: Any) -> T:
    """Call one pyld operation on `doc` with the bundled loader only."""
    if not isinstance(doc, dict):
        raise JsonLdError("a JSON-LD document must be a JSON object")
    if "@context" not in doc:
        raise JsonLdError("the document has no @context")
    return run_pyld_on_expanded(operation, doc, options, **extra)


def run_pyld_on_expanded(
    operation: Callable[..., T], doc: Any, options: dict[str, Any], **extra: Any
) -> T:
    """Call one pyld operation on `doc`, which may be expanded JSON-LD (no @context)."""
    options = {**options, "documentLoader": document_loader}
    try:
        return operation(doc, options, **extra)
    except JsonLdError:
        raise
    except RecursionError as error:
        raise JsonLdError("the document is nested too deeply to process") from error
    except jsonld.JsonLdError as error:
        own = _own_cause(error)
        if isinstance(own, UnknownContextError):
            raise UnknownContextError(own.url) from error
        if own is not None:
            raise JsonLdError(own.reason) from error
        raise JsonLdError(f"invalid JSON-LD: {_describe(error)}") from error
    # pyld trusts its input's shape; hostile documents can trip plain Python
    # errors deep inside it, and those must read as invalid input, not a crash.
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        raise JsonLdError(f"invalid JSON-LD: {type(error).__name__}: {error}") from error
