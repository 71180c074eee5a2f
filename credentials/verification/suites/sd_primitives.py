"""Selective-disclosure building blocks of W3C vc-di-ecdsa (section "Selective Disclosure
Functions"): blank-node relabelling (by an HMAC or a label map), skolemisation, JSON
pointer selection, and canonicalise-and-group.

Shared by verification (`ecdsa_sd`) and by whoever derives proofs. N-Quads are handled as
pyld quads (dicts) and only serialised at the end: pyld's N-Quads parser does not undo its
own escaping faithfully, so a string would not survive a round trip.

Label maps are keyed and valued without the "_:" prefix, as the spec writes them
("c14n0" -> "u3Lv…").
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer
from pyld.nquads import serialize_nquad

from credentials.jsonld import JsonLdError, expand_strict
from credentials.jsonld.canon import escape_literal  # noqa: F401  (installs canonical escaping)
from credentials.jsonld.processing import run_pyld_on_expanded

Quad = dict[str, Any]
LabelMap = dict[str, str]
LabelMapFactory = Callable[[Mapping[str, str]], LabelMap]

URN_SCHEME = "custom-scheme:"
_URN_PREFIX = "urn:" + URN_SCHEME
_RDF_OPTIONS = {
    "algorithm": "URDNA2015",
    "format": "application/n-quads",
    "produceGeneralizedRdf": False,
    "processingMode": "json-ld-1.1",
}


class SelectionError(ValueError):
    """A JSON pointer does not select anything in the document."""


# --- label map factories ------------------------------------------------------------------


def hmac_label_map_factory(hmac_key: bytes, algorithm: str = "sha256") -> LabelMapFactory:
    """createHmacIdLabelMapFunction: each canonical label becomes "u" + base64url(HMAC)."""

    def factory(canonical_id_map: Mapping[str, str]) -> LabelMap:
        return {
            input_label: "u" + b64url_encode(hmac.digest(hmac_key, c14n.encode(), algorithm))
            for input_label, c14n in canonical_id_map.items()
        }

    return factory


def label_map_factory(label_map: Mapping[str, str]) -> LabelMapFactory:
    """createLabelMapFunction: each canonical label becomes its entry in `label_map`.

    Raises KeyError naming the canonical label the map lacks.
    """

    def factory(canonical_id_map: Mapping[str, str]) -> LabelMap:
        return {input_label: label_map[c14n] for input_label, c14n in canonical_id_map.items()}

    return factory


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# --- RDF: JSON-LD to quads, canonicalisation, relabelling ---------------------------------


def quads_from_expanded(expanded: list[Any]) -> list[Quad]:
    """Deserialize expanded JSON-LD to RDF quads (the graph name under "name")."""

    def to_quads(document: list[Any], options: dict[str, Any]) -> list[Quad]:
        # As canon.canonicalize_expanded does: pyld's to_rdf, minus a second expansion.
        processor = jsonld.JsonLdProcessor()
        issuer = IdentifierIssuer("_:b")
        node_map: dict[str, Any] = {"@default": {}}
        processor._create_node_map(document, node_map, "@default", issuer)
        quads: list[Quad] = []
        for name, graph in sorted(node_map.items()):
            if name != "@default" and not jsonld._is_absolute_iri(name):
                continue
            for triple in processor._graph_to_rdf(graph, issuer, options):
                if name != "@default":
                    kind = "blank node" if name.startswith("_:") else "IRI"
                    triple["name"] = {"type": kind, "value": name}
                quads.append(triple)
        return quads

    return run_pyld_on_expanded(to_quads, expanded, dict(_RDF_OPTIONS))


def serialize(quads: Iterable[Quad]) -> list[str]:
    """Each quad as one N-Quads line (with its "\\n"), in the given order."""
    return [serialize_nquad(quad) for quad in quads]


def _terms(quad: Quad) -> Iterable[tuple[str, dict[str, Any]]]:
    """The positions of a quad that may hold a node (not the predicate)."""
    for position in ("subject", "object", "name"):
        if position in quad:
            yield position, quad[position]


def map_blank_nodes(quads: Iterable[Quad], rename: Callable[[str], str]) -> list[Quad]:
    """Copies of `quads` with every blank node label (no "_:") passed through `rename`."""
    renamed = []
    for quad in quads:
        copied = dict(quad)
        for position, term in _terms(quad):
            if term.get("type") == "blank node":
                copied[position] = {**term, "value": "_:" + rename(term["value"][2:])}
        renamed.append(copied)
    return renamed


def canonicalize_quads(quads: Iterable[Quad]) -> tuple[list[Quad], dict[str, str]]:
    """RDFC-1.0: the quads with canonical labels ("c14nN"), sorted as their canonical
    N-Quads, and the canonical id map (input label -> canonical label, no "_:")."""
    dataset: dict[str, list[Quad]] = {"@default": []}
    for quad in quads:
        triple = {key: copy.deepcopy(value) for key, value in quad.items() if key != "name"}
        name = quad["name"]["value"] if "name" in quad else "@default"
        dataset.setdefault(name, []).append(triple)
    canon = URDNA2015()
    canon.main(dataset, {"format": "application/n-quads"})
    id_map = {old[2:]: new[2:] for old, new in canon.canonical_issuer.existing.items()}
    return sorted(canon.quads, key=serialize_nquad), id_map


def label_replacement_canonicalize(
    quads: Iterable[Quad], factory: LabelMapFactory
) -> tuple[list[str], LabelMap]:
    """labelReplacementCanonicalizeNQuads: canonicalise, relabel every blank node through
    the factory's map, and return the sorted N-Quads with that map (input -> new label)."""
    canonical, id_map = canonicalize_quads(quads)
    label_map = factory(id_map)
    by_c14n = {id_map[input_label]: new for input_label, new in label_map.items()}
    relabeled = serialize(map_blank_nodes(canonical, by_c14n.__getitem__))
    # Sorted again: the new labels order the statements differently than c14nN did.
    return sorted(relabeled), label_map


