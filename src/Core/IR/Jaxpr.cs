using System.Linq.Expressions;

namespace JaxSharp.IR;

/// <summary>
/// One equation of a program: the output variables and the primitive application that binds
/// them. Most primitives have one output; a primitive with several (<c>sort</c> of several
/// operands, custom rules of trees) binds one variable per output, as JAX's <c>multiple_results</c>.
/// </summary>
/// <param name="Variables">The output variables, each assigned once, one per output of the primitive.</param>
/// <param name="Application">The primitive applied to atoms.</param>
public sealed record Equation(IReadOnlyList<ParameterExpression> Variables, PrimitiveExpression Application)
{
    /// <summary>An equation of a one-output primitive.</summary>
    public Equation(ParameterExpression variable, PrimitiveExpression application) : this([variable], application) { }

    /// <summary>The one output variable of a one-output equation.</summary>
    /// <exception cref="InvalidOperationException">The equation has several outputs: read <see cref="Variables"/>.</exception>
    public ParameterExpression Variable => Variables.Count == 1
        ? Variables[0]
        : throw new InvalidOperationException($"{Application.Primitive.Name}: this equation binds {Variables.Count} outputs; read Variables");

    /// <summary>
    /// The equation as a statement of the program's block: <c>v = prim(...)</c> for one output;
    /// for several, a block that binds the array of results to a local and assigns each output
    /// variable its element, so the lambda still compiles and runs as is.
    /// </summary>
    public Expression ToStatement()
    {
        if (!Application.MultipleResults) return Expression.Assign(Variables[0], Application);
        var results = Expression.Variable(typeof(Tensor[]), "results");
        var statements = new List<Expression> { Expression.Assign(results, Application) };
        for (var i = 0; i < Variables.Count; i++)
            statements.Add(Expression.Assign(Variables[i], Expression.ArrayIndex(results, Expression.Constant(i))));
        return Expression.Block(typeof(void), [results], statements);
    }

    /// <summary>
    /// The output variables of <paramref name="equations"/>, in order: the locals of a program's
    /// block. A list, not a lazy SelectMany: <c>Expression.Block</c> copies a list, but gathers a
    /// long sequence into segments through framework generics that every process would JIT-compile.
    /// </summary>
    internal static List<ParameterExpression> VariablesOf(IEnumerable<Equation> equations)
    {
        var variables = new List<ParameterExpression>();
        foreach (var e in equations) variables.AddRange(e.Variables);
        return variables;
    }

    /// <summary>Reads a statement written by <see cref="ToStatement"/>; null when it has another form.</summary>
    internal static Equation? FromStatement(Expression statement)
    {
        switch (statement)
        {
            case BinaryExpression { NodeType: ExpressionType.Assign, Left: ParameterExpression v, Right: PrimitiveExpression { MultipleResults: false } app }:
                return new Equation(v, app);
            case BlockExpression { Expressions: [BinaryExpression { NodeType: ExpressionType.Assign, Right: PrimitiveExpression { MultipleResults: true } app }, ..] } block
                when block.Expressions.Count == app.Avals.Count + 1
                     && block.Expressions.Skip(1).All(o => o is BinaryExpression { NodeType: ExpressionType.Assign, Left: ParameterExpression }):
                return new Equation(block.Expressions.Skip(1).Select(o => (ParameterExpression)((BinaryExpression)o).Left).ToArray(), app);
            default:
                return null;
        }
    }
}

/// <summary>
/// A traced program: a <see cref="LambdaExpression"/> in let-normal form, the IR that every
/// transformation rewrites and every backend lowers. Its parameters are the inputs followed
/// by the captures (values of an enclosing trace that the function closed over); its body is
/// a block of equations, each assigning one primitive application to fresh variables (one per output), and
/// ends in the array of outputs. <see cref="ToString"/> prints it as a jaxpr.
/// </summary>
public sealed class Jaxpr
{
    /// <summary>Wraps a let-normal lambda, checking its form.</summary>
    /// <param name="lambda">Parameters: inputs, then captures. Body: a block of equations (see <see cref="Equation.ToStatement"/>) ending in a <c>Tensor[]</c>.</param>
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
            equations.Add(Equation.FromStatement(e) ?? throw new ArgumentException($"jaxpr: expected `variable = primitive(...)` or `a b = primitive(...)`, got {e}"));
        }
        Equations = equations;
        Outputs = outputs.Expressions;
        var avals = new Dictionary<Expression, AbstractValue>(lambda.Parameters.Count + equations.Count);
        for (var i = 0; i < InputAvals.Count; i++) avals[lambda.Parameters[i]] = InputAvals[i];
        for (var i = 0; i < CapturedValues.Count; i++) avals[lambda.Parameters[InputAvals.Count + i]] = CapturedValues[i].Aval;
        foreach (var eq in equations)
            for (var k = 0; k < eq.Variables.Count; k++) avals[eq.Variables[k]] = eq.Application.Avals[k];
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
