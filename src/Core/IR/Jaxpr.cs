using System.Linq.Expressions;

namespace JaxSharp.IR;

/// <summary>One equation of a program: a variable and the primitive application assigned to it.</summary>
/// <param name="Variable">The variable, assigned once.</param>
/// <param name="Application">The primitive applied to atoms.</param>
public sealed record Equation(ParameterExpression Variable, PrimitiveExpression Application);

/// <summary>
/// A traced program: a <see cref="LambdaExpression"/> in let-normal form, the IR that every
/// transformation rewrites and every backend lowers. Its parameters are the inputs followed
/// by the captures (values of an enclosing trace that the function closed over); its body is
/// a block of equations, each assigning one primitive application to a fresh variable, and
/// ends in the array of outputs. <see cref="ToString"/> prints it as a jaxpr.
/// </summary>
public sealed class Jaxpr
{
    /// <summary>Wraps a let-normal lambda, checking its form.</summary>
    /// <param name="lambda">Parameters: inputs, then captures. Body: a block of assignments ending in a <c>Tensor[]</c>.</param>
    /// <param name="inputAvals">The abstract values of the inputs.</param>
    /// <param name="capturedValues">The values bound to the capture parameters, in order.</param>
    /// <exception cref="ArgumentException">The lambda is not in let-normal form.</exception>
    public Jaxpr(LambdaExpression lambda, IReadOnlyList<AbstractValue> inputAvals, IReadOnlyList<Tensor> capturedValues)
    {
        Lambda = lambda;
        InputAvals = inputAvals.ToArray();
        CapturedValues = capturedValues.ToArray();
        if (lambda.Parameters.Count != InputAvals.Count + CapturedValues.Count)
            throw new ArgumentException($"jaxpr: {lambda.Parameters.Count} parameters for {InputAvals.Count} inputs and {CapturedValues.Count} captures");
        if (lambda.Body is not BlockExpression block || block.Expressions[^1] is not NewArrayExpression outputs)
            throw new ArgumentException("jaxpr: the body must be a block ending in the array of outputs");
        var equations = new List<Equation>(block.Expressions.Count - 1);
        foreach (var e in block.Expressions.Take(block.Expressions.Count - 1))
        {
            if (e is not BinaryExpression { NodeType: ExpressionType.Assign, Left: ParameterExpression v, Right: PrimitiveExpression app })
                throw new ArgumentException($"jaxpr: expected `variable = primitive(...)`, got {e}");
            equations.Add(new Equation(v, app));
        }
        Equations = equations;
        Outputs = outputs.Expressions;
        var avals = new Dictionary<Expression, AbstractValue>(lambda.Parameters.Count + equations.Count);
        for (var i = 0; i < InputAvals.Count; i++) avals[lambda.Parameters[i]] = InputAvals[i];
        for (var i = 0; i < CapturedValues.Count; i++) avals[lambda.Parameters[InputAvals.Count + i]] = CapturedValues[i].Aval;
        foreach (var eq in equations) avals[eq.Variable] = eq.Application.Aval;
        OutputAvals = Outputs.Select(o => o is ConstantExpression c ? ((Tensor)c.Value!).Aval : avals[o]).ToArray();
    }

    /// <summary>The program as an expression tree.</summary>
    public LambdaExpression Lambda { get; }

    /// <summary>The input parameters (without the captures).</summary>
    public IReadOnlyList<ParameterExpression> Inputs => _inputs ??= Lambda.Parameters.Take(InputAvals.Count).ToArray();
    private ParameterExpression[]? _inputs;

    /// <summary>The capture parameters, bound to <see cref="CapturedValues"/>.</summary>
    public IReadOnlyList<ParameterExpression> Captures => _captures ??= Lambda.Parameters.Skip(InputAvals.Count).ToArray();
    private ParameterExpression[]? _captures;

    /// <summary>The shapes and dtypes of the inputs.</summary>
    public IReadOnlyList<AbstractValue> InputAvals { get; }

    /// <summary>Values of an enclosing trace (or concrete tensors) that the program closed over.</summary>
    public IReadOnlyList<Tensor> CapturedValues { get; }

    /// <summary>The equations, in order.</summary>
    public IReadOnlyList<Equation> Equations { get; }

    /// <summary>The output atoms: variables, inputs, captures or constants.</summary>
    public IReadOnlyList<Expression> Outputs { get; }

    /// <summary>The shapes and dtypes of the outputs.</summary>
    public IReadOnlyList<AbstractValue> OutputAvals { get; }

    /// <summary>
    /// Runs the program on <paramref name="inputs"/> equation by equation, binding each
    /// primitive: on concrete tensors this executes; inside an enclosing trace it records
    /// into that trace, which is how transformations compose.
    /// </summary>
    public Tensor[] Evaluate(IReadOnlyList<Tensor> inputs) => JaxprEvaluator.Evaluate(this, inputs);

    /// <summary>A jaxpr-style listing: inputs with shapes and dtypes, one equation a line, the outputs.</summary>
    public override string ToString() => JaxprPrinter.Print(this);
}