def relabel_blank_nodes(quads: Iterable[Quad], label_map: Mapping[str, str]) -> list[str]:
    """relabelBlankNodes: N-Quads of `quads` with blank nodes renamed by `label_map`."""
    return serialize(map_blank_nodes(quads, label_map.__getitem__))


# --- skolemisation --------------------------------------------------------------------------


@dataclass
class _Counter:
    value: int = 0


def skolemize_expanded(
    expanded: list[Any], random_string: str, count: _Counter | None = None
) -> list[Any]:
    """skolemizeExpandedJsonLd: give every node object an id, blank ones a custom-scheme URN."""
    count = count if count is not None else _Counter()
    skolemized: list[Any] = []
    for element in expanded:
        if not isinstance(element, dict) or "@value" in element:
            skolemized.append(copy.deepcopy(element))
            continue
        node: dict[str, Any] = {}
        for key, value in element.items():
            if isinstance(value, list):
                node[key] = skolemize_expanded(value, random_string, count)
            else:
                node[key] = skolemize_expanded([value], random_string, count)[0]
        # A list or set object is not a node: an id would make it invalid JSON-LD.
        if "@list" in node or "@set" in node:
            pass
        elif "@id" not in node:
            node["@id"] = f"urn:{URN_SCHEME}_{random_string}_{count.value}"
            count.value += 1
        elif isinstance(node["@id"], str) and node["@id"].startswith("_:"):
            node["@id"] = _URN_PREFIX + node["@id"][2:]
        skolemized.append(node)
    return skolemized


def _compact(expanded: list[Any], context: Any) -> dict[str, Any]:
    """Compact expanded JSON-LD with `context` (bundled contexts only)."""
    return run_pyld_on_expanded(
        lambda d, o: jsonld.compact(d, {"@context": context}, o), expanded, {}
    )


