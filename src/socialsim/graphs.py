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
import random
import warnings
from collections.abc import Iterator

import networkx as nx
import numpy as np
import scipy.sparse as sp
from mesa.discrete_space import Cell, Network

from .config import ConfigError, GraphConfig
from .edgelist import GraphFileWarning as GraphFileWarning
from .edgelist import read_edge_list


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

    The same graph as ``networkx.barabasi_albert_graph(n, m, seed=seed)`` (same edges, same
    neighbour order), built from :func:`barabasi_albert_edges` by :func:`graph_from_edges`.
    """
    return graph_from_edges(n, *barabasi_albert_edges(n, m, seed))


def barabasi_albert_edges(n: int, m: int, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The edges ``src[k]-dst[k]`` of ``networkx.barabasi_albert_graph(n, m, seed=seed)``, in
    the order NetworkX adds them (int32 arrays, int64 beyond 2**31 nodes).

    NetworkX starts from a star on nodes ``0..m`` (node 0 in the centre); then nodes
    ``m+1, ..., n-1`` join one at a time, each linking to ``m`` distinct existing nodes drawn
    with probability proportional to degree, i.e. uniformly from the list in which every node
    appears once per edge end, redrawing nodes already chosen. The draws are NetworkX's own,
    call for call: its ``random.choice(repeated)`` is ``repeated[_randbelow(len)]``, and
    ``_randbelow`` draws ``getrandbits(len.bit_length())`` until the value is below ``len``;
    the loop below makes the same ``getrandbits`` calls without the two Python frames per draw.
    """
    if m < 1 or m >= n:
        raise ConfigError(f"graph: Barabasi-Albert needs 1 <= m < n, got m = {m}, n = {n}")
    rng = nx.utils.create_py_random_state(seed)
    if type(rng) is not random.Random:  # pragma: no cover - NetworkX gives random.Random
        raise TypeError(f"expected a random.Random, got {type(rng).__name__}")
    bits = rng.getrandbits
    repeated = [0] * m + list(range(1, m + 1))  # the star's edge ends, as NetworkX lists them
    dst = list(range(1, m + 1))
    extend, dst_extend = repeated.extend, dst.extend
    size = 2 * m  # len(repeated)
    for source in range(m + 1, n):
        k = size.bit_length()
        targets: set[int] = set()
        add = targets.add
        while len(targets) < m:
            r = bits(k)
            if r < size:  # else _randbelow draws again: so does this loop
                add(repeated[r])
        dst_extend(targets)
        extend(targets)
        extend((source,) * m)
        size += 2 * m
    itype = np.int32 if n < 2**31 else np.int64
    src = np.repeat(np.arange(m, n, dtype=itype), m)
    src[:m] = 0  # the star's centre
    return src, np.array(dst, dtype=itype)


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


def adjacency_from_edges(n: int, src: np.ndarray, dst: np.ndarray) -> sp.csr_array:
    """``adjacency(graph_from_edges(n, src, dst))`` without building the NetworkX graph (the
    same arrays: float64 ones, sorted indices, int32 indices below 2**31 entries).

    Edges grouped by source (``src`` non-decreasing, as generators add them) are read as the
    directed adjacency D in CSR directly and symmetrised as ``D + D.T`` (linear-time C
    loops); other edge lists go through COO.
    """
    itype = np.int32 if 2 * src.size < 2**31 and n < 2**31 else np.int64
    if src.size and np.all(src[1:] >= src[:-1]):
        indptr = np.zeros(n + 1, dtype=itype)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        D = sp.csr_array((np.ones(src.size), dst.astype(itype), indptr), shape=(n, n))
        D.sort_indices()
        A = D + D.T.tocsr()
        del D
    else:
        ends, other = np.concatenate([src, dst]), np.concatenate([dst, src])
        A = sp.coo_array((np.ones(ends.size), (ends, other)), shape=(n, n)).tocsr()
        del ends, other
    A.indptr, A.indices = A.indptr.astype(itype, copy=False), A.indices.astype(itype, copy=False)
    A.sort_indices()
    return A


