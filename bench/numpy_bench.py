"""NumPy (with its BLAS, OpenBLAS here) on the workloads of JaxSharp.Bench, timed like its harness.

Usage: numpy_bench.py BUDGET LABEL KEY=NAME ...  Prints one JSON object per line:
{"workload": NAME, "variant": LABEL or LABEL + " x @ y.T", "median": s, "min": s, "max": s,
"reps": n}, after {"numpy": version}; or {"error": text} when NumPy cannot be imported.
"""
import json
import sys
import time

try:
    import numpy as np
except ImportError as e:
    print(json.dumps({"error": f"NumPy is not installed for {sys.executable}: {e}"}))
    sys.exit(0)



def measure(budget, f):
    """Warm-up for a fifth of the budget, then samples (batched below 20 us) for the rest."""
    start, calls = time.perf_counter(), 0
    while calls < 3 or time.perf_counter() - start < budget / 5:
        f()
        calls += 1
    batch = max(1, int(20e-6 / ((time.perf_counter() - start) / calls)))
    times, start = [], time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start < budget and len(times) < 2000):
        t = time.perf_counter()
        for _ in range(batch):
            f()
        times.append((time.perf_counter() - t) / batch)
    times.sort()
    return {"median": times[len(times) // 2], "min": times[0], "max": times[-1], "reps": len(times)}


def selu(x, alpha=1.67, lambda_=1.05):
    # JAX's jit tutorial's selu, as the other rows compute it.
    return lambda_ * np.where(x > 0, x, alpha * np.exp(x) - alpha)


def logistic(x):
    return 1 / (1 + np.exp(-x))


def logistic_grad(x):
    s = logistic(x)
    return s * (1 - s)


def hessian(x):
    t = np.tanh(x)
    d = 1 - t * t
    s, q = t.sum(), (x * x).sum()
    return 2 * np.outer(d, x) + 2 * np.outer(x, d) + np.diag(2 * s - 2 * t * d * q)


class Mlp:
    """The MLP 784-512-512-10 training step with hand-written backpropagation, updated in place."""

    def __init__(self, batch):
        rng = np.random.default_rng(16)
        sizes = [784, 512, 512, 10]
        self.ws = [((rng.random((i, o)) * 2 - 1) / np.sqrt(i)).astype(np.float32) for i, o in zip(sizes, sizes[1:])]
        self.bs = [np.zeros(o, dtype=np.float32) for o in sizes[1:]]
        self.x = rng.random((batch, 784)).astype(np.float32)
        self.y = np.eye(10, dtype=np.float32)[np.arange(batch) % 10]

    def step(self, lr=np.float32(0.01)):
        (w1, w2, w3), (b1, b2, b3), x = self.ws, self.bs, self.x
        h1 = np.maximum(x @ w1 + b1, 0)
        h2 = np.maximum(h1 @ w2 + b2, 0)
        z = h2 @ w3 + b3
        e = np.exp(z - z.max(axis=1, keepdims=True))
        dz = (e / e.sum(axis=1, keepdims=True) - self.y) / np.float32(len(x))
        dh2 = (dz @ w3.T) * (h2 > 0)
        dh1 = (dh2 @ w2.T) * (h1 > 0)
        for w, b, a, d in ((w3, b3, h2, dz), (w2, b2, h1, dh2), (w1, b1, x, dh1)):
            w -= lr * (a.T @ d)
            b -= lr * d.sum(axis=0)


def vector(n, f):
    return f(np.arange(n, dtype=np.float64)).astype(np.float32)


def products():
    """The products and transposes of bench/Workloads/Products.fs (same shapes; the values do not matter)."""
    def m(seed, *dims, dtype=np.float32):
        return np.sin(np.arange(np.prod(dims), dtype=np.float64) + seed).astype(dtype).reshape(dims)
    x1, w = m(1, 1, 784), m(2, 784, 512)
    wt, v = m(1, 512, 784), m(2, 784)
    x5, u, v5 = m(1, 1, 512), m(1, 784), m(2, 512)
    h, w10, dz, h2 = m(1, 128, 512), m(2, 512, 10), m(1, 128, 10), m(2, 128, 10)
    w512, s1, s2 = m(2, 512, 512), m(1, 256, 256), m(2, 256, 256)
    d1, d2 = m(1, 1000, 1000, dtype=np.float64), m(2, 1000, 1000, dtype=np.float64)
    t1, t2 = m(1, 1000, 1000), m(2, 1000, 1000)
    h784, dz512, h512 = m(1, 128, 784), m(2, 128, 512), m(1, 128, 512)
    return {
        "matvec": [("", lambda: x1 @ w)],
        "matvec_t": [("", lambda: wt @ v)],
        "vecmat_t": [("", lambda: x5 @ w.T)],
        "outer": [("", lambda: np.outer(u, v5))],
        "thin": [("", lambda: h @ w10)],
        "thin_k": [("", lambda: dz @ w10.T)],
        "thin_t": [("", lambda: h.T @ h2)],
        "mid_t": [("", lambda: h @ w512.T)],
        "wgrad_784": [("", lambda: h784.T @ dz512)],
        "wgrad_512": [("", lambda: h512.T @ dz512)],
        "mlp_fwd": [("", lambda: h784 @ w)],
        "sq256": [("", lambda: s1 @ s2)],
        "sq1000d": [("", lambda: d1 @ d2)],
        "transpose": [("", lambda: np.ascontiguousarray(wt.T))],
        "transpose_add": [("", lambda: t1.T + t2)],
    }


def blas():
    """Which BLAS NumPy calls: Debian's python3-numpy falls back to the reference BLAS (about 50 times
    slower) unless an optimised one is installed (libopenblas0-pthread)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (python3-threadpoolctl not installed)"
    found = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not found:
        return "the reference BLAS (no OpenBLAS loaded: apt-get install -y libopenblas0-pthread)"
    i = found[0]
    return f"{i.get('internal_api')} {i.get('version')}, {i.get('architecture')} kernels, {i.get('num_threads')} threads"


def workloads():
    """KEY -> list of (variant, function)."""
    x6, x7 = vector(10**6, lambda i: np.sin(i) * 3), vector(10**7, lambda i: np.sin(i) * 3)
    l6 = vector(10**6, lambda i: np.sin(i) * 4)
    m1, m3 = vector(1000 * 1000, np.sin).reshape(1000, 1000), vector(3000 * 3000, np.sin).reshape(3000, 3000)
    y1, y3 = vector(1000 * 1000, np.cos).reshape(1000, 1000), vector(3000 * 3000, np.cos).reshape(3000, 3000)
    mat, vs = vector(150 * 100, np.sin).reshape(150, 100), vector(10 * 100, np.cos).reshape(10, 100)
    h = vector(8, lambda i: i / 4 - 1)
    one = np.ones(1, dtype=np.float32)
    return {
        "selu6": [("", lambda: selu(x6))],
        "selu7": [("", lambda: selu(x7))],
        "logistic_sum": [("", lambda: logistic(l6).sum())],
        "logistic_grad": [("", lambda: logistic_grad(l6))],
        "matmul1000": [("", lambda: m1 @ m1.T), (" x @ y.T", lambda: m1 @ y1.T)],
        "matmul3000": [("", lambda: m3 @ m3.T), (" x @ y.T", lambda: m3 @ y3.T)],
        "vmap": [("", lambda: vs @ mat.T)],
        "hessian": [("", lambda: hessian(h))],
        "overhead": [("", lambda: one + 1)],
        **{f"mlp{b}": [("", Mlp(b).step)] for b in (1, 128, 1024)},
        **products(),
    }


def main():
    budget, label = float(sys.argv[1]), sys.argv[2]
    names = dict(arg.split("=", 1) for arg in sys.argv[3:])
    print(json.dumps({"numpy": np.__version__, "blas": blas()}), flush=True)
    for key, variants in workloads().items():
        if key not in names:
            continue
        for variant, f in variants:
            result = {"workload": names[key], "variant": label + variant, **measure(budget, f)}
            print(json.dumps(result), flush=True)


main()
