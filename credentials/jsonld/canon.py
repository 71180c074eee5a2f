"""RDF Dataset Canonicalization (RDFC-1.0) to canonical N-Quads."""

import re
from typing import Any

from pyld import jsonld, nquads
from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer

from .processing import run_pyld, run_pyld_on_expanded

_ECHAR = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
# RDFC-1.0 uses canonical N-Quads: BS HT LF FF CR " \ as ECHAR; U+0000-U+001F,
# U+007F and code points outside XML 1.1 Char (lone surrogates, U+FFFE, U+FFFF)
# as UCHAR with four uppercase hex digits; everything else as itself.
_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\\ud800-\udfff\ufffe\uffff]')


def _escape_match(match: re.Match[str]) -> str:
    """Escape one character the canonical form does not allow as itself."""
    char = match.group(0)
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def escape_literal(value: str) -> str:
    """Escape a literal's lexical form as canonical N-Quads requires."""
    return _NEEDS_ESCAPE.sub(_escape_match, value)


# pyld 3.3 escapes only \t \n \r " \\, so a literal holding \b, \f or another
# control character hashes differently than in jsonld.js and the signature
# fails. Its serializer looks `escape` up in its module on every call (and the
# canonicalization hashes use that serializer), so replacing it fixes both.
nquads.escape = escape_literal


def canonicalize(doc: dict[str, Any]) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    return run_pyld(
        lambda d, o: jsonld.normalize(d, o),
        doc,
        {"algorithm": "URDNA2015", "format": "application/n-quads"},
    )


def canonicalize_expanded(expanded: list[Any]) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a document already expanded (by `expand_strict`).

    pyld's `normalize` would expand its input again, context-free but at the cost of a
    second full walk and copy; this builds the RDF dataset from the expansion directly,
    the way pyld's `to_rdf` does after its own expansion step (pyld is pinned to 3.3).
    """

    def to_canonical_nquads(document: list[Any], options: dict[str, Any]) -> str:
        processor = jsonld.JsonLdProcessor()
        issuer = IdentifierIssuer("_:b")
        node_map: dict[str, Any] = {"@default": {}}
        processor._create_node_map(document, node_map, "@default", issuer)
        dataset = {
            name: processor._graph_to_rdf(graph, issuer, options)
            for name, graph in sorted(node_map.items())
            if name == "@default" or jsonld._is_absolute_iri(name)
        }
        return URDNA2015().main(dataset, options)

    return run_pyld_on_expanded(
        to_canonical_nquads,
        expanded,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "produceGeneralizedRdf": False,
            "processingMode": "json-ld-1.1",
        },
    )
