using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using JaxSharp.Primitives;

namespace JaxSharp.OpenCL.CodeGen;

/// <summary>
/// Prints a portable element expression (see <c>ElementwiseLowering.Portable</c>) as an OpenCL C
/// 1.2 expression: operators as operators, <see cref="Math"/>/<see cref="MathF"/> calls as the
/// built-ins (<c>Math.Sin</c> → <c>sin</c>), <see cref="ScalarMath"/> calls and the operations
/// whose C meaning differs from .NET's (signed overflow, NaN in max, float to int) as the
/// helper functions of <see cref="OpenCLPrelude"/>, a conditional as <c>?:</c>, a conversion as
/// <c>convert_*</c>. Anything else is an <see cref="UnprintableElement"/>.
/// </summary>
internal sealed class OpenCLPrinter : ExpressionVisitor
{
    private readonly StringBuilder _text = new();
    private readonly Func<ParameterExpression, string> _nameOf;

    private OpenCLPrinter(Func<ParameterExpression, string> nameOf) => _nameOf = nameOf;

    /// <summary>The OpenCL C text of <paramref name="expression"/>, with parameters named by <paramref name="nameOf"/>.</summary>
    public static string Print(Expression expression, Func<ParameterExpression, string> nameOf)
    {
        var printer = new OpenCLPrinter(nameOf);
        printer.Visit(expression);
        return printer._text.ToString();
    }

    /// <summary>The OpenCL C type of a .NET element type.</summary>
    public static string TypeOf(Type type) =>
        type == typeof(float) ? "float"
        : type == typeof(double) ? "double"
        : type == typeof(int) ? "int"
        : type == typeof(uint) ? "uint"
        : type == typeof(bool) ? "bool"
        : throw new UnprintableElement($"values of type {type.Name}");

    /// <summary>An OpenCL C literal of a constant of a dtype's element type, exact (shortest round-trip digits).</summary>
    public static string Literal(object? value) => value switch
    {
        float f when float.IsNaN(f) => "NAN",
        float f when float.IsInfinity(f) => f > 0 ? "INFINITY" : "(-INFINITY)",
        float f => Decimal(f.ToString("R", CultureInfo.InvariantCulture), "f"),
        double d when double.IsNaN(d) => "((double)NAN)",
        double d when double.IsInfinity(d) => d > 0 ? "((double)INFINITY)" : "(-(double)INFINITY)",
        double d => Decimal(d.ToString("R", CultureInfo.InvariantCulture), ""),
        int i => i == int.MinValue ? "(-2147483647 - 1)" : i < 0 ? $"({i})" : i.ToString(CultureInfo.InvariantCulture),
        uint u => u.ToString(CultureInfo.InvariantCulture) + "u",
        bool b => b ? "true" : "false",
        _ => throw new UnprintableElement($"the constant {value} ({value?.GetType().Name})"),
    };

    /// <summary>A decimal literal with <paramref name="suffix"/> (f for float), in parentheses when negative.</summary>
    private static string Decimal(string digits, string suffix)
    {
        var text = (digits.Contains('.') || digits.Contains('E') ? digits : digits + ".0") + suffix;
        return text.StartsWith('-') ? $"({text})" : text;
    }

    private void Write(string text) => _text.Append(text);

