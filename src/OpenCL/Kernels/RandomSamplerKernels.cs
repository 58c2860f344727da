using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.Random;
using JaxSharp.Random;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernels of <c>random_gamma</c> and <c>random_poisson</c>: the CPU's samplers
/// (<c>GammaSampler</c>, <c>PoissonSampler</c>, <c>ScalarDraws</c>) in OpenCL C with the same key
/// splits, rejection loops and float operations in the same order (no fused multiply-adds), so
/// that the draws are the CPU's except where a built-in (<c>log</c>, <c>pow</c>) rounds differently
/// from .NET's (docs/opencl.md gives the measured agreement). random_gamma runs one work item per
/// element. random_poisson runs one work group per key: its rejection loop overwrites every
/// element's draw with each later acceptance until the whole block has accepted once, so the
/// group first finds the block's number of rounds (a local-memory maximum) and then replays them.
/// </summary>
internal static class RandomSamplerKernels
{
    /// <summary>The work-group size of random_poisson (a power of two), at most the device's.</summary>
    private const int PoissonGroup = 64;

    /// <summary>The kernel of equation <paramref name="equation"/>, a random_gamma or random_poisson; <paramref name="hasFloat64"/>: the device has cl_khr_fp64.</summary>
    public static KernelText Write(ProgramFacts facts, int equation, bool hasFloat64, DeviceLimits limits)
    {
        var app = facts.Application(equation);
        var variable = facts.Jaxpr.Equations[equation].Variable;
        var output = app.Avals[0];
        var keyCount = facts.AvalOf(app.Arguments[0]).Shape.Size / 2;
        var size = facts.AvalOf(app.Arguments[1]).Shape.Size;
        // at least 1, so that no source divides by zero (an empty output launches nothing)
        var block = keyCount == 0 ? 1 : Math.Max(1, size / keyCount);
        switch (app.Params)
        {
            case RandomGammaParams gamma:
            {
                var real = output.DType == DType.Float64 ? "double" : "float";
                var source = new StringBuilder("#pragma OPENCL FP_CONTRACT OFF\n").Append(OpenCLPrelude.For(hasFloat64));
                source.Append(ThreefryKernel.Functions).Append(Builtins(hasFloat64)).Append(Draws(gamma.Scheme, real)).Append(GammaOne(real)).Append($$"""
                    __kernel void random_gamma(__global const uint* restrict keys, __global const {{real}}* restrict alpha, __global {{real}}* restrict out) {
                        const int gid = get_global_id(0);
                        const int k = gid / {{block}};
                        const uint2 key = jx_split_key(keys[2 * k], keys[2 * k + 1], {{block}}, gid % {{block}});
                        out[gid] = jx_gamma_one(key, alpha[gid], {{(gamma.LogSpace ? 1 : 0)}});
                    }

                    """);
                return new KernelText(source.ToString(), [app.Arguments[0], app.Arguments[1]], [variable], [output], size, "random_gamma");
            }
            case RandomPoissonParams poisson:
            {
                var group = PoissonGroup;
                while (group > limits.MaxWorkGroupSize) group /= 2;
                // lgamma in float64 as the CPU where the device has it, else in float32 (not bit for bit)
                var lgReal = hasFloat64 ? "double" : "float";
                var source = new StringBuilder("#pragma OPENCL FP_CONTRACT OFF\n").Append(OpenCLPrelude.For(hasFloat64));
                source.Append(ThreefryKernel.Functions).Append(Builtins(hasFloat64)).Append(Draws(poisson.Scheme, "float"))
                    .Append(LogGamma(lgReal)).Append(PoissonSource(block, group));
                return new KernelText(source.ToString(), [app.Arguments[0], app.Arguments[1]], [variable], [output], (long)keyCount * group, "random_poisson",
                    Range: new LaunchRange([(long)keyCount * group], [group]));
            }
            default:
                throw new ArgumentException($"random samplers: {app.Primitive.Name} has no sampler kernel");
        }
    }

    /// <summary>
    /// <c>jx_log</c> and <c>jx_pow</c>: in float64 the built-ins; in float32, where the device has
    /// cl_khr_fp64, the float64 built-ins rounded to float, as glibc's logf and powf compute (which
    /// .NET's MathF calls on Linux), else the float32 built-ins.
    /// </summary>
    private static string Builtins(bool hasFloat64) => (hasFloat64
        ? """
          float __attribute__((overloadable)) jx_log(float x) { return (float)log((double)x); }
          float __attribute__((overloadable)) jx_pow(float x, float y) { return (float)pow((double)x, (double)y); }
          double __attribute__((overloadable)) jx_log(double x) { return log(x); }
          double __attribute__((overloadable)) jx_pow(double x, double y) { return pow(x, y); }

          """
        : """
          float jx_log(float x) { return log(x); }
          float jx_pow(float x, float y) { return pow(x, y); }

          """);

    private static string L(double value, string real) => real == "double" ? OpenCLPrinter.Literal(value) : OpenCLPrinter.Literal((float)value);

