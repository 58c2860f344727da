namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>
/// The CPU factorizations behind lu, eigh, svd and qr, on one row-major matrix in float64
/// (float32 inputs are widened and the results rounded, so both dtypes get float64 accuracy):
/// LU with partial pivoting (LAPACK's getrf), cyclic Jacobi for symmetric eigenproblems,
/// one-sided (Hestenes) Jacobi for the SVD and Householder QR (LAPACK's geqrf + orgqr).
/// Jacobi methods are chosen for their accuracy: they give small singular values and
/// eigenvalues to high relative accuracy and orthogonal vectors to working precision.
/// </summary>
internal static class DenseKernels
{
    private const int MaxSweeps = 80;

    /// <summary>Widens the count values of <paramref name="source"/> at <paramref name="offset"/> into <paramref name="target"/>.</summary>
    public static void Read(Array source, int offset, Span<double> target)
    {
        switch (source)
        {
            case double[] d: d.AsSpan(offset, target.Length).CopyTo(target); break;
            case float[] f:
                for (var i = 0; i < target.Length; i++) target[i] = f[offset + i];
                break;
            default: throw new NotSupportedException($"linear algebra kernel: {source.GetType().Name} buffers are not float32 or float64");
        }
    }

    /// <summary>Writes <paramref name="source"/> into <paramref name="target"/> at <paramref name="offset"/>, rounded to its dtype.</summary>
    public static void Write(ReadOnlySpan<double> source, Array target, int offset)
    {
        switch (target)
        {
            case double[] d: source.CopyTo(d.AsSpan(offset, source.Length)); break;
            case float[] f:
                for (var i = 0; i < source.Length; i++) f[offset + i] = (float)source[i];
                break;
            default: throw new NotSupportedException($"linear algebra kernel: {target.GetType().Name} buffers are not float32 or float64");
        }
    }

    /// <summary>
    /// LU with partial pivoting in place (LAPACK's getrf): a (m x n) becomes L (strictly below
    /// the diagonal, unit diagonal implied) and U (on and above it); pivots[j] is the row swapped
    /// with row j at step j, and permutation[i] the original row that ends in row i. A zero pivot
    /// is left in U (the matrix is singular), as LAPACK does.
    /// </summary>
    public static void Lu(Span<double> a, int m, int n, Span<int> pivots, Span<int> permutation)
    {
        for (var i = 0; i < m; i++) permutation[i] = i;
        var k = Math.Min(m, n);
        for (var j = 0; j < k; j++)
        {
            var p = j;
            for (var i = j + 1; i < m; i++)
                if (Math.Abs(a[i * n + j]) > Math.Abs(a[p * n + j])) p = i;
            pivots[j] = p;
            if (p != j)
            {
                for (var c = 0; c < n; c++) (a[p * n + c], a[j * n + c]) = (a[j * n + c], a[p * n + c]);
                (permutation[p], permutation[j]) = (permutation[j], permutation[p]);
            }
            var pivot = a[j * n + j];
            if (pivot == 0) continue;
            var row = a.Slice(j * n + j + 1, n - j - 1);
            for (var i = j + 1; i < m; i++)
            {
                // l_ij = a_ij / u_jj; row i -= l_ij * row j (right of the diagonal)
                var l = a[i * n + j] /= pivot;
                Axpy(-l, row, a.Slice(i * n + j + 1, n - j - 1));
            }
        }
    }

