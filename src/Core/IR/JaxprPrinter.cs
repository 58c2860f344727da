using System.Globalization;
using System.Linq.Expressions;
using System.Text;

namespace JaxSharp.IR;

/// <summary>
/// Prints programs as stable text: a jaxpr-like listing, and C#-like source. Variables are
/// named a, b, c, ... in order of definition, so the text depends only on the program.
/// </summary>
internal static class JaxprPrinter
{
    public static string Print(Jaxpr jaxpr) => Print(jaxpr, new Names());

    /// <summary>
    /// The names <see cref="Print(Jaxpr)"/> gives the program's atoms (variables, inputs,
    /// constants), found by printing it (for a listing, which prints it anyway).
    /// </summary>
    public static Func<Expression, string> PrintedAtomNames(Jaxpr jaxpr)
    {
        var names = new Names();
        Print(jaxpr, names);
        return names.Atom;
    }

    /// <summary>
    /// The same names without printing: the atoms visited in the order <see cref="Print(Jaxpr, Names)"/>
    /// names them (captures, constants, inputs, then each equation's outputs, its nested programs
    /// and its arguments, then the outputs). Compiled loops name their locals with these; printing
    /// each parameter's value (reflection, number formatting) cost every compile several
    /// milliseconds, most of a process's first eager call. A test checks the two agree.
    /// </summary>
    public static Func<Expression, string> AtomNames(Jaxpr jaxpr)
    {
        var names = new Names();
        Visit(jaxpr, names);
        return names.Atom;
    }

    private static void Visit(Jaxpr jaxpr, Names names)
    {
        foreach (var capture in jaxpr.Captures) names.Of(capture);
        foreach (var constant in CollectConstants(jaxpr)) names.Of(constant);
        foreach (var input in jaxpr.Inputs) names.Of(input);
        foreach (var eq in jaxpr.Equations)
        {
            foreach (var variable in eq.Variables) names.Of(variable);
            foreach (var nested in SubPrograms.Of(eq.Application.Params)) Visit(nested, names);
            foreach (var argument in eq.Application.Arguments) names.OfUnlessLiteral(argument);
        }
        foreach (var output in jaxpr.Outputs) names.OfUnlessLiteral(output);
    }

    /// <summary>
    /// Prints the program, naming atoms in the order the listing shows them (captures, constants,
    /// inputs, then each equation's outputs before its right-hand side), so that nested programs,
    /// printed with the same <paramref name="names"/>, continue the outer program's names, as JAX's.
    /// </summary>
    private static string Print(Jaxpr jaxpr, Names names)
    {
        var constants = CollectConstants(jaxpr);
        var constVars = jaxpr.Captures.Cast<Expression>().Concat(constants).Select(c => $"{names.Of(c)}:{AvalOf(jaxpr, c)}").ToList();
        var inputs = jaxpr.Inputs.Select((p, i) => $"{names.Of(p)}:{jaxpr.InputAvals[i]}").ToList();
        var sb = new StringBuilder();
        sb.Append("{ lambda ").Append(string.Join(" ", constVars)).Append(constants.Count + jaxpr.Captures.Count > 0 ? " ; " : "; ")
          .Append(string.Join(" ", inputs)).Append(". let\n");
        foreach (var eq in jaxpr.Equations)
        {
            var lhs = eq.Variables.Select((v, k) => $"{names.Of(v)}:{eq.Application.Avals[k]}").ToList();
            var rhs = FormatEquation(eq.Application, names.Atom, nested => Print(nested, names)).Replace("\n", "\n    ");
            sb.Append("    ").Append(string.Join(" ", lhs)).Append(" = ").Append(rhs).Append('\n');
        }
        var outs = jaxpr.Outputs.Select(names.Atom).ToList();
        sb.Append("  in (").Append(string.Join(", ", outs)).Append(outs.Count == 1 ? ",) }" : ") }");
        return sb.ToString();
    }

