using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Shapes;

/// <summary>The parameters of <see cref="Reshape"/>.</summary>
/// <param name="NewSizes">The output shape.</param>
public sealed record ReshapeParams(Shape NewSizes) : PrimitiveParams;

/// <summary><c>reshape</c>: the same elements in row-major order, in a new shape of the same size.</summary>
public sealed class Reshape : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly Reshape Instance = new();
    private Reshape() { }
    /// <inheritdoc/>
    public override string Name => "reshape";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"reshape: takes 1 argument, got {inputs.Count}");
        var x = inputs[0];
        var shape = TensorLimits.Check(Name, ((ReshapeParams)parameters).NewSizes);
        if (shape.Size != x.Shape.Size)
            throw new ArgumentException($"reshape: cannot reshape {x.Shape} ({x.Shape.Size} elements) to {shape} ({shape.Size} elements); the sizes must be equal");
        return new AbstractValue(shape, x.DType, x.Weak);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) => new ViewLowering(null);

    /// <summary>A reshape to the operand's own shape is the operand; a reshape of a reshape is one reshape.</summary>
    public override Expression? Simplify(PrimitiveExpression application, SimplifyContext context) =>
        context.SameAs(application.Arguments[0], application)
        ?? (context.Producer(application.Arguments[0]) is { Primitive: Reshape } inner ? context.Apply(this, application.Params, inner.Arguments[0]) : null);

    /// <summary>Yes: the same elements in a new shape.</summary>
    public override bool CopiesValues(PrimitiveExpression application, Transforms.SimplifyContext context) => true;

    /// <summary>Linear: the tangent is reshaped the same way.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Bind(parameters, tangents[0]!);

    /// <summary>The cotangent reshaped back to the operand's shape.</summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        [Bind(new ReshapeParams(inputs[0].Shape), cotangent)];

    /// <summary>The batch axis moved to the front; each example is reshaped behind it.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var x = Rules.MoveAxis(args[0], batchAxes[0]!.Value, 0);
        return (Bind(new ReshapeParams(new Shape([x.Shape[0], .. ((ReshapeParams)parameters).NewSizes])), x), 0);
    }
}
