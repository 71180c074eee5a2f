"""Expansion that refuses data the contexts do not define (it would go unsigned)."""

import re
from typing import Any

from pyld import jsonld

from .caching import expand_cached
from .errors import JsonLdError
from .processing import run_pyld

# pyld resolves relative IRIs against a made-up base when none is given, which
# would hide them; this base makes every relative reference recognisable.
_SENTINEL_BASE = "https://relative-reference.invalid/"

# An absolute IRI has a scheme and no whitespace; "_:" marks a blank node.
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


def _is_absolute(iri: Any) -> bool:
    """Tell whether `iri` is an absolute IRI (not a blank node)."""
    return (
        isinstance(iri, str)
        and not iri.startswith(("_:", _SENTINEL_BASE))
        and bool(_ABSOLUTE_IRI.match(iri))
    )


def _is_node_ref(iri: Any) -> bool:
    """Tell whether `iri` can name a node in RDF: an absolute IRI or a blank node."""
    return isinstance(iri, str) and (iri.startswith("_:") or _is_absolute(iri))


def _check_value_object(value: dict[str, Any], path: str) -> None:
    """Refuse a literal whose datatype is not an absolute IRI."""
    datatype = value.get("@type")
    if datatype is not None and datatype != "@json" and not _is_absolute(datatype):
        raise JsonLdError(f"undefined datatype {_shown(datatype)} at {path}")


def _shown(iri: Any) -> str:
    """Show an IRI as the document wrote it, without the sentinel base."""
    if isinstance(iri, str) and iri.startswith(_SENTINEL_BASE):
        return repr(iri[len(_SENTINEL_BASE) :])
    return repr(iri)


def _check(element: Any, path: str) -> None:
    """Walk expanded JSON-LD and refuse anything that would not reach the RDF."""
    if isinstance(element, list):
        for index, item in enumerate(element):
            _check(item, f"{path}[{index}]")
        return
    if not isinstance(element, dict):
        return
    if "@index" in element:
        raise JsonLdError(
            f"index map key {element['@index']!r} at {path} is not covered by a signature"
        )
    if "@value" in element:
        _check_value_object(element, path)
        return
    if "@list" in element or "@set" in element:
        _check(element.get("@list", element.get("@set")), path)
        return
    for key, value in element.items():
        if key == "@id":
            if not _is_node_ref(value):
                raise JsonLdError(f"relative or invalid id {_shown(value)} at {path}")
        elif key == "@type":
            for type_iri in value if isinstance(value, list) else [value]:
                if not _is_node_ref(type_iri):
                    raise JsonLdError(f"undefined type {_shown(type_iri)} at {path}")
        elif key == "@reverse":
            for reverse_key, nodes in value.items():
                if not _is_absolute(reverse_key):
                    raise JsonLdError(f"undefined reverse property {_shown(reverse_key)} at {path}")
                _check(nodes, f"{path}.@reverse.{reverse_key}")
        elif key in ("@graph", "@included"):
            _check(value, f"{path}.{key}")
        elif key.startswith("@"):
            continue
        elif not _is_absolute(key):
            raise JsonLdError(f"property {_shown(key)} at {path} does not map to an absolute IRI")
        else:
            _check(value, f"{path}.<{key}>")


def expand_strict(doc: dict[str, Any]) -> list[Any]:
    """Expand `doc`, raising `JsonLdError` for any term or IRI its contexts do not define.

    The expanded form is shared with later calls for the same document: read it, never
    change it.
    """
    return expand_cached(doc, _SENTINEL_BASE, lambda: _expand_and_check(doc))


def _expand_and_check(doc: dict[str, Any]) -> list[Any]:
    """Expand `doc` with pyld and refuse whatever would not reach the RDF."""
    dropped: list[str | None] = []
    expanded = run_pyld(
        lambda d, o: jsonld.expand(d, o, on_property_dropped=dropped.append),
        doc,
        {"base": _SENTINEL_BASE},
    )
    if dropped:
        names = ", ".join(
            sorted({repr(term) if term else "a term mapped to null" for term in dropped})
        )
        raise JsonLdError(f"undefined term(s) that no context defines: {names}")
    _check(expanded, "$")
    return expanded
