using System.Text;
using JaxSharp.Primitives;

namespace JaxSharp.OpenCL.CodeGen;

/// <summary>
/// <c>erf</c> and <c>erf_inv</c> in OpenCL C, printed from the coefficients of
/// <see cref="SpecialFunctions"/> with the CPU's operations in the CPU's order, so that the
/// results are the CPU's bit for bit except where a built-in (<c>exp</c>, <c>log</c>) rounds
/// differently from .NET's: float32 erf as the CPU's SIMD form (<c>SimdMath.Erf</c>: a clamp, two
/// fused multiply-add Horner polynomials, x times their quotient, a clamp), everything else as
/// the scalar C# functions (plain multiply and add, one statement each, so that no compiler
/// contracts them into fused multiply-adds). docs/opencl.md lists the measured ulp.
/// </summary>
internal static class SpecialFunctionsSource
{
    /// <summary>The float32 functions: <c>jx_erf_float</c> and <c>jx_erfinv_float</c>.</summary>
    public static readonly string Float = FloatSource();

    /// <summary>The float64 functions: <c>jx_erf_double</c> and <c>jx_erfinv_double</c> (needs cl_khr_fp64).</summary>
    public static readonly string Double = DoubleSource();

    private static string FloatSource()
    {
        var s = new StringBuilder();
        s.AppendLine("float jx_erf_float(float x) {");
        s.AppendLine("    const float c = jx_min_float(jx_max_float(x, -4.0f), 4.0f);");
        s.AppendLine("    const float x2 = c * c;");
        Horner(s, "float", "num", "x2", SpecialFunctions.s_erfAlpha32.Select(v => (object)v), fused: true);
        Horner(s, "float", "den", "x2", SpecialFunctions.s_erfBeta32.Select(v => (object)v), fused: true);
        s.AppendLine("    const float q = num / den;");
        s.AppendLine("    const float y = c * q;");
        s.AppendLine("    return jx_min_float(jx_max_float(y, -1.0f), 1.0f);");
        s.AppendLine("}");
        s.AppendLine("float jx_erfinv_float(float x) {");
        s.AppendLine("    if (fabs(x) == 1.0f) return x * INFINITY;");
        s.AppendLine("    const float m = -x;");
        s.AppendLine("    const float v = m * x;");
        Log1p(s, "float", "l", "v", "1.0f");
        s.AppendLine("    const float w = -l;");
        s.AppendLine("    float p;");
        s.AppendLine("    if (w < 5.0f) {");
        s.AppendLine("        const float t = w - 2.5f;");
        Horner(s, "float", "p", "t", SpecialFunctions.s_erfinvSmall32.Select(v => (object)v), fused: false, declare: false);
        s.AppendLine("    } else {");
        s.AppendLine("        const float r = sqrt(w);");
        s.AppendLine("        const float t = r - 3.0f;");
        Horner(s, "float", "p", "t", SpecialFunctions.s_erfinvLarge32.Select(v => (object)v), fused: false, declare: false);
        s.AppendLine("    }");
        s.AppendLine("    return p * x;");
        s.AppendLine("}");
        return s.ToString();
    }