class Friendships:
    """The social graph as the model uses it: the CSR adjacency at once, the NetworkX graph
    only when asked for (:attr:`graph`).

    A Barabasi-Albert graph is drawn as an edge list and turned into the adjacency directly;
    its NetworkX graph (the same one :func:`build_graph` gives) is built from the kept edges on
    first access. Other kinds come from NetworkX generators and keep their graph.
    """

    def __init__(
        self,
        adjacency: sp.csr_array,
        graph: nx.Graph | None = None,
        edges: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        if graph is None and edges is None:
            raise ValueError("need a graph or its edges")
        self.adjacency = adjacency
        self._graph = graph
        self._edges = edges

    @property
    def n(self) -> int:
        return self.adjacency.shape[0]

    @property
    def built(self) -> bool:
        """Whether the NetworkX graph exists (given, or built by an access to ``graph``)."""
        return self._graph is not None

    @property
    def graph(self) -> nx.Graph:
        if self._graph is None:
            with gc_paused():
                self._graph = graph_from_edges(self.n, *self._edges)
            self._edges = None
        return self._graph

    @classmethod
    def from_graph(cls, G: nx.Graph) -> Friendships:
        return cls(adjacency(G), graph=G)


def build_friendships(
    cfg: GraphConfig, seed: int | np.random.Generator | None = None
) -> Friendships:
    """The graph of ``cfg`` as :class:`Friendships`: the same graph as ``build_graph(cfg,
    seed)`` (the same draws), without NetworkX for Barabasi-Albert graphs."""
    if cfg.kind != "barabasi_albert":
        return Friendships.from_graph(build_graph(cfg, seed))
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**31 - 1))
    src, dst = barabasi_albert_edges(cfg.n, cfg.m, seed)
    return Friendships(adjacency_from_edges(cfg.n, src, dst), edges=(src, dst))


def friends_of(A: sp.csr_array, rows: np.ndarray) -> np.ndarray:
    """The friends of users ``rows``, concatenated in row order (with repeats), from CSR ``A``.

    For at most :data:`FEW_ROWS` rows, their slices of ``A.indices`` are joined (the same
    array, cheaper than the vectorized gather below for so few rows).
    """
    if rows.size <= FEW_ROWS:
        indptr, indices = A.indptr, A.indices
        if rows.size == 0:
            return np.empty(0, dtype=indices.dtype)
        return np.concatenate([indices[indptr[r] : indptr[r + 1]] for r in rows.tolist()])
    starts = A.indptr[rows]
    lens = A.indptr[rows + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, dtype=A.indices.dtype)
    first = np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return A.indices[first + np.arange(total)]


#: Up to this many rows, :func:`friends_of` joins row slices rather than gathering.
FEW_ROWS = 16


def friend_targets(A: sp.csr_array, flat: np.ndarray, n_brands: int) -> np.ndarray:
    """Flat (user, brand) indices reached by senders ``flat`` (flat indices into an (n, B)
    array): one entry ``friend * B + brand`` per friend of each sender, with repeats."""
    if n_brands == 1:
        return friends_of(A, flat).astype(np.int64)
    rows, cols = np.divmod(flat, n_brands)
    lens = A.indptr[rows + 1] - A.indptr[rows]
    return friends_of(A, rows).astype(np.int64) * n_brands + np.repeat(cols, lens)


def count_at(targets: np.ndarray, size: int, out: np.ndarray | None = None) -> np.ndarray:
    """How often each index ``0..size-1`` occurs in ``targets``, as float64, added to ``out``
    (a flat float64 array of ``size``) or to zeros.

    The same numbers as ``np.bincount(targets, minlength=size).astype(float)`` (counts are
    exact in float64), without the int64 array and its conversion; few targets are added
    one by one (``np.add.at``), many by ``bincount``.
    """
    if out is None:
        out = np.zeros(size)
    if targets.size * 16 < size:
        np.add.at(out, targets, 1.0)
    elif targets.size:
        out += np.bincount(targets, minlength=size)
    return out


def rows_times(A: sp.csr_array, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``(A @ x)[rows]`` for sorted, distinct ``rows``, bit for bit.

    When ``rows`` are few and hold less than a quarter of ``A``'s entries, only their rows
    are multiplied (``A[rows] @ x``: each row's entries in the same order, summed in the same
    order); slicing costs about as much as a pass over a small graph, so not below
    :data:`ROWS_MIN_NNZ` entries.
    """
    if A.nnz < ROWS_MIN_NNZ or 8 * rows.size > A.shape[0]:
        return (A @ x)[rows]
    if 4 * int((A.indptr[rows + 1] - A.indptr[rows]).sum()) > A.nnz:
        return (A @ x)[rows]
    return A[rows] @ x


#: Graphs with fewer adjacency entries are multiplied whole by :func:`rows_times`.
ROWS_MIN_NNZ = 500_000


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