    /// <summary>
    /// <c>jx_split_key</c> (key j of split(key, count), as <see cref="Threefry.Split"/>),
    /// <c>jx_uniform</c> (element i of uniform(key, (n,)), as <c>ScalarDraws.Uniforms</c>) and
    /// <c>jx_normal</c> (normal(key, ()), as <c>ScalarDraws.Normal</c>) in <paramref name="real"/>.
    /// </summary>
    private static string Draws(ThreefryScheme scheme, string real)
    {
        var partitionable = scheme == ThreefryScheme.Partitionable;
        var split = partitionable
            ? "return threefry_hash(k0, k1, 0u, (uint)j);"
            : "return (uint2)(threefry_iota_word(k0, k1, 2 * j, 2 * count), threefry_iota_word(k0, k1, 2 * j + 1, 2 * count));";
        string uniform;
        if (real == "float")
            uniform = (partitionable
                ? "const uint2 h = threefry_hash(key.x, key.y, 0u, (uint)i); const uint bits = h.x ^ h.y;"
                : "const uint bits = threefry_iota_word(key.x, key.y, i, n);") + " return as_float((bits >> 9) | 0x3F800000u) - 1.0f;";
        else
            uniform = (partitionable
                ? "const uint2 h = threefry_hash(key.x, key.y, 0u, (uint)i); const ulong bits = ((ulong)h.x << 32) | h.y;"
                : "const ulong bits = ((ulong)threefry_iota_word(key.x, key.y, i, 2 * n) << 32) | threefry_iota_word(key.x, key.y, n + i, 2 * n);")
                + " return as_double((bits >> 12) | 0x3FF0000000000000UL) - 1.0;";
        var lo = real == "double" ? OpenCLPrinter.Literal(double.BitIncrement(-1.0)) : OpenCLPrinter.Literal(float.BitIncrement(-1f));
        return $$"""
            uint2 jx_split_key(uint k0, uint k1, int count, int j) { {{split}} }
            {{real}} jx_uniform(uint2 key, int i, int n) { {{uniform}} }
            {{real}} jx_normal(uint2 key) {
                const {{real}} f = jx_uniform(key, 0, 1);
                const {{real}} lo = {{lo}};
                const {{real}} u = jx_max_{{real}}(lo, f * ({{L(1, real)}} - lo) + lo);
                return {{L(Math.Sqrt(2), real)}} * jx_erfinv_{{real}}(u);
            }
            {{real}} jx_log1p({{real}} x) {
                const {{real}} u = {{L(1, real)}} + x;
                if (u == {{L(1, real)}}) return x;
                if (isinf(u) && u > 0) return u;
                return jx_log(u) * (x / (u - {{L(1, real)}}));
            }

            """;
    }

    /// <summary><c>jx_gamma_one</c>: <c>GammaSampler.One</c>, one draw (its log when logSpace) from a key.</summary>
    private static string GammaOne(string real) => $$"""
        {{real}} jx_gamma_one(uint2 key0, {{real}} alpha, int logSpace) {
            const {{real}} zero = {{L(0, real)}}, one = {{L(1, real)}}, oneOverTwo = {{L(0.5, real)}};
            const {{real}} oneOverThree = {{L(1.0 / 3.0, real)}}, squeezeConst = {{L(0.0331, real)}};
            const int boostMask = alpha >= one;
            const {{real}} alphaOrig = alpha;
            alpha = boostMask ? alpha : alpha + one;
            const {{real}} d = alpha - oneOverThree;
            const {{real}} c = oneOverThree / sqrt(d);
            uint2 key = jx_split_key(key0.x, key0.y, 2, 0);
            const {{real}} uBoost = jx_uniform(jx_split_key(key0.x, key0.y, 2, 1), 0, 1);
            {{real}} x2 = zero, v3 = one, u = {{L(2, real)}};
            while (u >= one - squeezeConst * (x2 * x2) && jx_log(u) >= x2 * oneOverTwo + d * (one - v3 + jx_log(v3))) {
                const uint2 xKey = jx_split_key(key.x, key.y, 3, 1), uKey = jx_split_key(key.x, key.y, 3, 2);
                key = jx_split_key(key.x, key.y, 3, 0);
                uint2 inner = xKey;
                {{real}} x = zero, v = -one;
                while (v <= zero) {
                    const uint2 sub = jx_split_key(inner.x, inner.y, 2, 1);
                    inner = jx_split_key(inner.x, inner.y, 2, 0);
                    x = jx_normal(sub);
                    v = one + x * c;
                }
                x2 = x * x;
                v3 = v * v * v;
                u = jx_uniform(uKey, 0, 1);
            }
            if (logSpace) {
                const {{real}} logSample = jx_log1p(-uBoost);
                const {{real}} logBoost = boostMask || logSample == zero ? zero : logSample * (one / alphaOrig);
                return jx_log(d) + jx_log(v3) + logBoost;
            }
            const {{real}} boost = boostMask ? one : jx_pow(one - uBoost, one / alphaOrig);
            return d * v3 * boost;
        }

        """;

