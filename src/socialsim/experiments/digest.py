"""Digests of what determines a run's result besides its config: the contents of input files
and the code of custom strategies; and the modules that define custom strategies.
"""

from __future__ import annotations

import functools
import hashlib
import os
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .spec import Experiment


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's contents (hex), read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@functools.lru_cache(maxsize=64)
def _file_digest_cached(path: str, mtime_ns: int, size: int) -> str:
    return file_sha256(path)[:16]


def _file_digest(path: str) -> str | None:
    """Content hash of a graph file (so an edited file reruns its runs); None if unreadable."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _file_digest_cached(path, st.st_mtime_ns, st.st_size)


def _strategy_digest(name: str) -> str | None:
    """Fingerprint of a custom (non-socialsim) strategy's code, so editing it reruns its runs.

    Built from the bytecode, constants and names of the class's methods and its
    ``defaults`` (and those of custom base classes), which works where the source is not
    available (a class defined in a notebook cell).
    """
    from ..strategies import STRATEGIES

    cls = STRATEGIES.get(name)
    if cls is None or cls.__module__.startswith("socialsim."):
        return None  # built-in: covered by the package version
    parts = []
    for klass in cls.__mro__:
        if klass is object or klass.__module__.startswith("socialsim."):
            continue
        for attr, value in sorted(vars(klass).items()):
            if isinstance(value, types.FunctionType):
                parts.append((attr, _code_fingerprint(value.__code__), repr(value.__defaults__)))
            elif attr in ("name", "defaults"):
                parts.append((attr, repr(value)))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _code_fingerprint(code: types.CodeType) -> tuple[Any, ...]:
    consts = tuple(
        _code_fingerprint(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts
    )
    return (code.co_code.hex(), consts, code.co_names)


def strategy_modules(config: dict[str, Any]) -> tuple[str, ...]:
    """Modules that define the config's custom strategies (not socialsim's, not
    ``__main__``): a worker process imports them so that the strategies are registered."""
    from ..strategies import STRATEGIES

    modules = {
        STRATEGIES[b["strategy"]].__module__
        for b in config.get("brands", [])
        if b.get("strategy") in STRATEGIES
    }
    return tuple(sorted(m for m in modules if m != "__main__" and not m.startswith("socialsim")))


def unimportable_strategies(exp: Experiment) -> list[str]:
    """Strategies defined in ``__main__`` (a notebook or script): worker processes cannot
    import them, so such experiments must run serially."""
    from ..strategies import STRATEGIES

    names = {b["strategy"] for _, cfg in exp.scenarios for b in cfg["brands"]}
    return sorted(n for n in names if n in STRATEGIES and STRATEGIES[n].__module__ == "__main__")
