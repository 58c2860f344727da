using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// The product kernels' few scalar operations (edge tiles, loop tails) on float32, float64,
/// int32 and uint32 without an <c>INumber&lt;T&gt;</c> constraint. crossgen2 precompiles a
/// generic's instantiation over a primitive type (<c>BlockedGemm&lt;float, ...&gt;</c>) only when
/// that type parameter has no constraint at all (not even <c>unmanaged</c>), so the kernels keep
/// their element type unconstrained and add and multiply through here; the <c>typeof</c> tests
/// fold away in each instantiation, leaving the one instruction (docs/jit.md, "First result in a
/// fresh process").
/// </summary>
internal static class GemmArithmetic
{
    /// <summary><paramref name="x"/> + <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add<T>(T x, T y)
    {
        if (typeof(T) == typeof(float)) return As<float, T>(As<T, float>(x) + As<T, float>(y));
        if (typeof(T) == typeof(double)) return As<double, T>(As<T, double>(x) + As<T, double>(y));
        if (typeof(T) == typeof(int)) return As<int, T>(As<T, int>(x) + As<T, int>(y));
        if (typeof(T) == typeof(uint)) return As<uint, T>(As<T, uint>(x) + As<T, uint>(y));
        throw Unsupported<T>();
    }

    /// <summary><paramref name="x"/> * <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply<T>(T x, T y)
    {
        if (typeof(T) == typeof(float)) return As<float, T>(As<T, float>(x) * As<T, float>(y));
        if (typeof(T) == typeof(double)) return As<double, T>(As<T, double>(x) * As<T, double>(y));
        if (typeof(T) == typeof(int)) return As<int, T>(As<T, int>(x) * As<T, int>(y));
        if (typeof(T) == typeof(uint)) return As<uint, T>(As<T, uint>(x) * As<T, uint>(y));
        throw Unsupported<T>();
    }

    /// <summary><paramref name="x"/> * <paramref name="y"/> + <paramref name="z"/> lane by lane, in one rounding: the AVX-512 micro-kernels' step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FusedMultiplyAdd<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"dot_general: the AVX-512 micro-kernels take float32 or float64, not {typeof(T).Name}");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TTo As<TFrom, TTo>(TFrom value) => Unsafe.As<TFrom, TTo>(ref value);

    private static NotSupportedException Unsupported<T>() =>
        new($"dot_general: the product kernels take float32, float64, int32 or uint32, not {typeof(T).Name}");
}
