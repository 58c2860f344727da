using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>The OpenCL kernel of <c>iota</c>: each element is its index along the dimension, converted to the dtype.</summary>
internal static class IotaKernel
{
    /// <summary>The name of the kernel in its source.</summary>
    public const string Name = "iota";

    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, an iota.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var p = (IotaParams)facts.Application(equation).Params;
        var stride = p.Shape.Strides()[p.Dimension];
        var type = IndexCode.Stored(p.DType);
        return IndexCode.PerElement(facts, equation, Name, $"    out0[gid] = ({type})(gid / {stride}L % {p.Shape[p.Dimension]}L);\n");
    }
}
