"""Edge-list files: reading one as a simple undirected graph, with warnings for what was
changed on the way (the one reader of ``validate`` and ``run``)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import networkx as nx

from .config import ConfigError


class GraphFileWarning(UserWarning):
    """An edge-list file was read with a change worth knowing (weights, direction, repeats)."""


_SEPARATORS = re.compile(r"[,;\s]+")


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def read_edge_list(path: str | Path) -> nx.Graph:
    """Read an edge-list file as a simple undirected graph (what ``validate`` and ``run`` use).

    One edge per line: two node labels separated by whitespace, a comma or a semicolon
    (SNAP, CSV and TSV lists); lines starting with ``#`` or ``%`` are comments; a first line
    of two non-numeric names followed by numeric labels is a header; further numeric
    columns (weights, timestamps) are ignored. Labels are integers when all are, else
    strings. Warns (:class:`GraphFileWarning`) when columns are ignored, ties are listed in
    both directions (a directed list, read as undirected friendships), lines repeat, or
    self-loops are dropped. Raises :class:`ConfigError` naming the file (and the line) for a
    missing file, a directory, a file that is not text, a line that is not an edge, or a
    graph with fewer than two nodes or no edges.
    """
    path = Path(path)
    where = f"graph.path = '{path}'"
    if path.is_dir():
        raise ConfigError(f"{where}: is a directory, not an edge-list file")
    if not path.is_file():
        raise ConfigError(f"{where}: file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: not a text file (byte {exc.start} is not UTF-8)") from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read the file ({exc.strerror})") from None
    pairs: list[tuple[str, str]] = []
    header: tuple[int, str, list[str]] | None = None
    extra = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#%":
            continue
        tokens = [t for t in _SEPARATORS.split(line) if t]
        if header is None and not pairs and not any(map(_is_number, tokens)):
            header = (number, line, tokens)  # "source,target,weight" or an edge "a b"
            continue
        if len(tokens) < 2 or not all(_is_number(t) for t in tokens[2:]):
            raise ConfigError(
                f"{where}, line {number}: expected two node labels (and optional numeric "
                f"columns), got {line[:60]!r}"
            )
        extra = max(extra, len(tokens) - 2)
        pairs.append((tokens[0], tokens[1]))
    if header is not None and not (pairs and all(map(_is_number, pairs[0]))):
        number, line, tokens = header  # not a header: labels are names
        if len(tokens) != 2:
            raise ConfigError(
                f"{where}, line {number}: expected two node labels (and optional numeric "
                f"columns), got {line[:60]!r}"
            )
        pairs.insert(0, (tokens[0], tokens[1]))
    if pairs and all(a.lstrip("-").isdigit() and b.lstrip("-").isdigit() for a, b in pairs):
        edges = [(int(a), int(b)) for a, b in pairs]
    else:
        edges = pairs
    G = nx.Graph()
    G.add_edges_from(edges)
    loops = [(u, v) for u, v in edges if u == v]
    G.remove_edges_from(loops)
    notes = []
    if extra:
        notes.append(f"{extra} extra column(s) ignored (ties are unweighted)")
    seen = {(u, v) for u, v in edges if u != v}
    both = sum(1 for u, v in seen if (v, u) in seen) // 2
    if both:
        notes.append(
            f"{both} tie(s) listed in both directions (a directed list?): each is read as "
            "one undirected friendship"
        )
    repeats = len(edges) - len(loops) - len(seen)
    if repeats:
        notes.append(f"{repeats} repeated line(s) read once")
    if loops:
        notes.append(f"{len(loops)} self-loop(s) dropped")
    for note in notes:
        warnings.warn(f"{where}: {note}", GraphFileWarning, stacklevel=1)  # once per file
    if G.number_of_edges() == 0:  # (an edge joins two distinct nodes)
        besides = " besides self-loops" if loops else ""
        raise ConfigError(f"{where}: the edge list has no edges{besides}; users need friends")
    return G
