"""Errors a writer can read. Each boundary raises its own subclass; the CLI and the
language server turn any RefractError into a one-line message and keep going."""

from pydantic import ValidationError


class RefractError(Exception):
    """Base class: the message is shown to the writer as is."""


class ConfigError(RefractError):
    """Settings that cannot be used."""


class CodecError(RefractError):
    """A model could not be loaded or could not encode/decode."""


class OperationError(RefractError):
    """A rewrite request that cannot be carried out (bad op, text, amount, source)."""


class Cancelled(OperationError):
    """The writer cancelled the request while it was computing."""


class PatchError(RefractError):
    """A style patch file that cannot be read, is malformed, or was made for another model."""


def describe(exc: ValidationError) -> str:
    """The first problem of a pydantic validation error, as 'field: message'."""
    err = exc.errors()[0]
    return f"{'.'.join(map(str, err['loc'])) or 'value'}: {err['msg']}"