    private static string DoubleSource()
    {
        static IEnumerable<object> C(double[] coefficients) => coefficients.Select(v => (object)v);
        var s = new StringBuilder();
        s.AppendLine("double jx_erf_double(double x) {");
        s.AppendLine("    if (fabs(x) < 1.0) {");
        s.AppendLine("        const double z = x * x;");
        Horner(s, "double", "t", "z", C(SpecialFunctions.s_erfT64), fused: false);
        Horner(s, "double", "u", "z", C(SpecialFunctions.s_erfU64), fused: false);
        s.AppendLine("        const double xt = x * t;");
        s.AppendLine("        return xt / u;");
        s.AppendLine("    }");
        s.AppendLine("    const double m = -x;");
        s.AppendLine("    const double z = m * x;");
        s.AppendLine("    const double a = fabs(x);");
        s.AppendLine("    const double e = exp(z);");
        s.AppendLine("    double p, q;");
        s.AppendLine("    if (a < 8.0) {");
        Horner(s, "double", "p", "a", C(SpecialFunctions.s_erfcP64), fused: false, declare: false);
        Horner(s, "double", "q", "a", C(SpecialFunctions.s_erfcQ64), fused: false, declare: false);
        s.AppendLine("    } else {");
        Horner(s, "double", "p", "a", C(SpecialFunctions.s_erfcR64), fused: false, declare: false);
        Horner(s, "double", "q", "a", C(SpecialFunctions.s_erfcS64), fused: false, declare: false);
        s.AppendLine("    }");
        s.AppendLine("    const double ep = e * p;");
        s.AppendLine("    double y = ep / q;");
        s.AppendLine("    if (z < -7.09782712893383996843E2) y = 0.0;");
        s.AppendLine("    const double ec = x < 0.0 ? 2.0 - y : y;");
        s.AppendLine("    return 1.0 - ec;");
        s.AppendLine("}");
        s.AppendLine("double jx_erfinv_double(double x) {");
        s.AppendLine("    if (fabs(x) == 1.0) return x * (double)INFINITY;");
        s.AppendLine("    const double m = -x;");
        s.AppendLine("    const double v = m * x;");
        Log1p(s, "double", "l", "v", "1.0");
        s.AppendLine("    const double w = -l;");
        s.AppendLine("    double p;");
        s.AppendLine("    if (w < 6.25) {");
        s.AppendLine("        const double t = w - 3.125;");
        Horner(s, "double", "p", "t", C(SpecialFunctions.s_erfinvSmall64), fused: false, declare: false);
        s.AppendLine("    } else if (w < 16.0) {");
        s.AppendLine("        const double r = sqrt(w);");
        s.AppendLine("        const double t = r - 3.25;");
        Horner(s, "double", "p", "t", C(SpecialFunctions.s_erfinvMiddle64), fused: false, declare: false);
        s.AppendLine("    } else {");
        s.AppendLine("        const double r = sqrt(w);");
        s.AppendLine("        const double t = r - 5.0;");
        Horner(s, "double", "p", "t", C(SpecialFunctions.s_erfinvLarge64), fused: false, declare: false);
        s.AppendLine("    }");
        s.AppendLine("    return p * x;");
        s.AppendLine("}");
        return s.ToString();
    }

    /// <summary>
    /// <paramref name="result"/> = ((c0 t + c1) t + ...) + cn, one rounding per step as the CPU:
    /// <c>fma(p, t, c)</c> when <paramref name="fused"/>, else <c>p * t</c> and then <c>+ c</c>
    /// as two statements.
    /// </summary>
    private static void Horner(StringBuilder s, string type, string result, string t, IEnumerable<object> coefficients, bool fused, bool declare = true)
    {
        var all = coefficients.Select(OpenCLPrinter.Literal).ToArray();
        s.AppendLine(declare ? $"    {type} {result} = {all[0]};" : $"    {result} = {all[0]};");
        foreach (var c in all.Skip(1))
            s.AppendLine(fused ? $"    {result} = fma({result}, {t}, {c});" : $"    {result} = {result} * {t}; {result} = {result} + {c};");
    }

    /// <summary><paramref name="result"/> = log(1 + x) as <c>ScalarMath.Log1p</c>: log(u) (x / (u - 1)) with u = 1 + x (Kahan).</summary>
    private static void Log1p(StringBuilder s, string type, string result, string x, string one)
    {
        s.AppendLine($"    const {type} u = {one} + {x};");
        s.AppendLine($"    {type} {result};");
        s.AppendLine($"    if (u == {one}) {result} = {x};");
        s.AppendLine($"    else if (isinf(u) && u > 0) {result} = u;");
        s.AppendLine($"    else {{ const {type} d = u - {one}; const {type} q = {x} / d; const {type} lu = log(u); {result} = lu * q; }}");
    }
}
