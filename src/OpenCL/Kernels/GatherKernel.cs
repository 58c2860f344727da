using System.Globalization;
using System.Text;
using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Indexing;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernel of <c>gather</c>, XLA's, with batching axes, in both of JAX's modes: one
/// work item per output element splits its index into the batch position (the output axes that
/// are not offset axes) and the window position (the offset axes), finds the window's start
/// (<see cref="WindowStarts"/>: clamped in clip mode) and reads the operand there; in
/// fill-or-drop mode a window that leaves the operand reads the fill value (JAX's default: NaN,
/// the lowest int32, the largest uint32, true). Data movement only: bit for bit the CPU's.
/// </summary>
internal static class GatherKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "gather";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a gather.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var p = (GatherParams)app.Params;
        var dn = p.DimensionNumbers;
        var (operand, indices) = (facts.AvalOf(app.Arguments[0]).Shape, facts.AvalOf(app.Arguments[1]).Shape);
        var output = app.Avals[0];
        var windowDims = Enumerable.Range(0, operand.Rank).Where(d => !dn.CollapsedSliceDims.Contains(d) && !dn.OperandBatching.Contains(d)).ToArray();
        var starts = new WindowStarts(operand, indices, p.SliceSizes, dn.StartIndexMap, dn.OperandBatching, dn.IndicesBatching, p.Mode == GatherScatterMode.Clip);
        var batchAxes = Enumerable.Range(0, output.Rank).Where(d => !dn.OffsetDims.Contains(d)).ToArray();
        var body = new StringBuilder(IndexCode.Decompose("gid", output.Shape));
        body.Append($"    const long g = {IndexCode.Flat(starts.Batch, j => $"i{batchAxes[j]}")};\n");
        body.Append(starts.Code("g", "    "));
        string Coordinate(int d)
        {
            var w = Array.IndexOf(windowDims, d);
            return w < 0 ? $"s{d}" : $"s{d} + i{dn.OffsetDims[w]}";
        }
        body.Append($"    out0[gid] = ok ? in0[{IndexCode.Flat(operand, Coordinate)}] : {Fill(output.DType, p.FillValue)};\n");
        return IndexCode.PerElement(facts, equation, Name, body.ToString());
    }

    /// <summary>The fill value as a C literal, as the CPU's (a given value converted to the dtype, else JAX's default).</summary>
    private static string Fill(DType dtype, double? value) => dtype switch
    {
        DType.Bool => value is { } b && b == 0 ? "0" : "1",
        DType.Float32 => OpenCLPrinter.Literal(value is { } f ? (float)f : float.NaN),
        DType.Float64 => OpenCLPrinter.Literal(value ?? double.NaN),
        DType.Int32 => OpenCLPrinter.Literal(value is { } i ? (int)Convert.ChangeType(i, typeof(int), CultureInfo.InvariantCulture) : int.MinValue),
        DType.UInt32 => OpenCLPrinter.Literal(value is { } u ? (uint)Convert.ChangeType(u, typeof(uint), CultureInfo.InvariantCulture) : uint.MaxValue),
        _ => throw new NotSupportedException($"gather: no OpenCL fill value for {dtype}"),
    };
}
