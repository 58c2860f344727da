using JaxSharp.Random;

namespace JaxSharp;

// jax.random.binomial and multinomial, step for step as jax/_src/random/core.py's _binomial,
// _binomial_inversion, _btrs and multinomial: the same key splits, the same whole-array while
// loops and the same float operations, so that the draws are JAX's.
public static partial class Rng
{
    /// <summary>
    /// Binomial(n, p) values (counts as floats, float32 by default), as <c>jax.random.binomial</c>:
    /// for n · min(p, 1 - p) ≤ 10 the inversion algorithm (sums of geometric draws), otherwise
    /// BTRS transformed rejection, both as whole-array while loops on the same key. n is floored;
    /// NaN or negative n, NaN p or p outside [0, 1] give NaN; an infinite n gives +inf.
    /// <paramref name="shape"/> defaults to the broadcast shape of n and p.
    /// </summary>
    /// <example><c>Rng.Binomial(key, 10.0, 0.3, new Shape(5))</c></example>
    public static Tensor Binomial(Tensor key, Tensor n, Tensor p, Shape? shape = null, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(n);
        NotNull(p);
        KeyShapes.CheckSingle("binomial", key);
        if (!floatType.IsFloat())
            throw new ArgumentException($"binomial: dtype must be a float dtype (float32 or float64), got {floatType.Name()}");
        var s = shape ?? Primitives.Broadcasting.Shapes("binomial", n.Shape, p.Shape);
        CheckBroadcastsTo("binomial", s, n.Shape, p.Shape);
        // promote_dtypes_inexact(prob): the arithmetic runs in p's float dtype (float32 for a .NET number or integers, as in JAX).
        var probDType = p.IsWeaklyTyped || !p.DType.IsFloat() ? DType.Float32 : p.DType;
        var prob = Np.BroadcastTo(Np.Cast(p, probDType), s);
        var count = Np.BroadcastTo(Np.Cast(n, probDType), s);
        var pLessThanHalf = Np.Less(prob, 0.5);
        var q = Lax.Select(pLessThanHalf, prob, Np.Subtract(1.0, prob));
        var countNanOrNegative = Np.LogicalOr(Np.IsNan(count), Np.Less(count, 0.0));
        var countInf = Np.IsInf(count);
        var qIsNan = Np.IsNan(q);
        var qBelowZero = Np.Less(q, 0.0);
        q = Lax.Select(Np.LogicalOr(qIsNan, qBelowZero), Np.FullLike(q, 0.01), q);
        var useInversion = Np.LogicalOr(countNanOrNegative, Np.LessEqual(Np.Multiply(count, q), 10.0));
        count = Np.Floor(count);
        var countInversion = Lax.Select(useInversion, count, Np.FullLike(count, 0.0));
        var countBtrs = Lax.Select(useInversion, Np.FullLike(count, 1e4), count);
        var qBtrs = Lax.Select(useInversion, Np.FullLike(q, 0.5), q);
        var samples = Lax.Select(useInversion,
            Np.Cast(BinomialInversion(key, countInversion, q, s), floatType),
            Np.Cast(BinomialBtrs(key, countBtrs, qBtrs, s), floatType));
        var invalid = Np.LogicalOr(Np.LogicalOr(qBelowZero, qIsNan), countNanOrNegative);
        samples = Lax.Select(invalid, Np.FullLike(samples, double.NaN), samples);
        samples = Lax.Select(Np.LogicalAnd(countInf, Np.LogicalNot(invalid)), Np.FullLike(samples, double.PositiveInfinity), samples);
        var drawnDirectly = Np.LogicalOr(Np.LogicalOr(pLessThanHalf, countNanOrNegative), Np.LogicalOr(qIsNan, countInf));
        return Lax.Select(drawnDirectly, samples, Np.Subtract(Np.Cast(count, floatType), samples));
    }

