"""Request bodies: strict JSON decoding that names every offending field.

msgspec stops at the first error and Litestar's own decoding coerces loosely (``"5"`` for 5), so
a body goes through these steps here instead, each refusal a 4xx problem that names it:

1. check the encoding: JSON is UTF-8 (RFC 8259), so invalid or overlong UTF-8 is 400
   ``invalid-encoding`` naming the byte;
2. parse the JSON (400 ``malformed-request`` when it is not JSON at all), refuse nesting deeper
   than :data:`MAX_DEPTH` (400 ``nesting-too-deep``) and an object that repeats a key (400
   ``duplicate-key``, naming it: msgspec and most parsers silently keep the last one);
3. validate it against the JSON schema msgspec generates for the request type, collecting the
   first :data:`MAX_PROBLEMS` errors as JSON pointers and counting up to :data:`MAX_COUNTED`
   more (422 ``invalid-input``), field by field so that the work stops there; this same
   schema is what OpenAPI documents, so what is documented is exactly what is enforced;
4. convert it with msgspec in strict mode (no coercion), which then cannot fail on shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, Generic, TypeVar

import jsonschema_rs
import msgspec

from models.core import pointer, problem_of
from models.errors import InvalidInput, Problem

from .problems import ApiError
from .schemas import BUILTIN

T = TypeVar("T")

REF_TEMPLATE = "#/components/schemas/{name}"
_MAX_MESSAGE = 200
#: Deepest nesting of arrays and objects a body may have; every request type needs fewer than 10.
MAX_DEPTH = 64
#: Validation errors listed in one answer; the rest are counted, up to :data:`MAX_COUNTED`
#: (beyond it, "at least"): the work stays bounded however many errors a body holds.
MAX_PROBLEMS = 100
MAX_COUNTED = 1000


def schema_document(
    types: Iterable[Any], builtins: Mapping[str, Sequence[str]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """msgspec's JSON schemas for ``types`` and their shared components, as OpenAPI refers
    to them; a string marked as a built-in id (:data:`~service.schemas.BUILTIN`) becomes an
    enum of the ``builtins`` of its kind, so that an unknown id is invalid by the schema."""
    schemas, components = msgspec.json.schema_components(tuple(types), ref_template=REF_TEMPLATE)
    return _with_ids(list(schemas), builtins), _with_ids(dict(components), builtins)


def _with_ids(node: Any, builtins: Mapping[str, Sequence[str]]) -> Any:
    if isinstance(node, list):
        return [_with_ids(item, builtins) for item in node]
    if not isinstance(node, dict):
        return node
    if BUILTIN in node:
        kind = node[BUILTIN]
        return {
            "type": "string",
            "description": f"The id of a built-in {'RACI scenario' if kind == 'raci' else kind}.",
            "enum": list(builtins[kind]),
        }
    return {key: _with_ids(value, builtins) for key, value in node.items()}


class BodyDecoder(Generic[T]):
    """Decodes one request type strictly, reporting every schema violation at once."""

    def __init__(self, type_: type[T], builtins: Mapping[str, Sequence[str]]) -> None:
        self.type = type_
        (schema,), components = schema_document([type_], builtins)
        self._schema = schema
        self._root = {**schema, "components": {"schemas": components}}
        self._validators: dict[str, tuple[jsonschema_rs.Validator, dict[str, Any]]] = {}

    def decode(self, body: bytes) -> T:
        raw = parse(body)
        found = self._descend(self._schema, raw, ())
        problems = list(islice(found, MAX_PROBLEMS))
        if problems:
            more = sum(1 for _ in islice(found, MAX_COUNTED))
            if more:
                bound = "at least " if more == MAX_COUNTED else ""
                problems.append(Problem("", f"and {bound}{more} more problem(s) not listed"))
            raise InvalidInput(problems)
        try:
            return msgspec.convert(raw, self.type, strict=True)
        except msgspec.ValidationError as exc:  # only what a schema cannot say, e.g. 1.0 as int
            raise InvalidInput([problem_of(exc)]) from None

    def _validator(self, schema: dict[str, Any]) -> tuple[jsonschema_rs.Validator, dict[str, Any]]:
        """A validator of ``schema`` (its refs into the shared components), and its document."""
        key = msgspec.json.encode(schema).decode()
        if key not in self._validators:
            document = {**schema, "components": self._root["components"]}
            self._validators[key] = (jsonschema_rs.Draft202012Validator(document), document)
        return self._validators[key]

    def _descend(
        self, schema: dict[str, Any], raw: Any, path: tuple[str | int, ...]
    ) -> Iterator[Problem]:
        """The problems of ``raw`` against ``schema``, found field by field down plain objects
        and arrays, so that they come lazily: jsonschema-rs computes every error of a value at
        once (about 20 µs each, holding the GIL), and a body may hold 100,000 of them; here
        each value's own are computed only when the ones before are used up."""
        validator, _ = self._validator(schema)
        if validator.is_valid(raw):  # stops at the first error: cheap either way
            return
        node = self._deref(schema)
        if isinstance(raw, dict) and _plain(node, "object"):
            named, rest = node.get("properties", {}), node.get("additionalProperties")
            for key, value in raw.items():
                child = named.get(key, rest)
                if isinstance(child, dict):
                    yield from self._descend(child, value, (*path, key))
            shallow = {
                **node,
                "properties": dict.fromkeys(named, True),
                "additionalProperties": rest if rest is False else True,
            }
            yield from self._problems(shallow, raw, path)
        elif (
            isinstance(raw, list) and _plain(node, "array") and isinstance(node.get("items"), dict)
        ):
            for index, value in enumerate(raw):
                yield from self._descend(node["items"], value, (*path, index))
            yield from self._problems({**node, "items": True}, raw, path)
        else:
            yield from self._problems(schema, raw, path)

    def _problems(
        self, schema: dict[str, Any], raw: Any, prefix: tuple[str | int, ...]
    ) -> Iterator[Problem]:
        validator, document = self._validator(schema)
        for error in validator.iter_errors(raw):
            path = (*prefix, *error.instance_path)
            kind = error.kind
            if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
                yield Problem(pointer((*path, kind.property)), "required field is missing")
            elif isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
                for name in kind.unexpected:
                    yield Problem(pointer((*path, name)), "unknown field")
            elif isinstance(kind, jsonschema_rs.ValidationErrorKind.AnyOf):
                yield from self._union_problems(document, error, path)
            elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
                yield Problem(pointer(path), _shorten(f"must be one of: {_listed(kind.options)}"))
            else:
                yield Problem(pointer(path), _shorten(error.message))

    def _union_problems(
        self,
        document: dict[str, Any],
        error: jsonschema_rs.ValidationError,
        path: tuple[str | int, ...],
    ) -> Iterator[Problem]:
        """A union (a scenario or its id, a tagged rule ...) fails as a whole; name the fields of
        the member the value was meant to be instead: the one its tag selects, or the only one
        of the value's JSON type."""
        schema = _resolve(document, error.schema_path[:-1])
        instance = error.instance
        discriminator = schema.get("discriminator")
        if discriminator and isinstance(instance, dict):
            tag, mapping = discriminator["propertyName"], discriminator["mapping"]
            selected = instance.get(tag)
            if not isinstance(selected, str) or selected not in mapping:
                allowed = ", ".join(sorted(mapping))
                yield Problem(pointer((*path, tag)), f"must be one of: {allowed}")
                return
            members = [{"$ref": mapping[selected]}]
        else:
            members = [m for m in schema["anyOf"] if self._json_type(m) == _json_type_of(instance)]
        enums = [self._deref(m).get("enum") for m in members]
        if len(members) > 1 and all(enums):
            allowed = ", ".join(str(value) for values in enums for value in values or ())
            yield Problem(pointer(path), f"must be one of: {allowed}")
            return
        if len(members) != 1:
            shapes = " or ".join(sorted({self._json_type(m) for m in schema["anyOf"]}))
            yield Problem(pointer(path), f"expected {shapes}")
            return
        yield from self._descend(members[0], instance, path)

    def _deref(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = _resolve(self._root, schema["$ref"].removeprefix("#/").split("/"))
        return schema

    def _json_type(self, schema: dict[str, Any]) -> str:
        schema = self._deref(schema)
        declared = schema.get("type")
        if isinstance(declared, str):
            return "number" if declared == "integer" else declared
        if "enum" in schema or "const" in schema:
            return "string"
        return "object" if "properties" in schema else "value"


def parse(body: bytes) -> Any:
    """The JSON value of ``body``: UTF-8, at most :data:`MAX_DEPTH` deep, no repeated key."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = body[exc.start : exc.start + 1].hex()
        raise ApiError(
            "invalid-encoding",
            f"the body is not UTF-8: byte 0x{byte} at offset {exc.start} ({exc.reason})",
        ) from None
    try:
        raw = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise ApiError("malformed-request", f"the body is not valid JSON: {exc}") from None
    except RecursionError:
        raise _too_deep() from None
    _check_depth(raw)
    # msgspec keeps the last of a repeated key; the standard library can say which it was.
    try:
        json.loads(text, object_pairs_hook=_unique)
    except ValueError as exc:  # what msgspec reads and the standard library does not
        raise ApiError("malformed-request", f"the body is not valid JSON: {exc}") from None
    return raw


def _too_deep() -> ApiError:
    return ApiError(
        "nesting-too-deep", f"the body nests arrays and objects more than {MAX_DEPTH} deep"
    )


def _check_depth(value: Any) -> None:
    """Iteratively, so that the check itself cannot recurse too deep."""
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, dict | list):
                if depth >= MAX_DEPTH:
                    raise _too_deep()
                stack.append((child, depth + 1))


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ApiError("duplicate-key", f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


#: Keywords that make an object's or array's validity more than its own and its children's.
_COMBINED = {"$ref", "anyOf", "oneOf", "allOf", "not", "if", "patternProperties",
             "dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "prefixItems",
             "contains"}  # fmt: skip


def _plain(node: dict[str, Any], kind: str) -> bool:
    return node.get("type") == kind and not _COMBINED & node.keys()


def _listed(options: Any) -> str:
    return ", ".join(str(option) for option in options)


def _json_type_of(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


def _resolve(document: Any, path: Iterable[str | int]) -> Any:
    node = document
    for part in path:
        node = node[part]
    return node


def _shorten(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"
