"""Model files: JSON data with a checksum, written atomically, never unpickled.

A file is one JSON object::

    {"format": "handgrad-model", "format_version": 1, "handgrad_version": "...",
     "sha256": "<hex digest of the canonical JSON of 'payload'>", "payload": {...}}

Python floats are written with ``repr``, which round-trips float64 exactly.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from handgrad.exceptions import ModelFileError

__all__ = ["FORMAT", "FORMAT_VERSION", "atomic_write", "read_model_file", "write_model_file"]

FORMAT = "handgrad-model"
FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    """NumPy scalars and arrays as the Python numbers and lists JSON can hold."""
    if hasattr(value, "tolist"):  # np.generic and np.ndarray
        return value.tolist()
    raise TypeError(f"cannot save a {type(value).__name__} in a model file; expected plain data.")


def _canonical(payload: dict[str, Any]) -> bytes:
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), allow_nan=False, default=_plain
    )
    return text.encode()


def _check_finite(value: Any, where: str = "payload") -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot save {where}: it is {value}; a model file holds finite numbers.")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_finite(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            _check_finite(item, where)


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


# New files get the usual permissions (0o666 less the umask), not mkstemp's private 0o600.
_FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that ``path`` is either untouched or complete.

    The bytes go to a temporary file in the same folder, are flushed to disk, and the file
    is renamed over ``path`` in one step; on any failure the temporary file is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_model_file(path: str | Path, payload: dict[str, Any], *, version: str) -> Path:
    """Write ``payload`` to ``path`` atomically (:func:`atomic_write`): no partial file."""
    path = Path(path)
    _check_finite(payload)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "handgrad_version": version,
        "sha256": hashlib.sha256(_canonical(payload)).hexdigest(),
        "payload": payload,
    }
    text = json.dumps(document, indent=1, allow_nan=False, default=_plain)
    atomic_write(path, text.encode("utf-8"))
    return path


def read_model_file(path: str | Path) -> dict[str, Any]:
    """Read and verify a model file; return its payload or raise ``ModelFileError``."""
    path = Path(path)
    where = repr(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelFileError(f"model file {where} does not exist.") from None
    except IsADirectoryError:
        raise ModelFileError(f"{where} is a directory; expected a model file (.json).") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"model file {where} cannot be read: {exc}.") from None
    if not text.strip():
        raise ModelFileError(f"model file {where} is empty; expected a handgrad model (JSON).")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelFileError(
            f"model file {where} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); it may be truncated or corrupted."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(
            f"{where} is not a handgrad model file; expected a JSON object with "
            f'"format": "{FORMAT}".'
        )
    if document.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"model file {where} has format version {document.get('format_version')!r}; "
            f"this handgrad reads version {FORMAT_VERSION}."
        )
    payload = document.get("payload")
    if not isinstance(payload, dict):
        raise ModelFileError(f"model file {where} has no payload object; it is corrupted.")
    digest = hashlib.sha256(_canonical(payload)).hexdigest()
    if digest != document.get("sha256"):
        raise ModelFileError(
            f"model file {where} fails its checksum (expected {document.get('sha256')!r}, "
            f"computed {digest!r}); it was modified or corrupted."
        )
    return payload
