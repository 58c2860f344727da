namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The hand-written kernels of the OpenCL backend, by primitive: what cannot be described per
/// element. dot_general (<see cref="DotGeneralKernel"/>), the Threefry random bits and key
/// splits (<see cref="ThreefryKernel"/>), the index maps that are not views, gather and scatter,
/// cumulative ops, sort, the window primitives and convolution (<see cref="IndexCode"/> and the kernels that use it) and the
/// decompositions (<see cref="DecompositionCode"/>) are written; a primitive added without its kernel is a named error
/// rather than a silent run on the CPU.
/// </summary>
internal static class HandKernels
{
    /// <summary>The error for a primitive with no OpenCL kernel: names the primitive, the device, and what to do.</summary>
    public static NotSupportedException Missing(string primitive, Device device) =>
        new($"{primitive}: no OpenCL kernel on {device} yet (it is not elementwise, a reduction or a view, and its hand-written kernel is still to come). " +
            "Run this call on the CPU: Jax.DevicePut(x, Jax.Devices(\"cpu\")[0]) (F#: devicePut) on its arguments.");
}