def skolemize_compact(document: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """skolemizeCompactJsonLd: the skolemised document, expanded and compacted again."""
    expanded = skolemize_expanded(expand_strict(document), secrets.token_hex(16))
    return expanded, _compact(expanded, document.get("@context"))


def deskolemize_quads(quads: Iterable[Quad]) -> list[Quad]:
    """deskolemizeNQuads: custom-scheme URNs back to blank nodes."""
    restored = []
    for quad in quads:
        copied = dict(quad)
        for position, term in _terms(quad):
            value = term.get("value")
            if term.get("type") == "IRI" and value.startswith(_URN_PREFIX):
                copied[position] = {"type": "blank node", "value": "_:" + value[len(_URN_PREFIX) :]}
        restored.append(copied)
    return restored


def to_deskolemized_quads(document: dict[str, Any] | list[Any]) -> list[Quad]:
    """toDeskolemizedNQuads: a skolemised document (compact or expanded) as quads."""
    expanded = document if isinstance(document, list) else expand_strict(document)
    return deskolemize_quads(quads_from_expanded(expanded))


# --- JSON pointer selection -----------------------------------------------------------------


def json_pointer_to_paths(pointer: str) -> list[str | int]:
    """jsonPointerToPaths: "/a/0/b~1c" -> ["a", 0, "b/c"]."""
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise SelectionError(f"{str(pointer)[:80]!r} is not a JSON pointer")
    paths: list[str | int] = []
    for path in pointer.split("/")[1:]:
        if "~" in path:
            paths.append(path.replace("~1", "/").replace("~0", "~"))
        elif path.isascii() and path.isdigit():
            paths.append(int(path))
        else:
            paths.append(path)
    return paths


class _Sparse(dict):
    """A selected array while it is filled by index; made dense at the end."""


_MISSING = object()


def _child(container: Any, path: str | int) -> Any:
    """container[path] the way JavaScript reads it, or _MISSING."""
    if isinstance(container, dict) and not isinstance(container, _Sparse):
        return container.get(str(path), _MISSING)
    if isinstance(container, _Sparse):
        return container.get(path, _MISSING)
    if isinstance(container, list) and isinstance(path, int) and path < len(container):
        return container[path]
    return _MISSING


def _set_child(container: Any, path: str | int, value: Any) -> None:
    if isinstance(container, _Sparse):
        container[path] = value
    else:
        container[str(path)] = value


def _initial_selection(source: Any) -> dict[str, Any]:
    """createInitialSelection: keep a node's non-blank id and its type."""
    selection: dict[str, Any] = {}
    if not isinstance(source, dict):
        return selection
    node_id = source.get("id")
    if node_id is not None and not (isinstance(node_id, str) and node_id.startswith("_:")):
        selection["id"] = node_id
    if "type" in source:
        selection["type"] = copy.deepcopy(source["type"])
    return selection


def _select_paths(paths: list[str | int], document: dict[str, Any], selection: Any) -> None:
    """selectPaths: copy what `paths` reaches in `document` into `selection`."""
    if not paths:
        raise SelectionError("a JSON pointer must name a value inside the document")
    value: Any = document
    selected_parent: Any = selection
    selected_value: Any = selection
    for path in paths:
        selected_parent = selected_value
        value = _child(value, path)
        if value is _MISSING:
            raise SelectionError("a JSON pointer does not match the document")
        selected_value = _child(selected_parent, path)
        if selected_value is _MISSING:
            if not isinstance(selected_parent, dict):
                raise SelectionError("a JSON pointer does not match the document")
            selected_value = _Sparse() if isinstance(value, list) else _initial_selection(value)
            _set_child(selected_parent, path, selected_value)
    if isinstance(value, list):
        selected_value = copy.deepcopy(value)
    elif isinstance(value, dict):
        selected_value = {**selected_value, **copy.deepcopy(value)}
    else:
        selected_value = value
    _set_child(selected_parent, paths[-1], selected_value)


def _densify(value: Any) -> Any:
    """Turn every sparse selected array into a list, in index order."""
    if isinstance(value, _Sparse):
        return [_densify(value[index]) for index in sorted(value)]
    if isinstance(value, dict):
        return {key: _densify(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_densify(item) for item in value]
    return value


def select_json_ld(pointers: list[str], document: dict[str, Any]) -> dict[str, Any] | None:
    """selectJsonLd: the part of a compact document the pointers name (None for none)."""
    if not pointers:
        return None
    selection = _initial_selection(document)
    selection["@context"] = copy.deepcopy(document.get("@context"))
    for pointer in pointers:
        _select_paths(json_pointer_to_paths(pointer), document, selection)
    return _densify(selection)


# --- canonicalise and group -----------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """The statements a group's pointers select (matching) and the rest, by index."""

    matching: dict[int, str]
    non_matching: dict[int, str]
    deskolemized_quads: list[Quad]


@dataclass(frozen=True)
class Grouped:
    """What canonicalizeAndGroup produces."""

    groups: dict[str, Group]
    skolemized_expanded: list[Any]
    skolemized_compact: dict[str, Any]
    deskolemized_quads: list[Quad]
    label_map: LabelMap
    nquads: list[str]


def select_canonical_nquads(
    pointers: list[str], skolemized_compact: dict[str, Any], label_map: Mapping[str, str]
) -> tuple[list[Quad], list[str]]:
    """selectCanonicalNQuads: the selection's deskolemised quads and its relabelled N-Quads."""
    selection = select_json_ld(pointers, skolemized_compact)
    if selection is None:
        return [], []
    quads = to_deskolemized_quads(selection)
    return quads, relabel_blank_nodes(quads, label_map)


def canonicalize_and_group(
    document: dict[str, Any],
    factory: LabelMapFactory,
    group_definitions: Mapping[str, list[str]],
) -> Grouped:
    """canonicalizeAndGroup: canonical relabelled N-Quads, grouped by JSON pointer selections.

    Raises JsonLdError, SelectionError, or KeyError (a label the factory cannot map).
    """
    expanded, compact = skolemize_compact(document)
    quads = to_deskolemized_quads(expanded)
    nquads, label_map = label_replacement_canonicalize(quads, factory)
    groups = {}
    for name, pointers in group_definitions.items():
        selected_quads, selected = select_canonical_nquads(pointers, compact, label_map)
        chosen = set(selected)
        matching = {index: nq for index, nq in enumerate(nquads) if nq in chosen}
        non_matching = {index: nq for index, nq in enumerate(nquads) if nq not in chosen}
        groups[name] = Group(matching, non_matching, selected_quads)
    return Grouped(groups, expanded, compact, quads, label_map, nquads)


def hash_mandatory(mandatory: Iterable[str], algorithm: str = "sha256") -> bytes:
    """hashMandatoryNQuads: the hash of the joined N-Quads."""
    return hashlib.new(algorithm, "".join(mandatory).encode("utf-8")).digest()


__all__ = [
    "Group",
    "Grouped",
    "JsonLdError",
    "LabelMap",
    "SelectionError",
    "canonicalize_and_group",
    "canonicalize_quads",
    "deskolemize_quads",
    "hash_mandatory",
    "hmac_label_map_factory",
    "json_pointer_to_paths",
    "label_map_factory",
    "label_replacement_canonicalize",
    "quads_from_expanded",
    "relabel_blank_nodes",
    "select_canonical_nquads",
    "select_json_ld",
    "skolemize_compact",
    "skolemize_expanded",
    "to_deskolemized_quads",
]
