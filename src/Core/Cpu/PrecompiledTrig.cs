using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu;

/// <summary>
/// sin and cos of <c>Vector256</c> and <c>Vector512</c> lanes of float and double as ordinary
/// methods, which fused loops call instead of inlining <see cref="SimdMath"/>'s expression trees:
/// the same operations in the same order, so the same bits (checked in the `simd math` test
/// list). A loop of 25 sines otherwise hands the .NET JIT 25 copies of the tree to compile at full
/// optimisation on its first run (the largest part of a process's first <c>jit</c> of such a
/// program); a method is compiled once, by crossgen2 where the application is published
/// ReadyToRun for AVX2 (<c>--instruction-set:x86-64-v3</c>), else by the JIT on its first call.
/// The vector is passed by reference: crossgen2 does not precompile methods with vector
/// parameters or results. Not inlined, so that the loops stay small. A <c>Vector512</c> runs as its
/// two <c>Vector256</c> halves (a lane's steps are the same at every width), with one test for
/// lanes beyond the reduction's limit over all its lanes, as the tree's: so its methods use no
/// <c>Vector512</c> operation, which crossgen2 would leave to the JIT.
/// </summary>
public static class PrecompiledTrig
{
    /// <summary>x = sin x in each float32 lane (see <see cref="SimdMath.Sin"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Sin(ref Vector256<float> x) => Trig(ref x, 1, sine: true);

    /// <summary>x = cos x in each float32 lane (see <see cref="SimdMath.Cos"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Cos(ref Vector256<float> x) => Trig(ref x, 1, sine: false);

    /// <summary>x = sin x in each float64 lane (see <see cref="SimdMath.Sin"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Sin(ref Vector256<double> x) => Trig(ref x, 1, sine: true);

    /// <summary>x = cos x in each float64 lane (see <see cref="SimdMath.Cos"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Cos(ref Vector256<double> x) => Trig(ref x, 1, sine: false);

    /// <summary>x = sin x in each float32 lane of a 512-bit vector (see <see cref="SimdMath.Sin"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Sin(ref Vector512<float> x) => Trig(ref Halves(ref x), 2, sine: true);

    /// <summary>x = cos x in each float32 lane of a 512-bit vector (see <see cref="SimdMath.Cos"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Cos(ref Vector512<float> x) => Trig(ref Halves(ref x), 2, sine: false);

    /// <summary>x = sin x in each float64 lane of a 512-bit vector (see <see cref="SimdMath.Sin"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Sin(ref Vector512<double> x) => Trig(ref Halves(ref x), 2, sine: true);

    /// <summary>x = cos x in each float64 lane of a 512-bit vector (see <see cref="SimdMath.Cos"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Cos(ref Vector512<double> x) => Trig(ref Halves(ref x), 2, sine: false);

    /// <summary>
    /// A call of the method for <paramref name="x"/>'s vector type, as an expression of that type,
    /// or null where there is none (other widths inline the tree).
    /// </summary>
    internal static Expression? Call(Expression x, bool sine)
    {
        if (x.Type != typeof(Vector256<float>) && x.Type != typeof(Vector256<double>)
            && x.Type != typeof(Vector512<float>) && x.Type != typeof(Vector512<double>)) return null;
        var method = typeof(PrecompiledTrig).GetMethod(sine ? nameof(Sin) : nameof(Cos), [x.Type.MakeByRefType()])!;
        var v = Expression.Variable(x.Type, sine ? "sin" : "cos");
        return Expression.Block(x.Type, [v], Expression.Assign(v, x), Expression.Call(method, v), v);
    }

    /// <summary>Whether <paramref name="tree"/> calls one of these methods.</summary>
    internal static bool IsCalledBy(Expression tree)
    {
        var finder = new Inliner(replace: false);
        finder.Visit(tree);
        return finder.Found;
    }

    /// <summary><paramref name="lambda"/> with each call of these methods replaced by SimdMath's tree, which it inlines.</summary>
    internal static Expression<T> Inlined<T>(Expression<T> lambda) => (Expression<T>)new Inliner(replace: true).Visit(lambda);

