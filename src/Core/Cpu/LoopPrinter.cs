using System.Globalization;
using System.Linq.Expressions;
using System.Text;

namespace JaxSharp.Cpu;

/// <summary>
/// Prints the expression tree of a compiled loop as C#-like source: declarations, <c>while</c>
/// loops, assignments and calls, indented, with every local given a unique name. The text is
/// stable, so tests can compare it.
/// </summary>
internal sealed class LoopPrinter
{
    private readonly StringBuilder _text = new();
    private readonly Dictionary<ParameterExpression, string> _names = [];
    private readonly HashSet<string> _used = [];
    private int _indent;

    public static string Print(LambdaExpression lambda)
    {
        var printer = new LoopPrinter();
        var parameters = string.Join(", ", lambda.Parameters.Select(p => $"{TypeName(p.Type)} {printer.Name(p)}"));
        printer.Line($"void {lambda.Name}({parameters})");
        printer.Statement(lambda.Body);
        return printer._text.ToString();
    }

    private void Line(string text) => _text.Append(' ', 4 * _indent).Append(text).Append('\n');

    private string Name(ParameterExpression p)
    {
        if (_names.TryGetValue(p, out var name)) return name;
        var stem = string.IsNullOrEmpty(p.Name) ? "t" : p.Name;
        name = stem;
        for (var k = 2; !_used.Add(name); k++) name = $"{stem}_{k}";
        return _names[p] = name;
    }

    private void Statement(Expression e)
    {
        switch (e)
        {
            case BlockExpression block:
                Line("{");
                _indent++;
                foreach (var v in block.Variables) Line($"{TypeName(v.Type)} {Name(v)};");
                foreach (var s in block.Expressions) Statement(s);
                _indent--;
                Line("}");
                break;
            case LoopExpression { Body: ConditionalExpression { IfFalse: GotoExpression } loop }:
                Line($"while ({Value(loop.Test)})");
                Body(loop.IfTrue);
                break;
            case ConditionalExpression { Type: var t } c when t == typeof(void):
                Line($"if ({Value(c.Test)})");
                Body(c.IfTrue);
                if (c.IfFalse is not DefaultExpression)
                {
                    Line("else");
                    Body(c.IfFalse);
                }
                break;
            case BinaryExpression { NodeType: ExpressionType.Assign, Right: BlockExpression value } assign:
                Line($"{Value(assign.Left)} = {{");
                _indent++;
                foreach (var v in value.Variables) Name(v);
                foreach (var s in value.Expressions.Take(value.Expressions.Count - 1)) Line(Value(s) + ";");
                Line(Value(value.Result));
                _indent--;
                Line("};");
                break;
            default:
                Line(Value(e) + ";");
                break;
        }
    }

    private void Body(Expression e)
    {
        if (e is BlockExpression) Statement(e);
        else
        {
            Line("{");
            _indent++;
            Statement(e);
            _indent--;
            Line("}");
        }
    }

    private string Value(Expression e) => e switch
    {
        ParameterExpression p => Name(p),
        ConstantExpression c => Literal(c.Value),
        BinaryExpression { NodeType: ExpressionType.ArrayIndex } b => $"{Value(b.Left)}[{Value(b.Right)}]",
        IndexExpression i => $"{Value(i.Object!)}[{string.Join(", ", i.Arguments.Select(Value))}]",
        BinaryExpression b when Operator(b.NodeType) is { } op => b.NodeType is ExpressionType.Assign or ExpressionType.AddAssign
            ? $"{Value(b.Left)} {op} {Value(b.Right)}"
            : $"({Value(b.Left)} {op} {Value(b.Right)})",
        UnaryExpression { NodeType: ExpressionType.Convert } u => $"({TypeName(u.Type)}){Value(u.Operand)}",
        UnaryExpression { NodeType: ExpressionType.Negate } u => $"-{Value(u.Operand)}",
        UnaryExpression { NodeType: ExpressionType.Not } u => (u.Type == typeof(bool) ? "!" : "~") + Value(u.Operand),
        UnaryExpression { NodeType: ExpressionType.PreIncrementAssign } u => $"++{Value(u.Operand)}",
        MethodCallExpression m => $"{(m.Object is null ? TypeName(m.Method.DeclaringType!) : Value(m.Object))}.{m.Method.Name}({string.Join(", ", m.Arguments.Select(Value))})",
        InvocationExpression { Expression: ConstantExpression { Value: Delegate f } } i => $"{ScalarFunctions.NameOf(f)}({string.Join(", ", i.Arguments.Select(Value))})",
        ConditionalExpression c => $"({Value(c.Test)} ? {Value(c.IfTrue)} : {Value(c.IfFalse)})",
        DefaultExpression d => $"default({TypeName(d.Type)})",
        BlockExpression b => Inline(b),
        _ => $"/* {e.NodeType} */",
    };

    /// <summary>A block with a value (an inlined math function) as one line: <c>{ t = ...; t2 = ...; result }</c>.</summary>
    private string Inline(BlockExpression b)
    {
        foreach (var v in b.Variables) Name(v);
        var parts = b.Expressions.Take(b.Expressions.Count - 1).Select(x => Value(x) + "; ");
        return "{ " + string.Concat(parts) + Value(b.Result) + " }";
    }

    private static string? Operator(ExpressionType type) => type switch
    {
        ExpressionType.Add => "+",
        ExpressionType.Subtract => "-",
        ExpressionType.Multiply => "*",
        ExpressionType.Divide => "/",
        ExpressionType.Modulo => "%",
        ExpressionType.And => "&",
        ExpressionType.Or => "|",
        ExpressionType.ExclusiveOr => "^",
        ExpressionType.LessThan => "<",
        ExpressionType.LessThanOrEqual => "<=",
        ExpressionType.GreaterThan => ">",
        ExpressionType.GreaterThanOrEqual => ">=",
        ExpressionType.Equal => "==",
        ExpressionType.NotEqual => "!=",
        ExpressionType.Assign => "=",
        ExpressionType.AddAssign => "+=",
        _ => null,
    };

    private static string Literal(object? value) => value switch
    {
        null => "null",
        float f => float.IsNaN(f) ? "float.NaN" : float.IsInfinity(f) ? (f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity") : f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d => double.IsNaN(d) ? "double.NaN" : double.IsInfinity(d) ? (d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity") : d.ToString("R", CultureInfo.InvariantCulture) + (d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ".0" : ""),
        uint u => u.ToString(CultureInfo.InvariantCulture) + "u",
        bool b => b ? "true" : "false",
        Enum e => $"{e.GetType().Name}.{e}",
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string TypeName(Type t)
    {
        if (t.IsArray) return TypeName(t.GetElementType()!) + "[]";
        if (t.IsGenericType) return $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(TypeName))}>";
        return t == typeof(float) ? "float" : t == typeof(double) ? "double" : t == typeof(int) ? "int" : t == typeof(uint) ? "uint"
            : t == typeof(bool) ? "bool" : t == typeof(void) ? "void" : t.Name;
    }
}
