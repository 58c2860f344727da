using JaxSharp.Cpu;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives.Indexing;

/// <summary>
/// <c>dynamic_update_slice(operand, update, *start_indices)</c>: the operand with a box
/// replaced by <c>update</c>, at starts known only at run time (one int32 scalar per axis),
/// each clamped into [0, size - update size] as in JAX. The operand is not changed.
/// </summary>
public sealed class DynamicUpdateSlice : Primitive
{
    /// <summary>The primitive.</summary>
    public static readonly DynamicUpdateSlice Instance = new();
    private DynamicUpdateSlice() { }
    /// <inheritdoc/>
    public override string Name => "dynamic_update_slice";

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count < 2) throw new ArgumentException($"dynamic_update_slice: takes the operand, the update and one start index per axis, got {inputs.Count} arguments");
        var (x, update) = (inputs[0], inputs[1]);
        if (inputs.Count != x.Rank + 2)
            throw new ArgumentException($"dynamic_update_slice: operand of shape {x.Shape} needs {x.Rank} start indices, got {inputs.Count - 2}");
        for (var d = 2; d < inputs.Count; d++) ShapeChecks.IntScalar(Name, inputs[d], $"start index {d - 2}");
        ShapeChecks.SameDType(Name, x, "the operand", update, "the update");
        if (update.Rank != x.Rank)
            throw new ArgumentException($"dynamic_update_slice: update of shape {update.Shape} must have the operand's rank ({x.Shape})");
        DynamicSlice.CheckBox(Name, "update shape", update.Shape, x.Shape);
        return x with { Weak = x.Weak && update.Weak };
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var operand = context.Inputs[0].Shape;
        var sizes = context.Inputs[1].Shape;
        var strides = operand.Strides();
        var window = IndexMath.StridedOffsets(sizes, strides);
        return new KernelLowering(new UpdateKernel(operand, sizes, strides, window).ToAction());
    }

    private sealed class UpdateKernel(Shape operand, Shape sizes, int[] strides, int[] window) : TypedKernel
    {
        protected override string Op => "dynamic_update_slice";

        protected override void Run<T>(Array[] inputs, Array output)
        {
            var (o, u) = ((T[])output, (T[])inputs[1]);
            Array.Copy(inputs[0], o, o.Length);
            var start = DynamicSlice.ClampedBase(inputs, 2, operand, sizes, strides);
            for (var k = 0; k < window.Length; k++) o[start + window[k]] = u[k];
        }
    }
}
