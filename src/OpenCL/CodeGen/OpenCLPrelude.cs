namespace JaxSharp.OpenCL.CodeGen;

/// <summary>
/// The helper functions that every generated kernel source starts with: .NET's meaning of the
/// operations whose OpenCL C meaning differs or is undefined (signed integer overflow wraps;
/// max and min propagate NaN and order -0 below +0, as <see cref="Math.Max(double, double)"/>),
/// <c>ScalarMath</c>'s functions (integer division by zero as XLA, sign, logistic), and erf and
/// erf_inv (<see cref="SpecialFunctionsSource"/>).
/// </summary>
internal static class OpenCLPrelude
{
    private const string Common = """
        int jx_neg_int(int x) { return as_int(0u - as_uint(x)); }
        int jx_add_int(int a, int b) { return as_int(as_uint(a) + as_uint(b)); }
        int jx_sub_int(int a, int b) { return as_int(as_uint(a) - as_uint(b)); }
        int jx_mul_int(int a, int b) { return as_int(as_uint(a) * as_uint(b)); }
        int jx_max_int(int a, int b) { return max(a, b); }
        int jx_min_int(int a, int b) { return min(a, b); }
        uint jx_max_uint(uint a, uint b) { return max(a, b); }
        uint jx_min_uint(uint a, uint b) { return min(a, b); }
        int jx_div_int(int a, int b) { return b == 0 ? -1 : b == -1 ? jx_neg_int(a) : a / b; }
        uint jx_div_uint(uint a, uint b) { return b == 0u ? 0xFFFFFFFFu : a / b; }
        int jx_rem_int(int a, int b) { return b == 0 ? a : b == -1 ? 0 : a % b; }
        uint jx_rem_uint(uint a, uint b) { return b == 0u ? a : a % b; }
        int jx_abs_int(int x) { return x < 0 ? jx_neg_int(x) : x; }
        int jx_sign_int(int x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }
        uint jx_sign_uint(uint x) { return x > 0u ? 1u : 0u; }

        """;

    private const string Float = """
        float jx_max_float(float a, float b) { return a != b ? (isnan(a) ? a : (b < a ? a : b)) : (signbit(b) ? a : b); }
        float jx_min_float(float a, float b) { return a != b ? (isnan(a) ? a : (a < b ? a : b)) : (signbit(a) ? a : b); }
        float jx_sign_float(float x) { return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x; }
        float jx_logistic_float(float x) { return 1.0f / (1.0f + exp(-x)); }
        float jx_rsqrt_float(float x) { return 1.0f / sqrt(x); }

        """;

    /// <summary>The float64 helpers, with the extension pragma they need.</summary>
    private const string Double = """
        #pragma OPENCL EXTENSION cl_khr_fp64 : enable
        double jx_max_double(double a, double b) { return a != b ? (isnan(a) ? a : (b < a ? a : b)) : (signbit(b) ? a : b); }
        double jx_min_double(double a, double b) { return a != b ? (isnan(a) ? a : (a < b ? a : b)) : (signbit(a) ? a : b); }
        double jx_sign_double(double x) { return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; }
        double jx_logistic_double(double x) { return 1.0 / (1.0 + exp(-x)); }
        double jx_rsqrt_double(double x) { return 1.0 / sqrt(x); }

        """;

    /// <summary>The prelude of a kernel; with the float64 helpers when it uses float64.</summary>
    public static string For(bool usesFloat64) =>
        usesFloat64 ? Double + SpecialFunctionsSource.Double + Common + Float + SpecialFunctionsSource.Float : Common + Float + SpecialFunctionsSource.Float;
}
