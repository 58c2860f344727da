using JaxSharp.Cpu;

namespace JaxSharp.Primitives;

/// <summary>
/// A primitive with several outputs (JAX's <c>multiple_results</c>): <c>sort</c> of several
/// operands, custom rules of trees. It implements the array forms of the rules
/// (<see cref="Primitive.InferShapes"/>, <see cref="Primitive.JvpMany"/>,
/// <see cref="Primitive.TransposeMany"/>, <see cref="Primitive.BatchMany"/>) and lowers to a
/// <see cref="MultiKernelLowering"/>; the one-output forms are refused with a message naming
/// the array form, so that one-output primitives keep their short one-output rules.
/// </summary>
public abstract class MultiOutputPrimitive : Primitive
{
    /// <inheritdoc/>
    public sealed override bool MultipleResults => true;

    /// <inheritdoc/>
    public abstract override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters);

    /// <summary>Refused: a primitive with several outputs has no one output shape; see <see cref="InferShapes"/>.</summary>
    public sealed override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        throw new InvalidOperationException($"{Name}: this primitive has several outputs; ask InferShapes for their shapes");

    /// <summary>Refused: see <see cref="Primitive.JvpMany"/>.</summary>
    public sealed override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        throw new InvalidOperationException($"{Name}: this primitive has several outputs; its JVP rule is JvpMany");

    /// <summary>Refused: see <see cref="Primitive.TransposeMany"/>.</summary>
    public sealed override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        throw new InvalidOperationException($"{Name}: this primitive has several outputs; its transpose rule is TransposeMany");

    /// <summary>Refused: see <see cref="Primitive.BatchMany"/>.</summary>
    public sealed override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        throw new InvalidOperationException($"{Name}: this primitive has several outputs; its batching rule is BatchMany");

    /// <inheritdoc/>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters) =>
        throw MissingRule(nameof(JvpMany));

    /// <inheritdoc/>
    public override Tensor?[] TransposeMany(IReadOnlyList<Tensor?> cotangents, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        throw MissingRule(nameof(TransposeMany));

    /// <inheritdoc/>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        throw MissingRule(nameof(BatchMany));
}
