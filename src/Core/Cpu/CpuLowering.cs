using System.Linq.Expressions;
using JaxSharp.Primitives;

namespace JaxSharp.Cpu;

/// <summary>What a lowering knows of one equation: the abstract values in and out, and the parameters.</summary>
/// <param name="Inputs">The arguments' shapes and dtypes.</param>
/// <param name="Output">The result's shape and dtype.</param>
/// <param name="Params">The primitive's parameters.</param>
public sealed record LoweringContext(IReadOnlyList<AbstractValue> Inputs, AbstractValue Output, PrimitiveParams Params);

/// <summary>How a primitive runs on the CPU: per element (fusable) or as a kernel over buffers.</summary>
public abstract record CpuLowering;

/// <summary>
/// A lowering per element: given scalar expressions for the inputs (of their .NET element
/// types, already broadcast), the expression of the output element. Loops around it are
/// built by the backend, so consecutive elementwise equations can share one loop.
/// </summary>
/// <param name="Element">Builds the output element from the input elements.</param>
public sealed record ElementwiseLowering(Func<IReadOnlyList<Expression>, Expression> Element) : CpuLowering;

/// <summary>
/// A lowering as a kernel over whole row-major buffers: reads the input arrays, writes every
/// element of the (freshly allocated) output array. Shapes come from the lowering context.
/// </summary>
/// <param name="Run">The kernel: input buffers, output buffer.</param>
public sealed record KernelLowering(Action<Array[], Array> Run) : CpuLowering;