    /// <summary>Finds the blocks that <see cref="Call"/> builds, and replaces them where <paramref name="replace"/> is set.</summary>
    private sealed class Inliner(bool replace) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitBlock(BlockExpression node)
        {
            if (node.Expressions is [BinaryExpression { NodeType: ExpressionType.Assign } assign, MethodCallExpression call, ParameterExpression]
                && call.Method.DeclaringType == typeof(PrecompiledTrig))
            {
                Found = true;
                if (!replace) return node;
                return SimdMath.Trig(Visit(assign.Right), sine: call.Method.Name == nameof(Sin));
            }
            return base.VisitBlock(node);
        }
    }

    /// <summary>
    /// SimdMath.Trig's float32 steps (Cephes sinf and cosf, the reduction in float64) on
    /// <paramref name="vectors"/> consecutive 256-bit vectors (one, or a 512-bit vector's two
    /// halves): a lane beyond the limit in any of them sends all their lanes through MathF, as the
    /// tree's one test over a whole vector does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Trig(ref Vector256<float> x, int vectors, bool sine)
    {
        for (var i = 0; i < vectors; i++)
            if (Far(Unsafe.Add(ref x, i)))
            {
                foreach (ref var lane in Lanes(ref x, vectors)) lane = sine ? MathF.Sin(lane) : MathF.Cos(lane);
                return;
            }
        for (var i = 0; i < vectors; i++) Polynomial(ref Unsafe.Add(ref x, i), sine);
    }

    /// <summary>Whether a lane of x lies beyond |x| = 8192 (or is infinite), where the reduction loses bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Far(Vector256<float> x) => Vector256.GreaterThanAny(Vector256.Abs(x), Vector256.Create((float)8192.0));

    /// <summary>The polynomial steps, for lanes within the limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Polynomial(ref Vector256<float> x, bool sine)
    {
        var a = Vector256.Abs(x);
        var j = TruncateToInt32(a * Vector256.Create((float)1.27323954473516));
        j = (j + Vector256.Create(1)) & Vector256.Create(~1);
        var k = Vector256.ConvertToSingle(j) * Vector256.Create((float)0.5);
        var r = Vector256.Narrow(Reduce(Vector256.WidenLower(a), Vector256.WidenLower(k)), Reduce(Vector256.WidenUpper(a), Vector256.WidenUpper(k)));
        var z = r * r;
        var sp = Vector256.FusedMultiplyAdd(Vector256.Create((float)-1.9515295891e-4), z, Vector256.Create((float)8.3321608736e-3));
        sp = Vector256.FusedMultiplyAdd(sp, z, Vector256.Create((float)-1.6666654611e-1));
        var sinPoly = Vector256.FusedMultiplyAdd(sp * z, r, r);
        var cp = Vector256.FusedMultiplyAdd(Vector256.Create((float)2.443315711809948e-5), z, Vector256.Create((float)-1.388731625493765e-3));
        cp = Vector256.FusedMultiplyAdd(cp, z, Vector256.Create((float)4.166664568298827e-2));
        var cosPoly = Vector256.FusedMultiplyAdd(cp * z, z, Vector256.FusedMultiplyAdd(z, Vector256.Create((float)-0.5), Vector256.Create((float)1.0)));
        var quadrant = j >> 1;
        var odd = Vector256.Equals(quadrant & Vector256.Create(1), Vector256.Create(1)).AsSingle();
        var value = Vector256.ConditionalSelect(odd, sine ? cosPoly : sinPoly, sine ? sinPoly : cosPoly);
        var signBit = ((sine ? quadrant : quadrant + Vector256.Create(1)) & Vector256.Create(2)) << 30;
        if (sine) signBit ^= x.AsInt32() & Vector256.Create(int.MinValue);
        x = (value.AsInt32() ^ signBit).AsSingle();
    }

    /// <summary>
    /// <c>Vector256.ConvertToInt32Native</c>: on x86 the same <c>vcvttps2dq</c> by its AVX name,
    /// which crossgen2 compiles (it leaves the portable name to the JIT).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> TruncateToInt32(Vector256<float> v) =>
        Avx.IsSupported ? Avx.ConvertToVector256Int32WithTruncation(v) : Vector256.ConvertToInt32Native(v);

    /// <summary>|x| less k pi/2 in float64, pi/2 in two parts (see SimdMath.Trig).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Reduce(Vector256<double> a, Vector256<double> k) =>
        Vector256.FusedMultiplyAdd(k, Vector256.Create(-6.07710050650619224932e-11),
            Vector256.FusedMultiplyAdd(k, Vector256.Create(-1.57079632673412561417), a));

    /// <summary>SimdMath.TrigFloat64's steps (Cephes sin and cos), on vectors as the float32 <c>Trig</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Trig(ref Vector256<double> x, int vectors, bool sine)
    {
        for (var i = 0; i < vectors; i++)
            if (Far(Unsafe.Add(ref x, i)))
            {
                foreach (ref var lane in Lanes(ref x, vectors)) lane = sine ? Math.Sin(lane) : Math.Cos(lane);
                return;
            }
        for (var i = 0; i < vectors; i++) Polynomial(ref Unsafe.Add(ref x, i), sine);
    }

    /// <summary>Whether a lane of x lies beyond |x| = 2^20 (or is infinite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Far(Vector256<double> x) => Vector256.GreaterThanAny(Vector256.Abs(x), Vector256.Create(1048576.0));

    /// <summary>The polynomial steps, for lanes within the limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Polynomial(ref Vector256<double> x, bool sine)
    {
        var a = Vector256.Abs(x);
        var k = Vector256.Round(a * Vector256.Create(0.63661977236758134308));
        var r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-2 * 7.85398125648498535156E-1), a);
        r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-2 * 3.77489470793079817668E-8), r);
        r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-2 * 2.69515142907905952645E-15), r);
        r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-2 * 4.239213830184449821979E-32), r);
        var z = r * r;
        var sinPoly = Vector256.FusedMultiplyAdd(Horner(z, 1.58962301576546568060E-10, -2.50507477628578072866E-8,
            2.75573136213857245213E-6, -1.98412698295895385996E-4, 8.33333333332211858878E-3, -1.66666666666666307295E-1) * z, r, r);
        var cosPoly = Vector256.FusedMultiplyAdd(Horner(z, -1.13585365213876817300E-11, 2.08757008419747316778E-9,
            -2.75573141792967388112E-7, 2.48015872888517045348E-5, -1.38888888888730564116E-3, 4.16666666666665929218E-2) * z, z,
            Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5), Vector256.Create(1.0)));
        var quadrant = (k + Vector256.Create(6755399441056768.0)).AsInt64();
        var odd = Vector256.Equals(quadrant & Vector256.Create(1L), Vector256.Create(1L)).AsDouble();
        var value = Vector256.ConditionalSelect(odd, sine ? cosPoly : sinPoly, sine ? sinPoly : cosPoly);
        var signBit = ((sine ? quadrant : quadrant + Vector256.Create(1L)) & Vector256.Create(2L)) << 62;
        if (sine) signBit ^= x.AsInt64() & Vector256.Create(long.MinValue);
        x = (value.AsInt64() ^ signBit).AsDouble();
    }

    /// <summary>((c0 z + c1) z + ...) + c5 with fused multiply-adds, as SimdMath's Horner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Horner(Vector256<double> z, double c0, double c1, double c2, double c3, double c4, double c5)
    {
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(c0), z, Vector256.Create(c1));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(c2));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(c3));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(c4));
        return Vector256.FusedMultiplyAdd(p, z, Vector256.Create(c5));
    }

    /// <summary>The lanes of <paramref name="vectors"/> consecutive vectors from <paramref name="x"/>, in place.</summary>
    private static Span<T> Lanes<T>(ref Vector256<T> x, int vectors) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<Vector256<T>, T>(ref x), vectors * Vector256<T>.Count);

    /// <summary>A 512-bit vector as its two 256-bit halves, lower first, in place.</summary>
    private static ref Vector256<T> Halves<T>(ref Vector512<T> x) => ref Unsafe.As<Vector512<T>, Vector256<T>>(ref x);
}
