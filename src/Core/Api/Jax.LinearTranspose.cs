using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// The transpose of a linear function (JAX's <c>jax.linear_transpose</c>): for
    /// <paramref name="f"/> linear in its inputs, shaped like <paramref name="primals"/> (only
    /// their shapes and dtypes are used; shape-only tensors will do), a function from cotangents of
    /// its outputs to cotangents of its inputs. Work on values that do not depend on the inputs
    /// runs once, now; a nonlinear use of the inputs is an error that names the primitive.
    /// </summary>
    /// <example><c>var t = Jax.LinearTranspose(a => [Np.Sum(a[0], 0)], x); t([ct]); // ct broadcast to x's shape</c></example>
    public static Func<Tensor[], Tensor[]> LinearTranspose(Func<Tensor[], Tensor[]> f, params Tensor[] primals)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primals);
        for (var i = 0; i < primals.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(primals[i], $"{nameof(primals)}[{i}]");
            if (!primals[i].DType.IsFloat())
                throw new ArgumentException($"linear_transpose: input {i} is {primals[i].DType.Name()}{primals[i].Shape}, but a linear function maps floats; convert it with Np.AsType(x, DType.Float32)");
        }
        var program = Tracing.TraceDependent(f, primals.Select(p => p.Aval.Strong).ToArray(), "linearTranspose");
        var dependent = new HashSet<System.Linq.Expressions.Expression>(program.Inputs);
        foreach (var eq in program.Equations) dependent.UnionWith(eq.Variables);
        for (var k = 0; k < program.Outputs.Count; k++)
            if (!dependent.Contains(program.Outputs[k]))
                throw new ArgumentException(
                    $"linear_transpose: output {k} ({program.OutputAvals[k]}) does not depend on the inputs, so the function is not linear (a linear function maps zero to zero); " +
                    "return only values computed from the inputs");
        var linear = new LinearProgram(program, Enumerable.Repeat(true, program.Outputs.Count).ToArray());
        var outputs = program.OutputAvals.Select(Tensor.ShapeOnly).ToArray();
        return cotangents =>
        {
            CheckLike("linear_transpose", "cotangent", "output", cotangents, outputs);
            var cts = linear.Transpose(cotangents, why => new ArgumentException(
                $"linear_transpose: the function is not linear in its inputs: {why}. Use it on linear functions (sums, scalings by constants, reshapes, slices, products with constant matrices), or vjp for any function"));
            return Materialize(cts, primals);
        };
    }

    /// <summary>The transpose of a linear function of one tensor; see <see cref="LinearTranspose(Func{Tensor[], Tensor[]}, Tensor[])"/>.</summary>
    public static Func<Tensor, Tensor> LinearTranspose(Func<Tensor, Tensor> f, Tensor primal)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primal);
        var transpose = LinearTranspose(a => [f(a[0])], primal);
        return ct => transpose([ct])[0];
    }

    /// <summary>
    /// The transpose of a linear function between parameter trees: cotangent trees of the output's
    /// structure to cotangent trees of the input's; see <see cref="LinearTranspose(Func{Tensor[], Tensor[]}, Tensor[])"/>.
    /// </summary>
    public static Func<TOut, TIn> LinearTransposeTree<TIn, TOut>(Func<TIn, TOut> f, TIn primals) where TIn : notnull where TOut : notnull
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(primals);
        var inputs = ParameterTree.Flatten(primals);
        var (outputs, call) = TreeFunction(f, inputs);
        var transpose = LinearTranspose(call, inputs.Leaves.ToArray());
        var outTree = outputs();
        return cotangents =>
        {
            ArgumentNullException.ThrowIfNull(cotangents);
            return inputs.Rebuild<TIn>(transpose(LeavesLike("linear_transpose", "cotangent", cotangents, outTree)));
        };
    }
}
