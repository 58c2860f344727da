namespace JaxSharp.Primitives.LinearAlgebra;

/// <summary>
/// Which axes <c>dot_general</c> contracts and which it batches, as JAX's
/// <c>((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch))</c>. The k-th axes of each
/// pair are matched with each other.
/// </summary>
/// <param name="LhsContracting">Axes of the left operand summed over.</param>
/// <param name="RhsContracting">Axes of the right operand summed over, one per left contracting axis.</param>
/// <param name="LhsBatch">Axes of the left operand that index independent products.</param>
/// <param name="RhsBatch">Axes of the right operand matched with the left batch axes.</param>
/// <example><c>new DotDimensionNumbers(new[] { 1 }, new[] { 0 }, Ints.Empty, Ints.Empty)</c> is a matrix product.</example>
public sealed record DotDimensionNumbers(Ints LhsContracting, Ints RhsContracting, Ints LhsBatch, Ints RhsBatch)
{
    /// <summary>The dimension numbers of a (batched) matrix product of operands of rank <paramref name="rank"/>: contract the lhs's last axis with the rhs's second to last, batch the leading axes.</summary>
    public static DotDimensionNumbers MatMul(int rank) =>
        new(new Ints(rank - 1), new Ints(rank - 2), new Ints(Ints.Range(0, rank - 2)), new Ints(Ints.Range(0, rank - 2)));

    /// <summary>JAX's form: <c>(((1,), (0,)), ((), ()))</c>.</summary>
    public override string ToString() => $"(({LhsContracting}, {RhsContracting}), ({LhsBatch}, {RhsBatch}))";
}
