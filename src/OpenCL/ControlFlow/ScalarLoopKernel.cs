using System.Linq.Expressions;
using System.Text;
using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Transforms;

namespace JaxSharp.OpenCL.ControlFlow;

/// <summary>
/// A loop of scalars as ONE OpenCL kernel of one work item (the device's form of the CPU's
/// <c>ScalarWhileKernel</c>): when every value of the predicate and of the body has one element
/// and every equation is elementwise (or a view, the identity on one element), the carries are
/// locals of a C <c>for</c> loop that evaluates the predicate's and the body's element expressions
/// (printed by <see cref="OpenCLPrinter"/>) until the predicate fails, or for a scan without
/// sequences, for its length. Nothing goes back to the host per step.
/// </summary>
internal static class ScalarLoopKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "scalar_loop";

    /// <summary>
    /// The source of the loop while <paramref name="cond"/> holds (or for <paramref name="count"/> steps
    /// when it is null), or null when a value is not a scalar or an element has no OpenCL C form.
    /// The kernel reads the equation's arguments (predicate consts, body consts, carries) and writes the carries.
    /// </summary>
    public static string? TryWrite(Jaxpr? cond, int condConstCount, Jaxpr body, int bodyConstCount, int carryCount, int? count)
    {
        cond = cond is null ? null : Simplifier.Simplify(cond);
        body = Simplifier.Simplify(body);
        if ((cond is not null && !AllScalar(cond)) || !AllScalar(body)) return null;
        var arguments = (cond?.InputAvals.Take(condConstCount) ?? []).Concat(body.InputAvals).ToArray();
        var carries = Enumerable.Range(condConstCount + bodyConstCount, carryCount).Select(i => $"a{i}").ToArray();
        var text = new StringBuilder();
        try
        {
            for (var i = 0; i < arguments.Length; i++)
            {
                var read = arguments[i].DType == DType.Bool ? $"(in{i}[0] != 0)" : $"in{i}[0]";
                text.Append($"    {Type(arguments[i])} a{i} = {read};\n");
            }
            text.Append(count is { } n ? $"    for (int step = 0; step < {n}; step++) {{\n" : "    for (;;) {\n");
            if (cond is not null)
            {
                var condInputs = Enumerable.Range(0, condConstCount).Select(i => $"a{i}").Concat(carries).ToArray();
                var predicate = Emit(cond, condInputs, "c", text)[0];
                text.Append($"        if (!{predicate}) break;\n");
            }
            var bodyInputs = Enumerable.Range(condConstCount, bodyConstCount).Select(i => $"a{i}").Concat(carries).ToArray();
            var next = Emit(body, bodyInputs, "b", text);
            // every next carry is computed before any carry changes
            for (var j = 0; j < carryCount; j++) text.Append($"        {carries[j]} = {next[j]};\n");
        }
        catch (Exception e) when (e is UnprintableElement or InvalidOperationException or NotScalar)
        {
            return null;
        }
        text.Append("    }\n");
        for (var j = 0; j < carryCount; j++)
            text.Append($"    out{j}[0] = {(body.OutputAvals[j].DType == DType.Bool ? $"(uchar)({carries[j]})" : carries[j])};\n");
        var parameters = arguments.Select((a, i) => $"__global const {Stored(a)}* restrict in{i}")
            .Concat(body.OutputAvals.Select((a, j) => $"__global {Stored(a)}* restrict out{j}"));
        var float64 = arguments.Any(a => a.DType == DType.Float64) || UsesFloat64(cond) || UsesFloat64(body);
        return $"{OpenCLPrelude.For(float64)}__kernel void {Name}({string.Join(", ", parameters)}) {{\n{text}}}\n";
    }

    /// <summary>Whether every input and equation of <paramref name="program"/> holds one element, every equation having one output.</summary>
    private static bool AllScalar(Jaxpr program) =>
        program.InputAvals.All(a => a.Shape.Size == 1)
        && program.Equations.All(e => !e.Application.MultipleResults && e.Application.Aval.Shape.Size == 1
            && e.Application.Arguments.All(a => a is not ConstantExpression { Value: Tensor { Size: not 1 } }));

    private static bool UsesFloat64(Jaxpr? program) =>
        program is not null && program.Equations.Any(e => e.Application.Avals.Any(a => a.DType == DType.Float64));

    /// <summary>
    /// Appends one <c>const</c> local per equation of <paramref name="program"/> on the C values
    /// <paramref name="inputs"/>; returns the C values of its outputs.
    /// </summary>
    private static string[] Emit(Jaxpr program, string[] inputs, string prefix, StringBuilder text)
    {
        var values = new Dictionary<Expression, string>();
        var avals = new Dictionary<Expression, AbstractValue>();
        for (var i = 0; i < inputs.Length; i++) (values[program.Inputs[i]], avals[program.Inputs[i]]) = (inputs[i], program.InputAvals[i]);
        string ValueOf(Expression atom) => atom is ConstantExpression { Value: Tensor t } ? OpenCLPrinter.Literal(t.Data.GetValue(0)) : values[atom];
        AbstractValue AvalOf(Expression atom) => atom is ConstantExpression { Value: Tensor t } ? t.Aval : avals[atom];
        for (var e = 0; e < program.Equations.Count; e++)
        {
            var (variable, app) = (program.Equations[e].Variable, program.Equations[e].Application);
            var output = avals[variable] = app.Aval.Strong;
            var context = new LoweringContext(app.Arguments.Select(a => AvalOf(a).Strong).ToArray(), output, app.Params);
            switch (app.Primitive.LowerCpu(context))
            {
                case ViewLowering when app.Arguments.Count == 1 && AvalOf(app.Arguments[0]).DType == output.DType:
                    values[variable] = ValueOf(app.Arguments[0]);
                    break;
                case ElementwiseLowering element:
                    var names = new Dictionary<ParameterExpression, string>();
                    var args = app.Arguments.Select(a =>
                    {
                        var parameter = Expression.Parameter(AvalOf(a).DType.ClrType());
                        names[parameter] = ValueOf(a);
                        return (Expression)parameter;
                    }).ToArray();
                    var result = element.Portable(args);
                    if (result.Type != output.DType.ClrType()) throw new NotScalar();
                    var local = values[variable] = $"{prefix}{e}";
                    text.Append($"        const {Type(output)} {local} = {OpenCLPrinter.Print(result, p => names[p])};\n");
                    break;
                default:
                    throw new NotScalar();
            }
        }
        return program.Outputs.Select(ValueOf).ToArray();
    }

    private static string Type(AbstractValue aval) => OpenCLPrinter.TypeOf(aval.DType.ClrType());

    /// <summary>The C type of an element stored in a buffer (bool as uchar).</summary>
    private static string Stored(AbstractValue aval) => aval.DType == DType.Bool ? "uchar" : Type(aval);

    /// <summary>An equation that is no element of a loop of scalars.</summary>
    private sealed class NotScalar : Exception;
}
