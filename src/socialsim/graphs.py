"""Social graphs: NetworkX generators, an edge-list reader, checks and the CSR adjacency.

Every graph handed to the model is simple and undirected with nodes labelled 0..n-1.
Directed graphs and multigraphs are converted (with a warning); self-loops are removed.
A graph with no edges is rejected. Isolated nodes are kept: they are users with no friends,
who get no word of mouth and spend all their spare attention on brands.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp
from mesa.discrete_space import Cell, Network

from .config import ConfigError, GraphConfig


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small objects.

    Building a large graph, Mesa space or agent population allocates millions of dicts and
    objects; each allocation burst triggers collections that rescan everything built so far
    (most of the build time at 100k users). Nothing built here is garbage, so the collector is
    switched off for the duration and restored (if it was on) afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_graph(cfg: GraphConfig, seed: int | np.random.Generator | None = None) -> nx.Graph:
    """Build the social graph described by ``cfg`` (generators use ``seed``)."""
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**31 - 1))
    with gc_paused():
        return _build_graph(cfg, seed)


def _build_graph(cfg: GraphConfig, seed: int | None) -> nx.Graph:
    kind = cfg.kind
    if kind == "barabasi_albert":
        G = barabasi_albert_graph(cfg.n, cfg.m, seed=seed)
    elif kind == "watts_strogatz":
        G = nx.watts_strogatz_graph(cfg.n, cfg.k, cfg.p, seed=seed)
    elif kind == "erdos_renyi":
        G = nx.fast_gnp_random_graph(cfg.n, cfg.p, seed=seed)
    elif kind == "communities":
        base, extra = divmod(cfg.n, cfg.communities)
        sizes = [base + (i < extra) for i in range(cfg.communities)]
        probs = [
            [cfg.p_in if i == j else cfg.p_out for j in range(cfg.communities)]
            for i in range(cfg.communities)
        ]
        G = nx.stochastic_block_model(sizes, probs, seed=seed, sparse=True)
    elif kind == "complete":
        G = nx.complete_graph(cfg.n)
    elif kind == "file":
        G = read_edge_list(cfg.path)
    else:  # pragma: no cover - the schema forbids it
        raise ConfigError(f"graph.kind = {kind!r} is not a known graph kind")
    return check_graph(G, source=f"graph.kind = {kind!r}")


def barabasi_albert_graph(n: int, m: int, seed: int | None = None) -> nx.Graph:
    """Barabasi-Albert preferential-attachment graph on ``n`` nodes, ``m`` edges per new node.

    The same graph as ``networkx.barabasi_albert_graph(n, m, seed=seed)`` (its default start:
    a star on nodes ``0..m``, node 0 in the centre; then nodes ``m+1, ..., n-1`` join one at a
    time, each linking to ``m`` distinct existing nodes drawn with probability proportional
    to degree, i.e. uniformly from the list in which every node appears once per edge end,
    redrawing nodes already chosen). The draws are NetworkX's own, call for call, so the
    same seed gives the same edges (and the same neighbour order); only the graph is built
    faster, from the edge list at the end (:func:`graph_from_edges`) instead of one
    ``add_edges_from`` call per node.
    """
    if m < 1 or m >= n:
        raise ConfigError(f"graph: Barabasi-Albert needs 1 <= m < n, got m = {m}, n = {n}")
    choice = nx.utils.create_py_random_state(seed).choice
    repeated = [0] * m + list(range(1, m + 1))  # the star's edge ends, as NetworkX lists them
    src, dst = [0] * m, list(range(1, m + 1))
    for source in range(m + 1, n):
        targets: set[int] = set()
        while len(targets) < m:
            targets.add(choice(repeated))
        dst.extend(targets)
        repeated.extend(targets)
        repeated.extend([source] * m)
        src.extend([source] * m)
    return graph_from_edges(n, np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64))


def graph_from_edges(n: int, src: np.ndarray, dst: np.ndarray) -> nx.Graph:
    """A ``networkx.Graph`` on nodes ``0..n-1`` with the simple edges ``src[k]-dst[k]``.

    Equivalent to ``add_nodes_from(range(n))`` then ``add_edges_from(zip(src, dst))`` for
    edges without duplicates or self-loops (each node's neighbours in edge order, one data
    dict shared by both directions of an edge), but fills NetworkX's adjacency dicts directly.
    """
    E = src.size
    ends = np.concatenate([src, dst])
    other = np.concatenate([dst, src])
    edge = np.concatenate([np.arange(E), np.arange(E)])
    order = np.lexsort((edge, ends))  # by node, then edge order
    counts = np.bincount(ends, minlength=n).tolist()
    data = [{} for _ in range(E)]
    nbrs = iter(other[order].tolist())
    dicts = iter([data[e] for e in edge[order].tolist()])
    islice = itertools.islice
    G = nx.Graph()
    G._node.update({i: {} for i in range(n)})
    G._adj.update(
        {i: dict(zip(islice(nbrs, c), islice(dicts, c), strict=True)) for i, c in enumerate(counts)}
    )
    return G


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


def check_graph(G: nx.Graph, source: str = "graph") -> nx.Graph:
    """Return ``G`` as a simple undirected graph with integer nodes 0..n-1, or raise ConfigError.

    Directed graphs become undirected and multigraphs simple (both with a warning);
    self-loops are dropped. Raises if the graph has fewer than two nodes or no edges.
    """
    if not isinstance(G, nx.Graph):
        raise ConfigError(f"{source}: expected a networkx graph, got {type(G).__name__}")
    if G.is_directed():
        warnings.warn(f"{source}: directed graph converted to undirected", stacklevel=2)
        G = G.to_undirected()
    if G.is_multigraph():
        warnings.warn(f"{source}: multigraph converted to a simple graph", stacklevel=2)
        G = nx.Graph(G)
    loops = list(nx.selfloop_edges(G))
    if loops:
        G = G.copy()
        G.remove_edges_from(loops)
    if G.number_of_nodes() < 2:
        raise ConfigError(f"{source}: the graph has {G.number_of_nodes()} node(s); need at least 2")
    if not any(map(len, G._adj.values())):  # no edges (without counting them)
        raise ConfigError(f"{source}: the graph has no edges; users need friends")
    if G._node.keys() != set(range(G.number_of_nodes())):
        G = nx.convert_node_labels_to_integers(G, ordering="sorted")
    return G


def adjacency(G: nx.Graph) -> sp.csr_array:
    """The symmetric 0/1 adjacency matrix of ``G`` as CSR, rows in node order 0..n-1."""
    n = G.number_of_nodes()
    adj = G._adj  # dict of dicts; reading it directly avoids per-edge Python tuples
    degrees = np.fromiter((len(adj[i]) for i in range(n)), dtype=np.int64, count=n)
    itype = np.int32 if degrees.sum() < 2**31 else np.int64
    indptr = np.concatenate([[0], np.cumsum(degrees)]).astype(itype)
    indices = np.fromiter(
        itertools.chain.from_iterable(adj[i] for i in range(n)), dtype=itype, count=indptr[-1]
    )
    A = sp.csr_array((np.ones(indices.size), indices, indptr), shape=(n, n))
    A.sort_indices()
    return A


def friends_of(A: sp.csr_array, rows: np.ndarray) -> np.ndarray:
    """The friends of users ``rows``, concatenated in row order (with repeats), from CSR ``A``."""
    starts = A.indptr[rows]
    lens = A.indptr[rows + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, dtype=A.indices.dtype)
    first = np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return A.indices[first + np.arange(total)]


def friend_targets(A: sp.csr_array, flat: np.ndarray, n_brands: int) -> np.ndarray:
    """Flat (user, brand) indices reached by senders ``flat`` (flat indices into an (n, B)
    array): one entry ``friend * B + brand`` per friend of each sender, with repeats."""
    if n_brands == 1:
        return friends_of(A, flat).astype(np.int64)
    rows, cols = np.divmod(flat, n_brands)
    lens = A.indptr[rows + 1] - A.indptr[rows]
    return friends_of(A, rows).astype(np.int64) * n_brands + np.repeat(cols, lens)


def friend_counts_at(A: sp.csr_array, flat: np.ndarray, n_brands: int) -> np.ndarray:
    """How many friends of each user sent, as an (n, n_brands) array, for senders given as
    flat indices (user * n_brands + brand).

    Equal to ``A @ senders`` for a symmetric 0/1 ``A`` and the boolean sender matrix, but
    costs only the senders' degrees, which is far cheaper when few users send.
    """
    n = A.shape[0]
    targets = friend_targets(A, flat, n_brands)
    counts = np.bincount(targets, minlength=n * n_brands).astype(np.float64)
    return counts.reshape(n, n_brands)


class SocialNetwork(Network):
    """Mesa's network space, connecting each cell to all its neighbours in one dict update.

    Behaves exactly like :class:`mesa.discrete_space.Network`; Mesa's own constructor clears
    a cell's cache once per edge, which dominates start-up on dense graphs.
    """

    def _connect_cells(self) -> None:
        # fresh cells have no cached neighbourhood to clear
        cells, adj = self._cells, self.G._adj
        for node, cell in cells.items():
            nbrs = adj[node]
            cell.connections.update(zip(nbrs, map(cells.__getitem__, nbrs), strict=True))

    def _connect_single_cell(self, cell: Cell) -> None:
        cells = self._cells
        cell._clear_cache()
        cell.connections.update({j: cells[j] for j in self.G._adj[cell.coordinate]})
