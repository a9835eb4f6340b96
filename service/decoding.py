"""Request bodies: strict JSON decoding that names every offending field.

msgspec stops at the first error and Litestar's own decoding coerces loosely (``"5"`` for 5), so
a body goes through three steps here instead:

1. parse the JSON (400 ``malformed-request`` when it is not JSON at all);
2. validate it against the JSON schema msgspec generates for the request type, collecting every
   error as a JSON pointer (422 ``invalid-input``); this same schema is what OpenAPI documents,
   so what is documented is exactly what is enforced;
3. convert it with msgspec in strict mode (no coercion), which then cannot fail on shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

import jsonschema_rs
import msgspec

from models.core import pointer, problem_of
from models.errors import InvalidInput, Problem

from .problems import ApiError

T = TypeVar("T")

REF_TEMPLATE = "#/components/schemas/{name}"
_MAX_MESSAGE = 200


def schema_document(types: Iterable[Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """msgspec's JSON schemas for ``types`` and their shared components, as OpenAPI refers
    to them."""
    schemas, components = msgspec.json.schema_components(tuple(types), ref_template=REF_TEMPLATE)
    return list(schemas), dict(components)


class BodyDecoder(Generic[T]):
    """Decodes one request type strictly, reporting every schema violation at once."""

    def __init__(self, type_: type[T]) -> None:
        self.type = type_
        (schema,), components = schema_document([type_])
        self._root = {**schema, "components": {"schemas": components}}
        self._validator = jsonschema_rs.Draft202012Validator(self._root)
        self._members: dict[str, jsonschema_rs.Validator] = {}

    def decode(self, body: bytes) -> T:
        try:
            raw = msgspec.json.decode(body)
        except msgspec.DecodeError as exc:
            raise ApiError("malformed-request", f"the body is not valid JSON: {exc}") from None
        problems = list(self._problems(self._validator, raw, ()))
        if problems:
            raise InvalidInput(problems)
        try:
            return msgspec.convert(raw, self.type, strict=True)
        except msgspec.ValidationError as exc:  # only what a schema cannot say, e.g. 1.0 as int
            raise InvalidInput([problem_of(exc)]) from None

    def _problems(
        self, validator: jsonschema_rs.Validator, raw: Any, prefix: tuple[str | int, ...]
    ) -> Iterator[Problem]:
        for error in validator.iter_errors(raw):
            path = (*prefix, *error.instance_path)
            kind = error.kind
            if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
                yield Problem(pointer((*path, kind.property)), "required field is missing")
            elif isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
                for name in kind.unexpected:
                    yield Problem(pointer((*path, name)), "unknown field")
            elif isinstance(kind, jsonschema_rs.ValidationErrorKind.AnyOf):
                yield from self._union_problems(error, path)
            else:
                yield Problem(pointer(path), _shorten(error.message))

    def _union_problems(
        self, error: jsonschema_rs.ValidationError, path: tuple[str | int, ...]
    ) -> Iterator[Problem]:
        """A union (a scenario or its id, a tagged rule ...) fails as a whole; name the fields of
        the member the value was meant to be instead: the one its tag selects, or the only one
        of the value's JSON type."""
        schema = _resolve(self._root, error.schema_path[:-1])
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
        key = msgspec.json.encode(members[0]).decode()
        if key not in self._members:
            document = {"components": self._root["components"], **members[0]}
            self._members[key] = jsonschema_rs.Draft202012Validator(document)
        yield from self._problems(self._members[key], instance, path)

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
