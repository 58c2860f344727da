using JaxSharp.Primitives;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// The Jacobian of <paramref name="f"/> by forward mode (JAX's <c>jax.jacfwd</c>): one batched
    /// program, the JVP mapped over the standard basis of the input. Shape: output shape + input shape.
    /// </summary>
    /// <example><c>Jax.Jacfwd(Np.Sin)(x)</c> is the diagonal matrix of cos x.</example>
    public static Func<Tensor, Tensor> Jacfwd(Func<Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return x =>
        {
            RequireFloat("jacfwd", x);
            var basis = Basis(x);
            var columns = Vmap(v => Jvp(f, x, v).Tangent)(basis);
            // (n, out...) -> (out..., n) -> out + in
            var outRank = columns.Rank - 1;
            var moved = Rules.MoveAxis(columns, 0, outRank);
            return Lax.Reshape(moved, new Shape([.. columns.Shape.Skip(1), .. x.Shape]));
        };
    }

    /// <summary>
    /// The Jacobian of <paramref name="f"/> by reverse mode (JAX's <c>jax.jacrev</c>): one forward
    /// pass, then the pullback mapped over the standard basis of the output. Shape: output shape + input shape.
    /// </summary>
    public static Func<Tensor, Tensor> Jacrev(Func<Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return x =>
        {
            RequireFloat("jacrev", x);
            var (y, pullback) = Vjp(f, x);
            var rows = Vmap(pullback)(Basis(y));
            return Lax.Reshape(rows, new Shape([.. y.Shape, .. x.Shape]));
        };
    }

    /// <summary>The Hessian of a scalar function: <c>jacfwd(jacrev(f))</c>, as <c>jax.hessian</c>. Shape: input shape + input shape.</summary>
    /// <example><c>Jax.Hessian(x => Np.Sum(x * x * x))(x)</c> is the diagonal matrix of 6 x.</example>
    public static Func<Tensor, Tensor> Hessian(Func<Tensor, Tensor> f) => Jacfwd(Jacrev(f));

    /// <summary>The standard basis of the space of <paramref name="x"/>: shape (n,) + x's shape, e_i at row i.</summary>
    private static Tensor Basis(Tensor x)
    {
        var n = x.Size;
        var square = new Shape(n, n);
        var eye = Lax.ConvertElementType(Lax.Eq(Lax.BroadcastedIota(DType.Int32, square, 0), Lax.BroadcastedIota(DType.Int32, square, 1)), x.DType);
        return Lax.Reshape(eye, new Shape([n, .. x.Shape]));
    }

    private static void RequireFloat(string op, Tensor x)
    {
        if (!x.DType.IsFloat())
            throw new ArgumentException($"{op}: the input is {x.DType.Name()}{x.Shape}, but differentiation needs a float input; convert it with AsType(DType.Float32)");
    }
}
