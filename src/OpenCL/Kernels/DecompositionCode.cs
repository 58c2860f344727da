using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// What the kernels of the decompositions (cholesky, triangular_solve, lu, qr, eigh, svd) share.
/// Each ports the CPU's algorithm (<c>DenseKernels</c> and the primitives' own factorizations)
/// line for line, one work item per matrix of the batch, so that the device makes the same
/// choices as the CPU (pivots, signs, the order of eigen- and singular values). Like the CPU,
/// a kernel computes in float64 whatever the dtype (float32 is widened and the results
/// rounded) on a device with cl_khr_fp64; on a device without it, float32 computes in float32
/// with the convergence thresholds scaled to float32's epsilon. Contraction of a * b + c into a
/// fused multiply-add is off (.NET does not contract either), so that in float64 every operation
/// rounds as on the CPU and the results match it bit for bit. Working copies live in a scratch
/// buffer, one slice per matrix, that the program allocates with the outputs and gives back
/// after the launch.
/// </summary>
internal sealed class DecompositionCode
{
    /// <summary>Whether the kernel computes in float64 (the CPU's precision).</summary>
    public bool Wide { get; }

    /// <summary>The C type of the working precision: double, or float on a device without cl_khr_fp64.</summary>
    public string Real => Wide ? "double" : "float";

    private DecompositionCode(bool wide) => Wide = wide;

    /// <summary>The kernels of the decompositions computing in float64 (a device with cl_khr_fp64) or in float32.</summary>
    public static DecompositionCode For(bool inFloat64) => new(inFloat64);

    /// <summary>The primitives these kernels compute.</summary>
    public static bool Handles(Primitive primitive) => primitive is Cholesky or TriangularSolve or Lu or Qr or Eigh or Svd;

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a decomposition.</summary>
    public KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        // float64 data computes in float64 whatever was asked
        var code = Wide || app.Avals.All(a => a.DType != DType.Float64) ? this : new DecompositionCode(true);
        return app.Primitive switch
        {
            Cholesky => CholeskyKernel.Write(code, facts, equation),
            TriangularSolve => TriangularSolveKernel.Write(code, facts, equation),
            Lu => LuKernel.Write(code, facts, equation),
            Qr => QrKernel.Write(code, facts, equation),
            Eigh => EighKernel.Write(code, facts, equation),
            Svd => SvdKernel.Write(code, facts, equation),
            var other => throw new ArgumentException($"{other.Name}: not a decomposition"),
        };
    }

    /// <summary>A literal of the working precision.</summary>
    public string Literal(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('.') && !text.Contains('E')) text += ".0";
        return Wide ? text : text + "f";
    }

    /// <summary>
    /// The CPU's threshold <paramref name="float64"/> in the working precision: itself in float64, or scaled
    /// by float32's epsilon over float64's (squared for a threshold on squares) in float32.
    /// </summary>
    public string Threshold(double float64, bool onSquares = false)
    {
        const double ratio = 1 << 29; // float32's epsilon 2^-23 over float64's 2^-52
        return Literal(Wide ? float64 : float64 * (onSquares ? ratio * ratio : ratio));
    }

    /// <summary>
    /// The kernel text of equation <paramref name="equation"/>: one work item per matrix, <c>b</c>
    /// from 0 to <paramref name="matrices"/>, reading <c>in0</c>, <c>in1</c>... (the arguments),
    /// writing <c>out0</c>, <c>out1</c>... (the outputs), and with <c>ws</c>, the matrix's
    /// <paramref name="scratch"/> elements of working precision. <paramref name="body"/> uses
    /// <c>real</c> for the working type.
    /// </summary>
    public KernelText Kernel(ProgramFacts facts, int equation, string name, long matrices, long scratch, string body)
    {
        var app = facts.Application(equation);
        var atoms = app.Arguments.ToArray();
        var inputs = atoms.Select(facts.AvalOf).ToArray();
        var parameters = inputs.Select((a, k) => $"__global const {IndexCode.Stored(a.DType)}* restrict in{k}")
            .Concat(app.Avals.Select((a, k) => $"__global {IndexCode.Stored(a.DType)}* restrict out{k}"))
            .Append($"__global {Real}* restrict work");
        var source = new StringBuilder(IndexCode.Prelude(inputs.Concat(app.Avals).Append(new AbstractValue(Shape.Scalar, Wide ? DType.Float64 : DType.Float32))));
        source.Append($"#pragma OPENCL FP_CONTRACT OFF\n#define real {Real}\n__kernel void {name}({string.Join(", ", parameters)}) {{\n");
        source.Append($"    const long b = get_global_id(0);\n    __global real* ws = work + b * {Math.Max(scratch, 1)}L;\n");
        source.Append(body).Append("}\n#undef real\n");
        var scratchAval = new AbstractValue(new Shape((int)Math.Max(matrices * Math.Max(scratch, 1), 1)), Wide ? DType.Float64 : DType.Float32);
        Expression[] writes = [.. facts.Jaxpr.Equations[equation].Variables, Expression.Parameter(typeof(object), $"{name}_scratch")];
        return new KernelText(source.ToString(), atoms, writes, [.. app.Avals, scratchAval], matrices, name);
    }

    /// <summary>The number of matrices (rows x cols) in <paramref name="shape"/>: the product of its leading axes.</summary>
    public static int Matrices(Shape shape) => shape.Take(shape.Rank - 2).Aggregate(1, (p, d) => p * d);
}
