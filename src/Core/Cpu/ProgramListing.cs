using System.Text;
using JaxSharp.IR;

namespace JaxSharp.Cpu;

/// <summary>
/// The text of a compiled program, as <c>Jax.Lower</c> shows it: the simplified program (a
/// jaxpr), then each step: a fused loop with the equations it computes, its domain, lanes and
/// cores, the values it stores, and its generated code as C#-like source; or an equation run
/// as a kernel.
/// </summary>
internal static class ProgramListing
{
    public static string Print(CpuProgram program)
    {
        var jaxpr = program.Jaxpr;
        var nameOf = JaxprPrinter.PrintedAtomNames(jaxpr);
        var equationOf = jaxpr.Equations.SelectMany(e => e.Variables.Select(v => (Variable: (object)v, Equation: e)))
            .ToDictionary(p => p.Variable, p => p.Equation, ReferenceEqualityComparer.Instance);
        var sb = new StringBuilder(jaxpr.ToString()).Append("\n\n");
        for (var i = 0; i < program.Steps.Count; i++)
        {
            var step = program.Steps[i];
            switch (step)
            {
                case CpuProgram.LoopRun { Loop: var compiled }:
                    AppendLoop(sb, $"group {i}: ", compiled, jaxpr, nameOf);
                    break;
                case CpuProgram.EpilogueRun fused:
                    var product = equationOf[program.VariableOfSlot(fused.Product.OutSlot)];
                    sb.Append($"group {i}: kernel + epilogue: {nameOf(product.Variable)} = {JaxprPrinter.FormatEquation(product.Application, nameOf)}\n");
                    AppendLoop(sb, "  epilogue on each finished block of rows: ", fused.Epilogue.Loop, jaxpr, nameOf, "on the product's cores");
                    break;
                case CpuProgram.AliasRun alias:
                    var relabel = equationOf[program.VariableOfSlot(alias.OutSlot)];
                    sb.Append($"group {i}: alias (no copy, the same buffer as {Describe(program.VariableOfSlot(alias.SourceSlot), nameOf)}): {nameOf(relabel.Variable)}\n\n");
                    break;
                case CpuProgram.KernelRun:
                    var eq = equationOf[program.VariableOfSlot(step.OutSlot)];
                    sb.Append($"group {i}: kernel: {nameOf(eq.Variable)} = {JaxprPrinter.FormatEquation(eq.Application, nameOf)}\n\n");
                    break;
                case CpuProgram.MultiKernelRun:
                    var multi = equationOf[program.VariableOfSlot(step.OutSlot)];
                    sb.Append($"group {i}: kernel: {string.Join(" ", multi.Variables.Select(nameOf))} = {JaxprPrinter.FormatEquation(multi.Application, nameOf)}\n\n");
                    AppendNested(sb, multi.Application);
                    break;
            }
        }
        return sb.ToString().TrimEnd() + "\n";
    }

    /// <summary>The name of a slot's variable, or "a constant".</summary>
    private static string Describe(object atom, Func<System.Linq.Expressions.Expression, string> nameOf) =>
        atom is System.Linq.Expressions.Expression e ? nameOf(e) : "a constant";

    /// <summary>A fused loop: the equations it computes, its domain, lanes and cores (<paramref name="cores"/> when given), the values it stores, and its code.</summary>
    private static void AppendLoop(StringBuilder sb, string heading, CompiledLoop compiled, Jaxpr jaxpr, Func<System.Linq.Expressions.Expression, string> nameOf, string? cores = null)
    {
        var loop = compiled.Loop;
        var computes = string.Join(" ", loop.Equations.Select(e => nameOf(jaxpr.Equations[e].Variable)));
        var kind = loop.Reduction is null ? "loop" : "reduction loop";
        var lanes = compiled.Lanes == 0 ? "scalar" : $"{compiled.Lanes} lanes";
        cores ??= compiled.IsParallel ? "parallel" : "one core";
        var stores = string.Join(" ", loop.SideOutputs.Select(s => s.Variable).Append(jaxpr.Equations[loop.Equations[^1]].Variable).Select(nameOf));
        if (compiled.IsCopy)
        {
            sb.Append($"{heading}copy over [{string.Join(",", loop.Domain)}] reading [{string.Join(",", loop.Leaves[0].Strides)}], register-transposed blocks: {computes} -> {stores}\n\n");
            return;
        }
        sb.Append($"{heading}{kind} over [{string.Join(",", loop.Domain)}], {lanes}, {cores}: {computes} -> {stores}\n");
        sb.Append(LoopPrinter.Print(compiled.Lambda)).Append('\n');
    }

    /// <summary>The compiled form of each closed program the equation holds (a branch, a loop body), indented: what its kernel runs.</summary>
    private static void AppendNested(StringBuilder sb, PrimitiveExpression app)
    {
        var k = 0;
        foreach (var nested in SubPrograms.Of(app.Params))
        {
            if (nested.Captures.Count != 0) continue;
            sb.Append($"  {app.Primitive.Name} program {k++}, compiled:\n    ")
              .Append(Print(ProgramCache.Get(nested)).TrimEnd().Replace("\n", "\n    ")).Append("\n\n");
        }
    }
}
