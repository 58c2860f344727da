using JaxSharp.IR;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// The shapes and dtypes of the outputs of <paramref name="f"/> for inputs shaped like
    /// <paramref name="args"/>, without computing anything (JAX's <c>jax.eval_shape</c>): the
    /// function is traced, never run. The results are shape-only tensors
    /// (<see cref="Tensor.ShapeDtypeStruct"/>); the inputs may be too, so nothing is allocated.
    /// </summary>
    /// <example><c>Jax.EvalShape(a => [Np.Dot(a[0], a[1])], Tensor.ShapeDtypeStruct(new Shape(1000, 20), DType.Float32), w)[0].Shape</c> is (1000, 10).</example>
    public static Tensor[] EvalShape(Func<Tensor[], Tensor[]> f, params Tensor[] args)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Length; i++) ArgumentNullException.ThrowIfNull(args[i], $"{nameof(args)}[{i}]");
        var jaxpr = Tracing.Trace(f, args.Select(a => a.Aval).ToArray());
        return jaxpr.OutputAvals.Select(Tensor.ShapeOnly).ToArray();
    }

    /// <summary>The shape and dtype of the output of a function of one tensor; see <see cref="EvalShape(Func{Tensor[], Tensor[]}, Tensor[])"/>.</summary>
    public static Tensor EvalShape(Func<Tensor, Tensor> f, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        return EvalShape(a => [f(a[0])], x)[0];
    }

    /// <summary>
    /// The output tree of a function of a parameter tree, with shape-only tensors as leaves; see
    /// <see cref="EvalShape(Func{Tensor[], Tensor[]}, Tensor[])"/>.
    /// </summary>
    public static TOut EvalShapeTree<TIn, TOut>(Func<TIn, TOut> f, TIn args) where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(args);
        var inputs = ParameterTree.Flatten(args);
        var (outputs, call) = TreeFunction(f, inputs);
        var shapes = EvalShape(call, inputs.Leaves.ToArray());
        return outputs().Rebuild<TOut>(shapes);
    }
}