    /// <summary><c>jx_lgamma</c>: <c>PoissonSampler.LogGamma</c> (Lanczos, g = 7, 9 terms, reflection below 1/2) of a float in <paramref name="real"/>, rounded to float.</summary>
    private static string LogGamma(string real)
    {
        double[] lanczos =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        var terms = string.Concat(Enumerable.Range(1, lanczos.Length - 1).Select(i => $"    sum += {L(lanczos[i], real)} / (x + {L(i, real)});\n"));
        // the CPU's constants as it computes them, so that no built-in rounds them differently
        return $$"""
            {{real}} jx_lanczos({{real}} x) {
                x -= {{L(1, real)}};
                {{real}} sum = {{L(lanczos[0], real)}};
            {{terms}}    const {{real}} t = x + {{L(7.5, real)}};
                return {{L(0.5 * Math.Log(2 * Math.PI), real)}} + (x + {{L(0.5, real)}}) * log(t) - t + log(sum);
            }
            float jx_lgamma(float xf) {
                const {{real}} x = ({{real}})xf;
                if (x < {{L(0.5, real)}}) return (float)(log({{L(Math.PI, real)}} / fabs(sin({{L(Math.PI, real)}} * x))) - jx_lanczos({{L(1, real)}} - x));
                return (float)jx_lanczos(x);
            }

            """;
    }

    /// <summary>The random_poisson kernel over blocks of <paramref name="block"/> rates, <paramref name="group"/> work items per key.</summary>
    private static string PoissonSource(int block, int group) => $$"""
        int jx_knuth(uint2 key, float lam, int i) {
            int k = 0;
            float logProd = 0.0f;
            while (logProd > -lam) {
                const uint2 sub = jx_split_key(key.x, key.y, 2, 1);
                key = jx_split_key(key.x, key.y, 2, 0);
                k++;
                logProd += jx_log(jx_uniform(sub, i, {{block}}));
            }
            return k - 1;
        }

        /// rounds > 0: the k of the last acceptance in that many rounds; rounds = 0: the number of rounds to the first acceptance
        int jx_rejection(uint2 key, float lam, int i, int rounds) {
            const float logLam = jx_log(lam);
            const float b = 0.931f + 2.53f * sqrt(lam);
            const float a = -0.059f + 0.02483f * b;
            const float invAlpha = 1.1239f + 1.1328f / (b - 3.4f);
            const float vR = 0.9277f - 3.6224f / (b - 2.0f);
            float kOut = -1.0f;
            for (int r = 0; rounds == 0 || r < rounds; r++) {
                const uint2 key0 = jx_split_key(key.x, key.y, 3, 1), key1 = jx_split_key(key.x, key.y, 3, 2);
                key = jx_split_key(key.x, key.y, 3, 0);
                const float u = jx_uniform(key0, i, {{block}}) - 0.5f;
                const float v = jx_uniform(key1, i, {{block}});
                const float uShifted = 0.5f - fabs(u);
                const float k = floor((2.0f * a / uShifted + b) * u + lam + 0.43f);
                const float s = jx_log(v * invAlpha / (a / (uShifted * uShifted) + b));
                const float t = -lam + k * logLam - jx_lgamma(k + 1.0f);
                const bool accept1 = uShifted >= 0.07f && v <= vR;
                const bool reject = k < 0.0f || (uShifted < 0.013f && v > uShifted);
                const bool accept = accept1 || (!reject && s <= t);
                if (accept && rounds == 0) return r + 1;
                if (accept) kOut = k;
            }
            return convert_int_sat(kOut);
        }

        __kernel void random_poisson(__global const uint* restrict keys, __global const float* restrict lam, __global int* restrict out) {
            __local int rounds[{{group}}];
            const int key = get_group_id(0), lid = get_local_id(0);
            const uint2 k = (uint2)(keys[2 * key], keys[2 * key + 1]);
            __global const float* rates = lam + (long)key * {{block}};
            // the rejection loop runs until every element, Knuth's with a dummy rate of 1e5, has accepted once
            int mine = 0;
            for (int i = lid; i < {{block}}; i += {{group}}) {
                const bool knuth = isnan(rates[i]) || rates[i] < 10.0f;
                mine = max(mine, jx_rejection(k, knuth ? 1e5f : rates[i], i, 0));
            }
            rounds[lid] = mine;
            barrier(CLK_LOCAL_MEM_FENCE);
            for (int step = {{group / 2}}; step > 0; step /= 2) {
                if (lid < step) rounds[lid] = max(rounds[lid], rounds[lid + step]);
                barrier(CLK_LOCAL_MEM_FENCE);
            }
            const int total = rounds[0];
            for (int i = lid; i < {{block}}; i += {{group}}) {
                const float rate = rates[i];
                const bool knuth = isnan(rate) || rate < 10.0f;
                out[(long)key * {{block}} + i] = rate == 0.0f ? 0 : knuth ? jx_knuth(k, rate, i) : jx_rejection(k, rate, i, total);
            }
        }

        """;
}