    /// <summary>
    /// JAX's <c>_binomial_inversion</c>: counts geometric waiting times (ceil(log u / log(1 - p)))
    /// until their sum passes the count; each round splits (subkey, key) and draws the whole shape.
    /// JAX's iteration cap (the dtype's largest value) cannot be reached and is left out.
    /// </summary>
    private static Tensor BinomialInversion(Tensor key, Tensor count, Tensor prob, Shape shape)
    {
        var log1MinusProb = Np.Log1p(Np.Negative(prob));
        var init = (Key: key, NumGeom: Np.FullLike(prob, 0.0), GeomSum: Np.FullLike(prob, 0.0));
        var result = Lax.WhileLoop(
            carry => Np.Any(Np.LessEqual(carry.GeomSum, count)),
            carry =>
            {
                var (subkey, next) = Split2(carry.Key);
                var numGeom = Lax.Select(Np.LessEqual(carry.GeomSum, count), Np.Add(carry.NumGeom, 1.0), carry.NumGeom);
                var u = Uniform(subkey, shape, 0.0, 1.0, prob.DType);
                var geom = Np.Ceil(Np.Divide(Np.Log(u), log1MinusProb));
                return (next, numGeom, Np.Add(carry.GeomSum, geom));
            },
            init);
        return Np.Subtract(result.NumGeom, 1.0);
    }

    /// <summary>
    /// JAX's <c>_btrs</c> (Hörmann's transformed rejection with squeeze): each round splits the key
    /// in three, proposes k for every element and keeps the last accepted proposal, until every
    /// element has accepted one (elements that accepted earlier take later accepted proposals, as in JAX).
    /// </summary>
    private static Tensor BinomialBtrs(Tensor key, Tensor count, Tensor prob, Shape shape)
    {
        var stddev = Np.Sqrt(Np.Multiply(Np.Multiply(count, prob), Np.Subtract(1.0, prob)));
        var b = Np.Add(1.15, Np.Multiply(2.53, stddev));
        var a = Np.Add(Np.Add(-0.0873, Np.Multiply(0.0248, b)), Np.Multiply(0.01, prob));
        var c = Np.Add(Np.Multiply(count, prob), 0.5);
        var vR = Np.Subtract(0.92, Np.Divide(4.2, b));
        var r = Np.Divide(prob, Np.Subtract(1.0, prob));
        var alpha = Np.Multiply(Np.Add(2.83, Np.Divide(5.1, b)), stddev);
        var m = Np.Floor(Np.Multiply(Np.Add(count, 1.0), prob));
        var init = (Key: key, K: Np.FullLike(prob, -1.0), Accepted: Np.Full(shape, 0, DType.Bool));
        var result = Lax.WhileLoop(
            carry => Np.Any(Np.LogicalNot(carry.Accepted)),
            carry =>
            {
                var keys = Split(carry.Key, 3);
                var u = Np.Subtract(Uniform(keys[1], shape, 0.0, 1.0, prob.DType), 0.5);
                var v = Uniform(keys[2], shape, 0.0, 1.0, prob.DType);
                var us = Np.Subtract(0.5, Np.Abs(u));
                var accept1 = Np.LogicalAnd(Np.GreaterEqual(us, 0.07), Np.LessEqual(v, vR));
                var k = Np.Floor(Np.Add(Np.Multiply(Np.Add(Np.Divide(Np.Multiply(2.0, a), us), b), u), c));
                var reject = Np.LogicalOr(Np.Less(k, 0.0), Np.Greater(k, count));
                var logV = Np.Log(Np.Divide(Np.Multiply(v, alpha), Np.Add(Np.Divide(a, Np.Multiply(us, us)), b)));
                var countMinusM1 = Np.Add(Np.Subtract(count, m), 1.0);
                var countMinusK1 = Np.Add(Np.Subtract(count, k), 1.0);
                var ub = Np.Multiply(Np.Add(m, 0.5), Np.Log(Np.Divide(Np.Add(m, 1.0), Np.Multiply(r, countMinusM1))));
                ub = Np.Add(ub, Np.Multiply(Np.Add(count, 1.0), Np.Log(Np.Divide(countMinusM1, countMinusK1))));
                ub = Np.Add(ub, Np.Multiply(Np.Add(k, 0.5), Np.Log(Np.Divide(Np.Multiply(r, countMinusK1), Np.Add(k, 1.0)))));
                ub = Np.Add(ub, StirlingApproxTail(m));
                ub = Np.Add(ub, StirlingApproxTail(Np.Subtract(count, m)));
                ub = Np.Subtract(ub, StirlingApproxTail(k));
                ub = Np.Subtract(ub, StirlingApproxTail(Np.Subtract(count, k)));
                var accept = Np.LogicalOr(accept1, Np.LogicalAnd(Np.LogicalNot(reject), Np.LessEqual(logV, ub)));
                return (keys[0], Lax.Select(accept, k, carry.K), Np.LogicalOr(carry.Accepted, accept));
            },
            init);
        return result.K;
    }

