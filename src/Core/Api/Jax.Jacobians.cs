using JaxSharp.Primitives;
using JaxSharp.Transforms;

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
            ArgumentNullException.ThrowIfNull(x);
            return JacfwdBlocks("jacfwd", a => [f(a[0])], [x])[0][0];
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
            ArgumentNullException.ThrowIfNull(x);
            return JacrevBlocks("jacrev", a => [f(a[0])], [x])[0][0];
        };
    }

    /// <summary>The Hessian of a scalar function: <c>jacfwd(jacrev(f))</c>, as <c>jax.hessian</c>. Shape: input shape + input shape.</summary>
    /// <example><c>Jax.Hessian(x => Np.Sum(x * x * x))(x)</c> is the diagonal matrix of 6 x.</example>
    public static Func<Tensor, Tensor> Hessian(Func<Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Jacfwd(Jacrev(f));
    }

    /// <summary>
    /// The Jacobian of a function between parameter trees by forward mode, in JAX's layout: a
    /// tree of the output's structure holding, in place of each output tensor, a tree of the
    /// input's structure whose tensors have shape output shape + input shape. So a function of a
    /// tuple to a tensor has a tuple Jacobian, and a function of a tensor to a tuple too.
    /// <typeparamref name="TJacobian"/> names that type: the output's type with the input's type in
    /// place of <see cref="Tensor"/> (records hold tensors only, so a record appears there only
    /// when the input is a single tensor).
    /// </summary>
    /// <example><c>var (jw, jb) = Jax.JacfwdTree&lt;(Tensor, Tensor), Tensor, (Tensor, Tensor)&gt;(p => p.Item1 * p.Item2)((w, b));</c></example>
    public static Func<TIn, TJacobian> JacfwdTree<TIn, TOut, TJacobian>(Func<TIn, TOut> f) where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        return x => JacobianTree<TIn, TOut, TJacobian>("jacfwd", f, x, JacfwdBlocks);
    }

    /// <summary>The Jacobian of a function between parameter trees by reverse mode; see <see cref="JacfwdTree{TIn, TOut, TJacobian}"/> for its layout.</summary>
    public static Func<TIn, TJacobian> JacrevTree<TIn, TOut, TJacobian>(Func<TIn, TOut> f) where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        return x => JacobianTree<TIn, TOut, TJacobian>("jacrev", f, x, JacrevBlocks);
    }

    /// <summary>
    /// The Hessian of a scalar function of a parameter tree, <c>jacfwd (jacrev f)</c>: a tree of
    /// the input's structure of trees of the input's structure (for a pair of tensors, a pair of
    /// pairs: <c>((d2f/dw dw, d2f/dw db), (d2f/db dw, d2f/db db))</c>), as <c>jax.hessian</c>.
    /// </summary>
    public static Func<TIn, THessian> HessianTree<TIn, THessian>(Func<TIn, Tensor> f) where TIn : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        return JacfwdTree<TIn, TIn, THessian>(JacrevTree<TIn, Tensor, TIn>(f));
    }

    private static TJacobian JacobianTree<TIn, TOut, TJacobian>(
        string op, Func<TIn, TOut> f, TIn x, Func<string, Func<Tensor[], Tensor[]>, Tensor[], Tensor[][]> blocks) where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(x);
        var inputs = ParameterTree.Flatten(x);
        var (outputs, call) = TreeFunction(f, inputs);
        var jacobian = blocks(op, call, inputs.Leaves.ToArray());
        var perOutput = jacobian.Select(row => inputs.Rebuild(row)).ToArray();
        var result = outputs().RebuildOf(perOutput, x.GetType());
        return result is TJacobian typed ? typed : throw new ArgumentException(
            $"{op}: the Jacobian of a function from {ParameterTree.TypeName(x.GetType())} to {ParameterTree.TypeName(typeof(TOut))} is a {ParameterTree.TypeName(result.GetType())} " +
            $"(the output's structure with the input's in place of each tensor), not a {ParameterTree.TypeName(typeof(TJacobian))}; name that type for the result");
    }

    /// <summary>
    /// The blocks d output_i / d input_j of <paramref name="f"/> at <paramref name="x"/> by forward
    /// mode: for each input, the JVP mapped over the standard basis of that input.
    /// </summary>
    private static Tensor[][] JacfwdBlocks(string op, Func<Tensor[], Tensor[]> f, Tensor[] x)
    {
        RequireFloat(op, x);
        Tensor[][]? blocks = null;
        for (var j = 0; j < x.Length; j++)
        {
            var input = j;
            var columns = Vmap(v =>
            {
                var tangents = new Tensor?[x.Length];
                tangents[input] = v[0];
                var (outputs, outTangents) = Linearization.Jvp(f, x, tangents);
                return outTangents.Select((t, i) => t ?? ZerosLike(outputs[i])).ToArray();
            })([Basis(x[j])]);
            blocks ??= columns.Select(_ => new Tensor[x.Length]).ToArray();
            for (var i = 0; i < columns.Length; i++)
            {
                // (n, out...) -> (out..., n) -> out + in
                var moved = Rules.MoveAxis(columns[i], 0, columns[i].Rank - 1);
                blocks[i][j] = Lax.Reshape(moved, new Shape([.. columns[i].Shape.Skip(1), .. x[j].Shape]));
            }
        }
        return blocks!;
    }

    /// <summary>
    /// The blocks d output_i / d input_j of <paramref name="f"/> at <paramref name="x"/> by reverse
    /// mode: one forward pass, then for each output the pullback mapped over its standard basis.
    /// </summary>
    private static Tensor[][] JacrevBlocks(string op, Func<Tensor[], Tensor[]> f, Tensor[] x)
    {
        RequireFloat(op, x);
        var (y, linear) = Linearization.Linearize(f, x, AllArguments(x));
        return y.Select((yi, i) =>
        {
            var rows = Vmap(ct =>
            {
                var cotangents = new Tensor?[y.Length];
                cotangents[i] = ct[0];
                return Materialize(linear.Transpose(cotangents), x);
            })([Basis(yi)]);
            return rows.Select((r, j) => Lax.Reshape(r, new Shape([.. yi.Shape, .. x[j].Shape]))).ToArray();
        }).ToArray();
    }

    /// <summary>The standard basis of the space of <paramref name="x"/>: shape (n,) + x's shape, e_i at row i.</summary>
    private static Tensor Basis(Tensor x)
    {
        var n = x.Size;
        var square = new Shape(n, n);
        var eye = Lax.ConvertElementType(Lax.Eq(Lax.BroadcastedIota(DType.Int32, square, 0), Lax.BroadcastedIota(DType.Int32, square, 1)), x.DType);
        return Lax.Reshape(eye, new Shape([n, .. x.Shape]));
    }

    private static void RequireFloat(string op, Tensor[] x)
    {
        if (x.Length == 0) throw new ArgumentException($"{op}: the function's input has no tensors to differentiate with respect to");
        for (var i = 0; i < x.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(x[i], $"x[{i}]");
            if (!x[i].DType.IsFloat())
                throw new ArgumentException(
                    $"{op}: the input{(x.Length > 1 ? $" tensor {i}" : "")} is {x[i].DType.Name()}{x[i].Shape}, but differentiation needs a float input; convert it with Np.AsType(x, DType.Float32)");
        }
    }
}