    /// <summary>C#-like source of the program: one statement an equation.</summary>
    public static string PrintCSharp(Jaxpr jaxpr)
    {
        var names = new Names();
        var sb = new StringBuilder();
        var parameters = jaxpr.Inputs.Select((p, i) => $"Tensor {names.Of(p)} /* {jaxpr.InputAvals[i]} */")
            .Concat(jaxpr.Captures.Select(c => $"Tensor {names.Of(c)} /* captured */"));
        sb.Append("Tensor[] Program(").Append(string.Join(", ", parameters)).Append(")\n{\n");
        foreach (var eq in jaxpr.Equations)
        {
            var app = eq.Application;
            var args = app.Arguments.Select(names.Atom).Concat(app.Params.Entries().Select(kv => $"{kv.Key}: {kv.Value}"));
            var lhs = eq.Variables.Count == 1 ? "Tensor " + names.Of(eq.Variable) : "var (" + string.Join(", ", eq.Variables.Select(names.Of)) + ")";
            sb.Append("    ").Append(lhs).Append(" = ").Append(app.Primitive.Name)
              .Append('(').Append(string.Join(", ", args)).Append(");  // ").Append(string.Join(" ", app.Avals)).Append('\n');
        }
        sb.Append("    return [").Append(string.Join(", ", jaxpr.Outputs.Select(names.Atom))).Append("];\n}");
        return sb.ToString();
    }

    /// <summary>
    /// The right-hand side of an equation: <c>name[params] args</c>; when a parameter spans lines (a
    /// nested program), one parameter a line, indented, as JAX prints <c>cond[branches=(...)]</c>.
    /// </summary>
    public static string FormatEquation(PrimitiveExpression app, Func<Expression, string> atom, Func<Jaxpr, string>? program = null)
    {
        var entries = app.Params.Assignments(program ?? (p => p.ToString()));
        var ps = entries.Count == 0 ? ""
            : entries.Any(e => e.Contains('\n')) ? "[\n" + string.Join("\n", entries.Select(e => "  " + e.Replace("\n", "\n  "))) + "\n]"
            : "[" + string.Join(" ", entries) + "]";
        return app.Primitive.Name + ps + (app.Arguments.Count > 0 ? " " + string.Join(" ", app.Arguments.Select(atom)) : "");
    }

    private static List<Expression> CollectConstants(Jaxpr jaxpr) =>
        jaxpr.Equations.SelectMany(e => e.Application.Arguments).Concat(jaxpr.Outputs)
            .OfType<ConstantExpression>().Where(c => !IsLiteral(c)).DistinctBy(c => c.Value).Cast<Expression>().ToList();

    private static bool IsLiteral(ConstantExpression c) => c.Value is Tensor { Rank: 0 };

    private static AbstractValue AvalOf(Jaxpr jaxpr, Expression e) => e is ConstantExpression c
        ? ((Tensor)c.Value!).Aval
        : jaxpr.CapturedValues[jaxpr.Captures.ToList().IndexOf((ParameterExpression)e)].Aval;

    /// <summary>Formats a scalar constant as a literal: <c>2.0:f32[]</c>.</summary>
    private static string Literal(Tensor t) => $"{FormatScalar(t.Data.GetValue(0)!)}:{t.Aval}";

    internal static string FormatScalar(object value) => value switch
    {
        float f => FormatFloat(f, f.ToString("R", CultureInfo.InvariantCulture)),
        double d => FormatFloat(d, d.ToString("R", CultureInfo.InvariantCulture)),
        bool b => b ? "True" : "False",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string FormatFloat(double v, string text) =>
        double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf")
        : text.Contains('.') || text.Contains('E') ? text : text + ".0";

    private sealed class Names
    {
        private readonly Dictionary<object, string> _names = new(ReferenceEqualityComparer.Instance);

        /// <summary>The name of a variable, or of a constant tensor however many nodes hold it.</summary>
        public string Of(Expression e)
        {
            var key = e is ConstantExpression c ? c.Value! : e;
            if (!_names.TryGetValue(key, out var name)) _names[key] = name = Name(_names.Count);
            return name;
        }

        public string Atom(Expression e) => e is ConstantExpression { Value: Tensor { Rank: 0 } t } ? Literal(t) : Of(e);

        /// <summary>Names <paramref name="e"/> as <see cref="Atom"/> would, without formatting a literal.</summary>
        public void OfUnlessLiteral(Expression e)
        {
            if (e is not ConstantExpression { Value: Tensor { Rank: 0 } }) Of(e);
        }

        private static string Name(int i)
        {
            var s = "";
            do { s = (char)('a' + i % 26) + s; i = i / 26 - 1; } while (i >= 0);
            return s;
        }
    }
}
