using System.Collections.ObjectModel;
using System.Linq.Expressions;
using JaxSharp.Primitives;

namespace JaxSharp.IR;

/// <summary>
/// One primitive applied to its arguments: the extension node of the IR. Its arguments are
/// atoms (program variables, inputs or constant tensors); its abstract value comes from the
/// primitive's shape rule, so a node that exists is well formed.
/// </summary>
public sealed class PrimitiveExpression : Expression
{
    internal PrimitiveExpression(Primitive primitive, IReadOnlyList<Expression> arguments, PrimitiveParams parameters, IReadOnlyList<AbstractValue> avals)
    {
        Primitive = primitive;
        Arguments = new ReadOnlyCollection<Expression>(arguments.ToArray());
        Params = parameters;
        Avals = avals.ToArray();
    }

    /// <summary>
    /// Applies <paramref name="primitive"/> to atoms whose abstract values are known, checking its
    /// shape rule and that a tensor of the output's shape can exist (<see cref="TensorLimits"/>).
    /// </summary>
    public static PrimitiveExpression Create(Primitive primitive, IReadOnlyList<Expression> arguments, IReadOnlyList<AbstractValue> argumentAvals, PrimitiveParams parameters)
    {
        var avals = primitive.InferShapes(argumentAvals, parameters);
        foreach (var aval in avals) TensorLimits.Check(primitive.Name, aval.Shape);
        return new(primitive, arguments, parameters, avals);
    }

    /// <summary>The operation.</summary>
    public Primitive Primitive { get; }

    /// <summary>The argument atoms, each of type <see cref="Tensor"/>.</summary>
    public ReadOnlyCollection<Expression> Arguments { get; }

    /// <summary>The static parameters (axes, shapes, dtypes...).</summary>
    public PrimitiveParams Params { get; }

    /// <summary>The outputs' shapes and dtypes, from the primitive's shape rule: one for most primitives.</summary>
    public IReadOnlyList<AbstractValue> Avals { get; }

    /// <summary>Whether the primitive has several outputs (<see cref="Primitive.MultipleResults"/>): the node is then a <c>Tensor[]</c>.</summary>
    public bool MultipleResults => Primitive.MultipleResults;

    /// <summary>The one output's shape and dtype, from the primitive's shape rule.</summary>
    /// <exception cref="InvalidOperationException">The primitive has several outputs: read <see cref="Avals"/>.</exception>
    public AbstractValue Aval => MultipleResults
        ? throw new InvalidOperationException($"{Primitive.Name}: this application has {Avals.Count} outputs; read Avals")
        : Avals[0];

    /// <inheritdoc/>
    public override ExpressionType NodeType => ExpressionType.Extension;

    /// <inheritdoc/>
    public override Type Type => MultipleResults ? typeof(Tensor[]) : typeof(Tensor);

    /// <summary>Reducible: to a call that binds the primitive, so any IR lambda can be compiled and run as is.</summary>
    public override bool CanReduce => true;

    /// <inheritdoc/>
    public override Expression Reduce() => Call(
        Constant(Primitive),
        typeof(Primitive).GetMethod(MultipleResults ? nameof(Primitive.BindMany) : nameof(Primitive.Bind))!,
        Constant(Params, typeof(PrimitiveParams)),
        NewArrayInit(typeof(Tensor), Arguments));

    /// <summary>Returns this node when the arguments are the same, else a node over the new arguments.</summary>
    public PrimitiveExpression Update(IReadOnlyList<Expression> arguments) =>
        SameArguments(arguments) ? this : new PrimitiveExpression(Primitive, arguments, Params, Avals);

    // a loop, not LINQ's indexed Select to bool, whose instantiation the first jit of a process compiles
    private bool SameArguments(IReadOnlyList<Expression> arguments)
    {
        if (arguments.Count != Arguments.Count) return false;
        for (var i = 0; i < arguments.Count; i++)
            if (!ReferenceEquals(arguments[i], Arguments[i])) return false;
        return true;
    }

    /// <summary>This node when <paramref name="parameters"/> are its own, else the same application with them (of the same output types: nested programs rewritten by the simplifier).</summary>
    internal PrimitiveExpression WithParams(PrimitiveParams parameters) =>
        ReferenceEquals(parameters, Params) ? this : new PrimitiveExpression(Primitive, Arguments, parameters, Avals);

    /// <inheritdoc/>
    protected override Expression VisitChildren(ExpressionVisitor visitor) => Update(visitor.Visit(Arguments));

    /// <summary>jaxpr form of the right-hand side: <c>reduce_sum[axes=(0,)] a</c>.</summary>
    public override string ToString() => JaxprPrinter.FormatEquation(this, a => a.ToString());
}
