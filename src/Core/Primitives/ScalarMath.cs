namespace JaxSharp.Primitives;

/// <summary>
/// Scalar functions the element-level lowerings call where <see cref="Math"/> and
/// <see cref="MathF"/> have none or behave otherwise than XLA on the CPU: integer division
/// without exceptions, accurate <c>log1p</c>/<c>expm1</c>, sign that keeps NaN. Float32
/// overloads compute in float32.
/// </summary>
public static class ScalarMath
{
    /// <summary>Integer division truncating toward zero; as XLA: <c>x / 0 = -1</c>, <c>int.MinValue / -1 = int.MinValue</c>.</summary>
    public static int Div(int a, int b) => b == 0 ? -1 : b == -1 ? unchecked(-a) : a / b;

    /// <summary>Unsigned division; as XLA: <c>x / 0 = uint.MaxValue</c>.</summary>
    public static uint Div(uint a, uint b) => b == 0 ? uint.MaxValue : a / b;

    /// <summary>Remainder with the sign of the dividend; as XLA: <c>x % 0 = x</c>, <c>x % -1 = 0</c>.</summary>
    public static int Rem(int a, int b) => b == 0 ? a : b == -1 ? 0 : a % b;

    /// <summary>Unsigned remainder; as XLA: <c>x % 0 = x</c>.</summary>
    public static uint Rem(uint a, uint b) => b == 0 ? a : a % b;

    /// <summary>|x|, wrapping at <c>int.MinValue</c> (which stays itself) instead of throwing.</summary>
    public static int Abs(int x) => x < 0 ? unchecked(-x) : x;

    /// <summary>-1, 0 or 1 by the sign of x.</summary>
    public static int Sign(int x) => x > 0 ? 1 : x < 0 ? -1 : 0;

    /// <summary>1 when x is positive, else 0.</summary>
    public static uint Sign(uint x) => x > 0 ? 1u : 0u;

    /// <summary>-1, 1, or x itself for ±0 and NaN.</summary>
    public static float Sign(float x) => x > 0 ? 1f : x < 0 ? -1f : x;

    /// <summary>-1, 1, or x itself for ±0 and NaN.</summary>
    public static double Sign(double x) => x > 0 ? 1.0 : x < 0 ? -1.0 : x;

    // log1p x = log(u) * x / (u - 1) with u = 1 + x, exact up to rounding (Goldberg).
    /// <summary>log(1 + x), accurate for small x.</summary>
    public static float Log1p(float x)
    {
        var u = 1f + x;
        if (u == 1f) return x;
        if (float.IsPositiveInfinity(u)) return u;
        return MathF.Log(u) * (x / (u - 1f));
    }

    /// <summary>log(1 + x), accurate for small x.</summary>
    public static double Log1p(double x)
    {
        var u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsPositiveInfinity(u)) return u;
        return Math.Log(u) * (x / (u - 1.0));
    }

    // expm1 x = (u - 1) * x / log u with u = e^x (Kahan).
    /// <summary>e^x - 1, accurate for small x.</summary>
    public static float Expm1(float x)
    {
        var u = MathF.Exp(x);
        if (u == 1f) return x;
        var um1 = u - 1f;
        if (um1 == -1f || float.IsPositiveInfinity(u)) return um1;
        return um1 * (x / MathF.Log(u));
    }

    /// <summary>e^x - 1, accurate for small x.</summary>
    public static double Expm1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0) return x;
        var um1 = u - 1.0;
        if (um1 == -1.0 || double.IsPositiveInfinity(u)) return um1;
        return um1 * (x / Math.Log(u));
    }

    /// <summary>The logistic sigmoid 1 / (1 + e^-x).</summary>
    public static float Logistic(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The logistic sigmoid 1 / (1 + e^-x).</summary>
    public static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>1 / sqrt(x).</summary>
    public static float Rsqrt(float x) => 1f / MathF.Sqrt(x);

    /// <summary>1 / sqrt(x).</summary>
    public static double Rsqrt(double x) => 1.0 / Math.Sqrt(x);
}
