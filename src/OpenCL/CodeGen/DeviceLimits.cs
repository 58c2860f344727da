namespace JaxSharp.OpenCL.CodeGen;

/// <summary>
/// What code generation needs to know of a device to shape its kernels: work-group reductions
/// (<see cref="TreeReduction"/>) and dot_general's tiling (<see cref="Kernels.DotTiling"/>)
/// are sized from it.
/// </summary>
/// <param name="Name">The device as printed in messages (<c>opencl:1 (platform: name)</c>).</param>
/// <param name="Kind">CPU, GPU or accelerator (CL_DEVICE_TYPE).</param>
/// <param name="MaxWorkGroupSize">CL_DEVICE_MAX_WORK_GROUP_SIZE.</param>
/// <param name="LocalMemoryBytes">CL_DEVICE_LOCAL_MEM_SIZE.</param>
/// <param name="ComputeUnits">CL_DEVICE_MAX_COMPUTE_UNITS.</param>
internal sealed record DeviceLimits(string Name, DeviceKind Kind, int MaxWorkGroupSize, long LocalMemoryBytes, int ComputeUnits)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