    private static readonly double[] StirlingTailValues =
    [
        0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
        0.0138761288230707, 0.0118967099458917, 0.0104112652619720, 0.00925546218271273, 0.00833056343336287,
    ];

    /// <summary>
    /// JAX's <c>_stirling_approx_tail</c>: log k! minus its Stirling approximation, from a table
    /// for k ≤ 9 and a series otherwise; as in JAX, the series is evaluated at k clamped to [0, 9].
    /// </summary>
    private static Tensor StirlingApproxTail(Tensor k)
    {
        var table = Np.Cast(Tensor.FromArray(StirlingTailValues), k.DType);
        var useTable = Np.LessEqual(k, 9.0);
        var clamped = Np.Clip(k, 0.0, 9.0);
        var kPlus1Squared = Np.Multiply(Np.Add(clamped, 1.0), Np.Add(clamped, 1.0));
        var inner = Np.Subtract(1.0 / 360, Np.Divide(1.0 / 1260, kPlus1Squared));
        var approx = Np.Divide(Np.Subtract(1.0 / 12, Np.Divide(inner, kPlus1Squared)), Np.Add(clamped, 1.0));
        var index = Np.AsType(Np.Floor(clamped), DType.Int32);
        return Lax.Select(useTable, Np.Take(table, index, mode: GatherScatterMode.Clip), approx);
    }

    /// <summary>
    /// Multinomial counts (floats, float32 by default), as <c>jax.random.multinomial</c>: n trials
    /// spread over the outcomes on p's last axis, one binomial per outcome in a scan (each the
    /// remaining trials with the outcome's share of the remaining probability, keys from
    /// <c>split(key, outcomes)</c>). n broadcasts to p's shape without its last axis;
    /// <paramref name="shape"/> (the whole result shape, outcomes last) defaults to p's shape.
    /// </summary>
    /// <example><c>Rng.Multinomial(key, 100.0, Tensor.FromArray(new[] { 0.2f, 0.3f, 0.5f }))</c></example>
    public static Tensor Multinomial(Tensor key, Tensor n, Tensor p, Shape? shape = null, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(n);
        NotNull(p);
        KeyShapes.CheckSingle("multinomial", key);
        if (!floatType.IsFloat())
            throw new ArgumentException($"multinomial: dtype must be a float dtype (float32 or float64), got {floatType.Name()}");
        if (p.Rank < 1)
            throw new ArgumentException($"multinomial: p needs the outcomes on a last axis, got p of shape {p.Shape}");
        var s = shape ?? p.Shape;
        if (s.Rank < 1)
            throw new ArgumentException($"multinomial: shape {s} has no outcomes axis; give the whole result shape, outcomes last (p is {p.Shape})");
        CheckBroadcastsTo("multinomial", s, p.Shape);
        var batch = new Shape(s.Take(s.Rank - 1));
        CheckBroadcastsTo("multinomial", batch, n.Shape);
        // promote_dtypes_inexact(n, p): float64 only from a strongly typed float64 operand (.NET numbers are float32, as in JAX).
        var inexact = (n.DType == DType.Float64 && !n.IsWeaklyTyped) || (p.DType == DType.Float64 && !p.IsWeaklyTyped) ? DType.Float64 : DType.Float32;
        var trials = Np.BroadcastTo(Np.Cast(n, inexact), batch);
        var probs = Np.Moveaxis(Np.BroadcastTo(Np.Cast(p, inexact), s), -1, 0);
        var remaining = Lax.Cumsum(probs, 0, reverse: true);
        var ratios = Np.Divide(probs, Np.Where(Np.Equal(remaining, 0.0), Np.FullLike(remaining, 1.0), remaining));
        var keys = Split(key, ratios.Shape[0]);
        var (_, counts) = Lax.Scan(
            (remainder, xs) =>
            {
                var count = Binomial(xs[1], remainder[0], Np.Clip(xs[0], 0.0, 1.0), dtype: remainder[0].DType);
                return ([Np.Subtract(remainder[0], count)], [count]);
            },
            [trials], [ratios, keys]);
        return Np.Cast(Np.Moveaxis(counts[0], 0, -1), floatType);
    }
}
