using System.Linq.Expressions;
using JaxSharp.Primitives;

namespace JaxSharp.Cpu;

/// <summary>What a lowering knows of one equation: the abstract values in and out, and the parameters.</summary>
/// <param name="Inputs">The arguments' shapes and dtypes.</param>
/// <param name="Output">The result's shape and dtype (the first output's, for a primitive with several).</param>
/// <param name="Params">The primitive's parameters.</param>
public sealed record LoweringContext(IReadOnlyList<AbstractValue> Inputs, AbstractValue Output, PrimitiveParams Params)
{
    /// <summary>Every output's shape and dtype: just <see cref="Output"/> for a one-output primitive.</summary>
    public IReadOnlyList<AbstractValue> Outputs { get; init; } = [Output];
}

/// <summary>
/// How a primitive runs on the CPU: per element (fusable), as a view of its input (fusable),
/// as a reduction (fusable as the last step of a loop), or as a kernel over buffers.
/// </summary>
public abstract record CpuLowering;

/// <summary>
/// A lowering per element: given scalar expressions for the inputs (of their .NET element
/// types, already broadcast), the expression of the output element. Loops around it are
/// built by the backend, so consecutive elementwise equations share one loop.
/// </summary>
/// <param name="Element">Builds the output element from the input elements.</param>
/// <param name="Vector">
/// Builds the output vector from input vectors (<c>Vector512&lt;T&gt;</c>, <c>Vector256&lt;T&gt;</c>
/// or <c>Vector128&lt;T&gt;</c>, see <see cref="VectorExpressions"/>; a bool is a mask of the
/// compared type's lanes), or returns null when these operands have no vector form. Null
/// when the primitive has none: loops holding it then run one element at a time.
/// </param>
public sealed record ElementwiseLowering(
    Func<IReadOnlyList<Expression>, Expression> Element,
    Func<IReadOnlyList<Expression>, Expression?>? Vector = null) : CpuLowering
{
    /// <summary>
    /// The output element as portable scalar math (operators, conditionals, conversions and
    /// calls of <see cref="Math"/>, <see cref="MathF"/> and <see cref="Primitives.ScalarMath"/>),
    /// which other backends print in their own language (OpenCL C). <see cref="Element"/> unless
    /// that invokes a compiled CPU function (the one-lane form of a SIMD function).
    /// </summary>
    public Func<IReadOnlyList<Expression>, Expression> Portable { get => field ?? Element; init; }
}

/// <summary>
/// A lowering as a view: each output element is an element of the single input, found by
/// index arithmetic alone, so loops fuse it as a change of the index they read at.
/// </summary>
/// <param name="Strides">
/// Per output axis, the input offset one step along that axis moves (0 where the output
/// repeats the input, as <c>broadcast_in_dim</c>); null when the output holds the input's
/// elements in the same row-major order (<c>reshape</c>).
/// </param>
public sealed record ViewLowering(IReadOnlyList<int>? Strides) : CpuLowering
{
    /// <summary>
    /// <see cref="Strides"/> as an array: the list itself, as the library's views give it. The
    /// planner reads this, not the list: an array read through <c>IReadOnlyList&lt;int&gt;</c> runs
    /// framework code that every process would JIT-compile.
    /// </summary>
    internal int[]? StrideArray => Strides as int[] ?? (Strides is null ? null : [.. Strides]);
}

/// <summary>
/// A lowering as a reduction over some axes with an associative combiner: loops fuse the
/// elementwise work that produces its input into the same pass.
/// </summary>
/// <param name="Axes">The reduced axes of the input.</param>
/// <param name="Identity">The combiner's identity, boxed as the output's .NET element type.</param>
/// <param name="Combine">Combines two scalar expressions (an accumulator and an element).</param>
/// <param name="VectorCombine">Combines two vector expressions lane by lane, or null when there is no vector form.</param>
public sealed record ReductionLowering(
    Ints Axes,
    object Identity,
    Func<Expression, Expression, Expression> Combine,
    Func<Expression, Expression, Expression>? VectorCombine) : CpuLowering;

/// <summary>
/// A lowering as a kernel over whole row-major buffers: reads the input arrays, writes the
/// output array. Shapes come from the lowering context.
/// </summary>
/// <param name="Run">The kernel: input buffers, output buffer.</param>
/// <param name="WritesEveryElement">
/// The kernel writes every element of its output, so the buffer may hold anything when it
/// starts (it is neither cleared nor freshly zeroed). When false, the output starts zeroed.
/// </param>
public sealed record KernelLowering(Action<Array[], Array> Run, bool WritesEveryElement = false) : CpuLowering
{
    /// <summary>For a matrix product, its plan: the product may then run an elementwise loop that reads it as an epilogue (<see cref="CpuProgram"/>).</summary>
    internal MatMulKernel.Plan? Product { get; init; }
}

/// <summary>
/// The lowering of a primitive with several outputs: a kernel over whole row-major buffers
/// that reads the input arrays and writes every output array (each fully: the buffers may
/// hold anything when it starts). Loops never fuse across it.
/// </summary>
/// <param name="Run">The kernel: input buffers, output buffers (one per output, in order).</param>
public sealed record MultiKernelLowering(Action<Array[], Array[]> Run) : CpuLowering;
