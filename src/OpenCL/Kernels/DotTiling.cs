using JaxSharp.OpenCL.CodeGen;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// How dot_general's kernel (<see cref="DotGeneralKernel"/>) divides a product: a work group of
/// <see cref="ThreadsN"/> x <see cref="ThreadsM"/> work items computes an output tile of
/// <see cref="TileM"/> rows by <see cref="TileN"/> columns, staging <see cref="Depth"/>-deep slices
/// of both operands in local memory; each work item keeps <see cref="RowsPerItem"/> rows by
/// <see cref="VectorsPerItem"/> vectors of <see cref="VectorWidth"/> columns of accumulators in
/// registers. The sets per device class follow CLBlast's tuned Xgemm parameters
/// (src/database/kernels/xgemm/xgemm_32.hpp): <see cref="Gpu"/> its NVIDIA SM6.1 default,
/// <see cref="Cpu"/> its Intel CPU default.
/// </summary>
/// <param name="Name">The set's name, for messages and tests.</param>
/// <param name="ThreadsN">Work items along the output's columns (CLBlast's NDIMC).</param>
/// <param name="ThreadsM">Work items along the output's rows (MDIMC).</param>
/// <param name="RowsPerItem">Output rows per work item (MWG / MDIMC).</param>
/// <param name="VectorsPerItem">Column vectors per work item (NWG / NDIMC / VWN).</param>
/// <param name="VectorWidth">Columns per vector: 1, 2, 4, 8 or 16 (VWN).</param>
/// <param name="Depth">The contracted slice staged per step (KWG).</param>
internal sealed record DotTiling(string Name, int ThreadsN, int ThreadsM, int RowsPerItem, int VectorsPerItem, int VectorWidth, int Depth)
{
    /// <summary>Discrete GPUs: 16 x 8 work items, 64 x 64 tiles, 32-deep slices, each work item 4 rows by 2 float4 (CLBlast: KWG 32, MDIMC 16, NDIMC 8, MWG 64, NWG 64, VWN 4).</summary>
    public static readonly DotTiling Gpu = new("gpu", 8, 16, 4, 2, 4, 32);

    /// <summary>CPUs (PoCL, vendor CPU runtimes): 8 x 8 work items, 32 x 64 tiles, 32-deep slices, each work item 4 rows by 2 float4 (CLBlast's Intel CPU default).</summary>
    public static readonly DotTiling Cpu = new("cpu", 8, 8, 4, 2, 4, 32);

    /// <summary>Any device with work groups of 64 and 2 KiB of local memory: 8 x 8 work items, 16 x 16 tiles, scalar 2 x 2 blocks.</summary>
    public static readonly DotTiling Small = new("small", 8, 8, 2, 2, 1, 8);

    /// <summary>Every set, for the tests that force each.</summary>
    public static readonly DotTiling[] All = [Gpu, Cpu, Small];

    /// <summary>Output rows of a work group's tile.</summary>
    public int TileM => ThreadsM * RowsPerItem;

    /// <summary>Output columns of a work group's tile.</summary>
    public int TileN => ThreadsN * VectorsPerItem * VectorWidth;

    /// <summary>Work items of a work group.</summary>
    public int WorkGroupSize => ThreadsN * ThreadsM;

    /// <summary>Local memory for both staged slices, with 8-byte elements (float64) at most.</summary>
    public long LocalBytes => 8L * Depth * (TileM + TileN);

    /// <summary>The set for a device: by its kind, falling back to <see cref="Small"/> when its work groups or local memory are too small for it.</summary>
    public static DotTiling For(DeviceLimits limits)
    {
        var preferred = limits.Kind == DeviceKind.Gpu ? Gpu : Cpu;
        return preferred.Fits(limits) ? preferred : Small;
    }

    /// <summary>Whether a device can run work groups of this set.</summary>
    public bool Fits(DeviceLimits limits) => WorkGroupSize <= limits.MaxWorkGroupSize && LocalBytes <= limits.LocalMemoryBytes;
}
