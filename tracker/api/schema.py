"""Declared JSON shapes: one definition parses input, dumps output and
writes the OpenAPI schema, so the document cannot drift from the code.

A :class:`Schema` is a named set of :class:`Field` objects. ``load()`` turns a
request body into Python values or raises ValidationFailed naming every bad
field; ``dump()`` turns an object (attributes) or mapping into JSON values;
``json_schema()`` describes either side for OpenAPI.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tracker.dates import EARLIEST, LATEST, in_range
from tracker.errors import ValidationFailed
from tracker.money import to_decimal

MISSING = object()
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FieldError(ValueError):
    pass


class Field:
    json_type = "string"

    def __init__(
        self,
        *,
        required: bool = False,
        nullable: bool = False,
        read_only: bool = False,
        write_only: bool = False,
        description: str = "",
        attr: str | None = None,
        default: Any = MISSING,
    ):
        self.required = required
        self.nullable = nullable
        self.read_only = read_only
        self.write_only = write_only
        self.description = description
        self.attr = attr
        self.default = default

    # --- input
    def load(self, value):
        if value is None:
            if self.nullable:
                return None
            raise FieldError("must not be null")
        return self.parse(value)

    def parse(self, value):
        return value

    # --- output
    def dump(self, value):
        if value is None:
            return None
        return self.format(value)

    def format(self, value):
        return value

    # --- OpenAPI
    def base_schema(self, direction: str) -> dict:
        return {"type": self.json_type}

    def json_schema(self, direction: str = "out") -> dict:
        schema = self.base_schema(direction)
        if self.nullable:
            if "type" in schema and isinstance(schema["type"], str):
                schema["type"] = [schema["type"], "null"]
            elif "anyOf" in schema:
                schema["anyOf"].append({"type": "null"})
            else:
                schema = {"anyOf": [schema, {"type": "null"}]}
        if self.description:
            schema["description"] = self.description
        return schema


class Str(Field):
    def __init__(self, *, max_length: int | None = None, min_length: int = 0, enum=None, pattern=None, **kw):
        super().__init__(**kw)
        self.max_length, self.min_length = max_length, min_length
        self.enum = [str(e) for e in enum] if enum is not None else None
        self.pattern = pattern

    def parse(self, value):
        if not isinstance(value, str):
            raise FieldError("must be a string")
        if "\x00" in value:
            raise FieldError("must not contain NUL characters")
        if self.enum is not None and value not in self.enum:
            raise FieldError(f"must be one of {', '.join(self.enum)}")
        if len(value) < self.min_length:
            raise FieldError("must not be empty" if self.min_length == 1 else f"needs at least {self.min_length} characters")
        if self.max_length is not None and len(value) > self.max_length:
            raise FieldError(f"must be at most {self.max_length} characters")
        return value

    def format(self, value):
        return getattr(value, "value", value) if self.enum is not None else str(value)

    def base_schema(self, direction):
        schema: dict = {"type": "string"}
        if self.enum is not None:
            schema["enum"] = list(self.enum)
        if direction == "in":
            if self.max_length is not None:
                schema["maxLength"] = self.max_length
            if self.min_length:
                schema["minLength"] = self.min_length
        return schema


class Int(Field):
    json_type = "integer"
    DEFAULT_MAXIMUM = 2**31 - 1  # ids and counts fit PostgreSQL INTEGER

    def __init__(self, *, minimum: int | None = None, maximum: int | None = DEFAULT_MAXIMUM, **kw):
        super().__init__(**kw)
        self.minimum, self.maximum = minimum, maximum

    def parse(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 19:
                value = int(value)
            else:
                raise FieldError("must be a whole number")
        if self.minimum is not None and value < self.minimum:
            raise FieldError(f"must be at least {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise FieldError(f"must be at most {self.maximum}")
        if abs(value) > 2**62:
            raise FieldError("is out of range")
        return value

    def base_schema(self, direction):
        schema = {"type": "integer"}
        if direction == "in":
            if self.minimum is not None:
                schema["minimum"] = self.minimum
            if self.maximum is not None:
                schema["maximum"] = self.maximum
        return schema


class Bool(Field):
    json_type = "boolean"

    def parse(self, value):
        if not isinstance(value, bool):
            raise FieldError("must be true or false")
        return value


class Dec(Field):
    """Money, days and shares: a string with fixed places out; string or number in."""

    def __init__(self, places: int = 2, *, minimum=None, maximum=None, **kw):
        super().__init__(**kw)
        self.places = places
        self.minimum = Decimal(str(minimum)) if minimum is not None else None
        self.maximum = Decimal(str(maximum)) if maximum is not None else None

    def parse(self, value):
        if isinstance(value, bool):
            raise FieldError("must be a number")
        try:
            result = to_decimal(value)
        except ValueError:
            raise FieldError("must be a number such as " + ("500.00" if self.places == 2 else "0.20")) from None
        if abs(result) >= Decimal("1e12"):
            raise FieldError("is out of range")
        if self.minimum is not None and result < self.minimum:
            raise FieldError(f"must be at least {self.minimum}")
        if self.maximum is not None and result > self.maximum:
            raise FieldError(f"must be at most {self.maximum}")
        return result

    def format(self, value):
        return f"{Decimal(value):.{self.places}f}"

    def base_schema(self, direction):
        pattern = rf"^-?\d+\.\d{{{self.places}}}$"
        if direction == "out":
            return {"type": "string", "pattern": pattern, "example": "0." + "0" * self.places}
        return {"anyOf": [{"type": "string", "example": "1." + "0" * self.places}, {"type": "number"}]}


class Date(Field):
    def parse(self, value):
        if not isinstance(value, str):
            raise FieldError("must be a date YYYY-MM-DD")
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError
            parsed = date.fromisoformat(value)
        except ValueError:
            raise FieldError("must be a date YYYY-MM-DD") from None
        if not in_range(parsed):
            raise FieldError(f"must be a date between {EARLIEST} and {LATEST}")
        return parsed

    def format(self, value):
        return value.isoformat()

    def base_schema(self, direction):
        return {"type": "string", "format": "date"}


class DateTime(Field):
    def format(self, value: datetime):
        return value.isoformat()

    def base_schema(self, direction):
        return {"type": "string", "format": "date-time"}


class ListOf(Field):
    json_type = "array"

    def __init__(self, item: Field, *, max_items: int = 100, **kw):
        super().__init__(**kw)
        self.item, self.max_items = item, max_items

    def parse(self, value):
        if not isinstance(value, list):
            raise FieldError("must be a list")
        if len(value) > self.max_items:
            raise FieldError(f"must have at most {self.max_items} items")
        out = []
        for index, item in enumerate(value):
            try:
                out.append(self.item.load(item))
            except FieldError as exc:
                raise FieldError(f"item {index + 1} {exc}") from None
        return out

    def format(self, value):
        return [self.item.dump(v) for v in value]

    def base_schema(self, direction):
        schema = {"type": "array", "items": self.item.json_schema(direction)}
        if direction == "in":
            schema["maxItems"] = self.max_items
        return schema


class MapOf(Field):
    """An object of string keys to values of one kind, e.g. {"1.1": 3}."""

    json_type = "object"

    def __init__(self, value: Field, *, max_items: int = 100, **kw):
        super().__init__(**kw)
        self.value, self.max_items = value, max_items

    def parse(self, value):
        if not isinstance(value, dict):
            raise FieldError("must be an object")
        if len(value) > self.max_items:
            raise FieldError(f"must have at most {self.max_items} entries")
        out = {}
        for key, item in value.items():
            try:
                out[key] = self.value.load(item)
            except FieldError as exc:
                raise FieldError(f"{key!r} {exc}") from None
        return out

    def format(self, value):
        return {str(k): self.value.dump(v) for k, v in value.items()}

    def base_schema(self, direction):
        schema = {"type": "object", "additionalProperties": self.value.json_schema(direction)}
        if direction == "in":
            schema["maxProperties"] = self.max_items
        return schema


class Nested(Field):
    json_type = "object"

    def __init__(self, schema: Schema, **kw):
        super().__init__(**kw)
        self.schema = schema

    def parse(self, value):
        return self.schema.load(value)

    def format(self, value):
        return self.schema.dump(value)

    def base_schema(self, direction):
        return {"$ref": f"#/components/schemas/{self.schema.component_name(direction)}"}


class Schema:
    """A named object shape. Registered so the OpenAPI document lists it."""

    registry: dict[str, Schema] = {}

    def __init__(self, name: str, fields: dict[str, Field], description: str = ""):
        self.name = name
        self.fields = fields
        self.description = description
        Schema.registry[name] = self

    def component_name(self, direction: str) -> str:
        return self.name if direction == "out" else f"{self.name}Input"

    def writable(self) -> dict[str, Field]:
        return {n: f for n, f in self.fields.items() if not f.read_only}

    def load(self, data, *, partial: bool = False) -> dict:
        """Parse a JSON object. Unknown or read-only fields are refused by name."""
        if not isinstance(data, dict):
            raise ValidationFailed("The body must be a JSON object.", {"body": "must be a JSON object"})
        errors: dict[str, str] = {}
        out: dict = {}
        writable = self.writable()
        for key in data:
            if key not in writable:
                errors[key] = "is read-only" if key in self.fields else "is not a known field"
        for name, field in writable.items():
            if name not in data:
                if field.required and not partial:
                    errors[name] = "is required"
                elif field.default is not MISSING and not partial:
                    out[name] = field.default
                continue
            try:
                out[name] = field.load(data[name])
            except FieldError as exc:
                errors[name] = f"{name} {exc}"
        if errors:
            raise ValidationFailed("Some fields are not valid.", errors)
        return out

    def dump(self, obj, **extra) -> dict:
        out = {}
        for name, field in self.fields.items():
            if field.write_only:
                continue
            if name in extra:
                value = extra[name]
            elif isinstance(obj, dict):
                value = obj.get(field.attr or name)
            else:
                value = getattr(obj, field.attr or name, None)
            out[name] = field.dump(value)
        return out

    def json_schema(self, direction: str = "out", partial: bool = False) -> dict:
        if direction == "out":
            props = {n: f.json_schema("out") for n, f in self.fields.items() if not f.write_only}
            return {
                "type": "object",
                "properties": props,
                "required": sorted(props),
                **({"description": self.description} if self.description else {}),
            }
        props = {n: f.json_schema("in") for n, f in self.writable().items()}
        required = [] if partial else sorted(n for n, f in self.writable().items() if f.required)
        schema = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            schema["required"] = required
        return schema