    private void Call(string function, params Expression[] args)
    {
        Write(function);
        Write("(");
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0) Write(", ");
            Visit(args[i]);
        }
        Write(")");
    }

    /// <inheritdoc/>
    protected override Expression VisitConstant(ConstantExpression node)
    {
        Write(Literal(node.Value));
        return node;
    }

    /// <inheritdoc/>
    protected override Expression VisitDefault(DefaultExpression node)
    {
        Write(Literal(Activator.CreateInstance(node.Type)));
        return node;
    }

    /// <inheritdoc/>
    protected override Expression VisitParameter(ParameterExpression node)
    {
        Write(_nameOf(node));
        return node;
    }

    /// <inheritdoc/>
    protected override Expression VisitConditional(ConditionalExpression node)
    {
        Write("(");
        Visit(node.Test);
        Write(" ? ");
        Visit(node.IfTrue);
        Write(" : ");
        Visit(node.IfFalse);
        Write(")");
        return node;
    }

    /// <inheritdoc/>
    protected override Expression VisitUnary(UnaryExpression node)
    {
        var operand = node.Operand;
        switch (node.NodeType)
        {
            case ExpressionType.Negate when operand.Type == typeof(int):
                Call("jx_neg_int", operand);
                break;
            case ExpressionType.Negate:
                Write("(-");
                Visit(operand);
                Write(")");
                break;
            case ExpressionType.Not:
            case ExpressionType.OnesComplement:
                Write(operand.Type == typeof(bool) ? "(!" : "(~");
                Visit(operand);
                Write(")");
                break;
            case ExpressionType.Convert:
            case ExpressionType.ConvertChecked:
                Convert(operand, node.Type);
                break;
            default:
                throw new UnprintableElement($"the operator {node.NodeType}");
        }
        return node;
    }

    /// <summary>A conversion with .NET's meaning: float to integer truncates and saturates (NaN: 0), int and uint reinterpret bits.</summary>
    private void Convert(Expression x, Type target)
    {
        var source = x.Type;
        var to = TypeOf(target);
        if (source == target) Visit(x);
        else if (target == typeof(bool)) { Write("("); Visit(x); Write(" != 0)"); }
        else if (source == typeof(bool)) { Write($"(({to})"); Visit(x); Write(")"); }
        else if ((source == typeof(float) || source == typeof(double)) && (target == typeof(int) || target == typeof(uint))) Call($"convert_{to}_sat_rtz", x);
        else if ((source == typeof(int) || source == typeof(uint)) && (target == typeof(int) || target == typeof(uint))) Call($"as_{to}", x);
        else Call($"convert_{to}", x);
    }

    /// <inheritdoc/>
    protected override Expression VisitBinary(BinaryExpression node)
    {
        var (a, b) = (node.Left, node.Right);
        var integer = a.Type == typeof(int);
        var isBool = a.Type == typeof(bool);
        var op = node.NodeType switch
        {
            ExpressionType.Add when integer => "jx_add_int",
            ExpressionType.Subtract when integer => "jx_sub_int",
            ExpressionType.Multiply when integer => "jx_mul_int",
            ExpressionType.Modulo when a.Type == typeof(float) || a.Type == typeof(double) => "fmod",
            ExpressionType.Add => "+",
            ExpressionType.Subtract => "-",
            ExpressionType.Multiply => "*",
            ExpressionType.Divide when a.Type == typeof(float) || a.Type == typeof(double) => "/",
            ExpressionType.And when isBool => "&&",
            ExpressionType.Or when isBool => "||",
            ExpressionType.ExclusiveOr when isBool => "!=",
            ExpressionType.And => "&",
            ExpressionType.Or => "|",
            ExpressionType.ExclusiveOr => "^",
            ExpressionType.AndAlso => "&&",
            ExpressionType.OrElse => "||",
            ExpressionType.Equal => "==",
            ExpressionType.NotEqual => "!=",
            ExpressionType.LessThan => "<",
            ExpressionType.LessThanOrEqual => "<=",
            ExpressionType.GreaterThan => ">",
            ExpressionType.GreaterThanOrEqual => ">=",
            ExpressionType.LeftShift => "<<",
            ExpressionType.RightShift => ">>",
            _ => throw new UnprintableElement($"the operator {node.NodeType} on {a.Type.Name}"),
        };
        if (char.IsLetter(op[0])) Call(op, a, b);
        else
        {
            Write("(");
            Visit(a);
            Write($" {op} ");
            Visit(b);
            Write(")");
        }
        return node;
    }

    /// <inheritdoc/>
    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var method = node.Method;
        var args = node.Arguments;
        var host = method.DeclaringType;
        var suffix = args.Count > 0 ? TypeOf(args[0].Type) : "";
        string? function = null;
        if (host == typeof(Math) || host == typeof(MathF))
        {
            if (method.Name == "Round")
            {
                var toEven = args.Count == 1 || args[1] is ConstantExpression { Value: MidpointRounding.ToEven };
                Call(toEven ? "rint" : "round", args[0]);
                return node;
            }
            function = method.Name switch
            {
                "Max" or "Min" => $"jx_{method.Name.ToLowerInvariant()}_{suffix}",
                "Abs" when args[0].Type == typeof(float) || args[0].Type == typeof(double) => "fabs",
                "Ceiling" => "ceil",
                "Truncate" => "trunc",
                "FusedMultiplyAdd" => "fma",
                "CopySign" => "copysign",
                "Sin" or "Cos" or "Tan" or "Asin" or "Acos" or "Atan" or "Atan2" or "Sinh" or "Cosh" or "Tanh"
                    or "Asinh" or "Acosh" or "Atanh" or "Exp" or "Log" or "Log2" or "Log10" or "Sqrt" or "Cbrt"
                    or "Pow" or "Floor" => method.Name.ToLowerInvariant(),
                _ => null,
            };
        }
        else if (host == typeof(ScalarMath))
            function = method.Name switch
            {
                "Log1p" => "log1p",
                "Expm1" => "expm1",
                "Div" or "Rem" or "Abs" or "Sign" or "Logistic" or "Rsqrt" => $"jx_{method.Name.ToLowerInvariant()}_{suffix}",
                _ => null,
            };
        else if (host == typeof(SpecialFunctions))
            function = method.Name switch
            {
                "Erf" => $"jx_erf_{suffix}",
                "Erfinv" => $"jx_erfinv_{suffix}",
                _ => null,
            };
        else if (host == typeof(BitConverter))
            // bitcast_convert_type: OpenCL's as_* reinterpret the bits as BitConverter does
            function = method.Name switch
            {
                "SingleToUInt32Bits" => "as_uint",
                "SingleToInt32Bits" => "as_int",
                "UInt32BitsToSingle" or "Int32BitsToSingle" => "as_float",
                _ => null,
            };
        else if (host == typeof(float) || host == typeof(double))
            function = method.Name switch
            {
                "IsFinite" => "isfinite",
                "IsNaN" => "isnan",
                "IsInfinity" => "isinf",
                _ => null,
            };
        if (function is null) throw new UnprintableElement($"{host?.Name}.{method.Name}");
        Call(function, [.. args]);
        return node;
    }

    /// <inheritdoc/>
    public override Expression? Visit(Expression? node) => node switch
    {
        null => null,
        ConstantExpression or DefaultExpression or ParameterExpression or ConditionalExpression
            or UnaryExpression or BinaryExpression or MethodCallExpression => base.Visit(node),
        _ => throw new UnprintableElement($"a {node.NodeType} expression"),
    };
}

/// <summary>An element expression (or part of one) that has no OpenCL C form yet.</summary>
internal sealed class UnprintableElement(string what) : Exception($"no OpenCL C form for {what}")
{
    /// <summary>What could not be printed.</summary>
    public string What { get; } = what;
}