    /// <summary>y += alpha x.</summary>
    private static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        var i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            var va = System.Runtime.Intrinsics.Vector256.Create(alpha);
            for (; i + 4 <= x.Length; i += 4)
            {
                var vx = System.Runtime.Intrinsics.Vector256.Create(x.Slice(i, 4));
                var vy = System.Runtime.Intrinsics.Vector256.Create(y.Slice(i, 4));
                System.Runtime.Intrinsics.Vector256.CopyTo(vy + va * vx, y.Slice(i, 4));
            }
        }
        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>
    /// Eigenvalues (ascending, into w) and orthonormal eigenvectors (the columns of the row-major
    /// n x n v) of the symmetric a (n x n, destroyed), by cyclic Jacobi rotations until the
    /// off-diagonal part is negligible. NaNs in a give NaNs.
    /// </summary>
    public static void SymmetricEigen(Span<double> a, int n, Span<double> w, Span<double> v)
    {
        double total = 0;
        foreach (var x in a) total += x * x;
        if (!double.IsFinite(total))
        {
            // a NaN or infinity leaves no eigenvalue or vector defined: all NaN, as LAPACK's
            w.Fill(double.NaN);
            v.Fill(double.NaN);
            return;
        }
        // the eigenvectors as the rows of vt, so that rotations touch contiguous memory
        var vt = new double[n * n];
        for (var i = 0; i < n; i++) vt[i * n + i] = 1;
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0;
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (!(off > 1e-34 * total)) break;
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[p * n + q];
                    if (apq == 0) continue;
                    // the rotation (c, s) with t = tan that zeroes a_pq: t^2 + 2 theta t - 1 = 0, theta = (a_qq - a_pp) / (2 a_pq)
                    var theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    var t = (theta >= 0 ? 1.0 : -1.0) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    // Jᵀ a J: off the 2 x 2 block only rows p and q change, and columns p and q are
                    // their copies (a stays symmetric); the block becomes diag(a_pp - t a_pq, a_qq + t a_pq)
                    var (app, aqq) = (a[p * n + p], a[q * n + q]);
                    Rotate(a.Slice(p * n, n), a.Slice(q * n, n), c, s);
                    a[p * n + p] = app - t * apq;
                    a[q * n + q] = aqq + t * apq;
                    a[p * n + q] = a[q * n + p] = 0;
                    for (var k = 0; k < n; k++)
                    {
                        a[k * n + p] = a[p * n + k];
                        a[k * n + q] = a[q * n + k];
                    }
                    Rotate(vt.AsSpan(p * n, n), vt.AsSpan(q * n, n), c, s);
                }
        }
        for (var i = 0; i < n; i++)
        {
            w[i] = a[i * n + i];
            for (var k = 0; k < n; k++) v[k * n + i] = vt[i * n + k];
        }
        SortColumns(w, v, n, n, descending: false);
    }

    /// <summary>
    /// The thin SVD of the row-major a (m x n, m ≥ n): singular values descending into s (n),
    /// u (m x ucols, row-major; ucols = n, or m to complete an orthonormal basis) and v (n x n,
    /// row-major, columns the right singular vectors), by one-sided Jacobi rotations of a's
    /// columns. Columns of u for zero (or negligible) singular values, and the completion, are
    /// orthonormalized standard basis vectors.
    /// </summary>
    public static void TallSvd(ReadOnlySpan<double> a, int m, int n, Span<double> s, Span<double> u, int ucols, Span<double> v)
    {
        foreach (var x in a)
            if (!double.IsFinite(x))
            {
                // a NaN or infinity leaves no singular value or vector defined: all NaN, as LAPACK's
                s.Fill(double.NaN);
                u.Fill(double.NaN);
                v.Fill(double.NaN);
                return;
            }
        // columns of the working copy, stored contiguously: g[j * m + i] = a[i, j]
        var g = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++) g[j * m + i] = a[i * n + j];
        var vc = new double[n * n];
        for (var j = 0; j < n; j++) vc[j * n + j] = 1;
        var squares = new double[n];
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var rotated = false;
            // the squared column norms, exact at each sweep's start and updated by each rotation
            for (var j = 0; j < n; j++) squares[j] = Dot(g.AsSpan(j * m, m), g.AsSpan(j * m, m));
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++)
                {
                    var cp = g.AsSpan(p * m, m);
                    var cq = g.AsSpan(q * m, m);
                    var (alpha, beta, gamma) = (squares[p], squares[q], Dot(cp, cq));
                    if (!(Math.Abs(gamma) > 1e-17 * Math.Sqrt(alpha * beta))) continue;
                    rotated = true;
                    // rotate columns p, q to be orthogonal: zeta = (beta - alpha) / (2 gamma), t = tan
                    var zeta = (beta - alpha) / (2 * gamma);
                    var t = (zeta >= 0 ? 1.0 : -1.0) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    var c = 1 / Math.Sqrt(1 + t * t);
                    var sn = c * t;
                    Rotate(cp, cq, c, sn);
                    Rotate(vc.AsSpan(p * n, n), vc.AsSpan(q * n, n), c, sn);
                    // |c x - s y|² and |s x + c y|² from |x|², |y|² and x·y
                    squares[p] = c * c * alpha - 2 * c * sn * gamma + sn * sn * beta;
                    squares[q] = sn * sn * alpha + 2 * c * sn * gamma + c * c * beta;
                }
            if (!rotated) break;
        }
        var norms = new double[n];
        for (var j = 0; j < n; j++)
        {
            double sum = 0;
            foreach (var x in g.AsSpan(j * m, m)) sum += x * x;
            norms[j] = Math.Sqrt(sum);
        }
        var order = Enumerable.Range(0, n).OrderByDescending(j => norms[j]).ThenBy(j => j).ToArray();
        var largest = n == 0 ? 0 : norms[order[0]];
        // u's columns as contiguous vectors, completed below where missing
        var uc = new double[ucols * m];
        var known = new bool[ucols];
        for (var r = 0; r < n; r++)
        {
            var j = order[r];
            s[r] = norms[j];
            for (var i = 0; i < n; i++) v[i * n + r] = vc[j * n + i];
            if (norms[j] > Math.Max(m, n) * 1e-15 * largest && norms[j] > 0)
            {
                for (var i = 0; i < m; i++) uc[r * m + i] = g[j * m + i] / norms[j];
                known[r] = true;
            }
        }
        CompleteBasis(uc, known, m);
        for (var i = 0; i < m; i++)
            for (var r = 0; r < ucols; r++) u[i * ucols + r] = uc[r * m + i];
    }

    /// <summary>The dot product x · y.</summary>
    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>(x, y) := (c x - s y, s x + c y).</summary>
    private static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var (xi, yi) = (x[i], y[i]);
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
    }

    /// <summary>
    /// Fills the vectors (length m, contiguous) not yet <paramref name="known"/> with unit vectors
    /// orthogonal to all others: the standard basis vector whose part orthogonal to the known
    /// ones is largest, orthogonalized twice (Gram-Schmidt) and normalized.
    /// </summary>
    private static void CompleteBasis(double[] vectors, bool[] known, int m)
    {
        var candidate = new double[m];
        var best = new double[m];
        for (var r = 0; r < known.Length; r++)
        {
            if (known[r]) continue;
            double bestNorm = -1;
            for (var e = 0; e < m; e++)
            {
                candidate.AsSpan().Clear();
                candidate[e] = 1;
                for (var pass = 0; pass < 2; pass++)
                    for (var o = 0; o < known.Length; o++)
                    {
                        if (!known[o]) continue;
                        var other = vectors.AsSpan(o * m, m);
                        double dot = 0;
                        for (var i = 0; i < m; i++) dot += other[i] * candidate[i];
                        for (var i = 0; i < m; i++) candidate[i] -= dot * other[i];
                    }
                double norm = 0;
                foreach (var x in candidate) norm += x * x;
                if (norm > bestNorm) (bestNorm, best, candidate) = (norm, candidate, best);
            }
            var scale = 1 / Math.Sqrt(bestNorm);
            for (var i = 0; i < m; i++) vectors[r * m + i] = best[i] * scale;
            known[r] = true;
        }
    }

    /// <summary>Sorts the values and the matching columns of the row-major rows x n matrix (stable, NaNs last).</summary>
    private static void SortColumns(Span<double> values, Span<double> columns, int rows, int n, bool descending)
    {
        var copyValues = values.ToArray();
        var copyColumns = columns.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (x, y) =>
        {
            var (a, b) = (copyValues[x], copyValues[y]);
            var c = double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : descending ? b.CompareTo(a) : a.CompareTo(b);
            return c != 0 ? c : x.CompareTo(y);
        });
        for (var r = 0; r < n; r++)
        {
            values[r] = copyValues[order[r]];
            for (var i = 0; i < rows; i++) columns[i * n + r] = copyColumns[i * n + order[r]];
        }
    }

    /// <summary>
    /// Householder QR of the row-major a (m x n, destroyed) as LAPACK's geqrf and orgqr: r
    /// (rrows x n, rrows = min(m, n) or m) upper triangular, q (m x qcols, qcols = rrows) with
    /// orthonormal columns, a = q r. Each reflector maps its column to beta e₁ with beta of the
    /// opposite sign to the diagonal entry, so R's diagonal may be negative, as LAPACK's.
    /// </summary>
    public static void HouseholderQr(Span<double> a, int m, int n, Span<double> q, int qcols, Span<double> r, int rrows)
    {
        var k = Math.Min(m, n);
        var reflectors = new double[k][];
        for (var j = 0; j < k; j++)
        {
            double norm = 0;
            for (var i = j; i < m; i++) norm += a[i * n + j] * a[i * n + j];
            norm = Math.Sqrt(norm);
            if (norm == 0) continue;
            var beta = a[j * n + j] >= 0 ? -norm : norm;
            // v = x - beta e1; H = I - 2 v vᵀ / (vᵀ v)
            var vj = new double[m - j];
            for (var i = j; i < m; i++) vj[i - j] = a[i * n + j];
            vj[0] -= beta;
            reflectors[j] = vj;
            Reflect(vj, a, j, n, j);
        }
        for (var i = 0; i < rrows; i++)
            for (var c = 0; c < n; c++) r[i * n + c] = c >= i ? a[i * n + c] : 0;
        // q = H_0 H_1 ... H_{k-1} applied to the leading qcols columns of I
        q.Clear();
        for (var i = 0; i < Math.Min(m, qcols); i++) q[i * qcols + i] = 1;
        for (var j = k - 1; j >= 0; j--)
            if (reflectors[j] is { } vj) Reflect(vj, q, j, qcols, 0);
    }

    /// <summary>Applies H = I - 2 v vᵀ / (vᵀ v) to rows from..from+len(v) of the row-major x (width cols), columns from firstColumn on.</summary>
    private static void Reflect(double[] v, Span<double> x, int from, int cols, int firstColumn)
    {
        double vv = 0;
        foreach (var e in v) vv += e * e;
        if (vv == 0) return;
        var w = new double[cols];
        for (var i = 0; i < v.Length; i++)
            for (var c = firstColumn; c < cols; c++) w[c] += v[i] * x[(from + i) * cols + c];
        for (var i = 0; i < v.Length; i++)
        {
            var f = 2 * v[i] / vv;
            for (var c = firstColumn; c < cols; c++) x[(from + i) * cols + c] -= f * w[c];
        }
    }
}
