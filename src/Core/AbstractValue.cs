namespace JaxSharp;

/// <summary>
/// What is known of a tensor while tracing: its shape, its dtype and whether it is weakly
/// typed (a .NET scalar such as <c>2.0</c>, which takes the dtype of the tensor it meets).
/// JAX calls this a <c>ShapedArray</c>.
/// </summary>
/// <param name="Shape">The dimensions.</param>
/// <param name="DType">The element type.</param>
/// <param name="Weak">Whether the dtype is weak (JAX's <c>weak_type</c>).</param>
public sealed record AbstractValue(Shape Shape, DType DType, bool Weak = false)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The same shape and dtype, strongly typed.</summary>
    public AbstractValue Strong => Weak ? this with { Weak = false } : this;

    /// <summary>jaxpr form: <c>f32[2,3]</c>.</summary>
    public override string ToString() => $"{DType.ShortName()}[{Ints.Joined(Shape.Dims)}]";
}
