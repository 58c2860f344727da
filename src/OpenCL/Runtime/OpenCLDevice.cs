using System.Linq.Expressions;
using System.Runtime.InteropServices;
using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.OpenCL.Kernels;
using JaxSharp.Primitives;
using JaxSharp.Transforms;
using Silk.NET.OpenCL;

namespace JaxSharp.OpenCL.Runtime;

/// <summary>
/// One OpenCL device: its context and in-order queue (created on first use), its pooled memory,
/// its compiled kernels, and the cached one-equation programs of eager calls. Work is queued
/// asynchronously; reading values back waits for it, as does <see cref="Synchronize"/>.
/// </summary>
internal sealed unsafe class OpenCLDevice : Device
{
    private readonly nint _id;
    private readonly Lazy<(nint Context, nint Queue)> _context;
    private readonly Lazy<DeviceMemory> _memory;
    private readonly Lazy<KernelCache> _kernels;
    private readonly BoundedCache<(Primitive, PrimitiveParams, string), OpenCLProgram> _eager = new(CacheLimits.DefaultEagerKernels);
    private readonly Lock _launch = new();

    public OpenCLDevice(string platformName, nint id)
    {
        _id = id;
        PlatformName = platformName;
        Name = ClApi.DeviceString(id, DeviceInfo.Name);
        var type = ClApi.DeviceValue<ulong>(id, DeviceInfo.Type);
        Kind = (type & (ulong)DeviceType.Gpu) != 0 ? DeviceKind.Gpu : (type & (ulong)DeviceType.Cpu) != 0 ? DeviceKind.Cpu : DeviceKind.Accelerator;
        MemoryBytes = (long)ClApi.DeviceValue<ulong>(id, DeviceInfo.GlobalMemSize);
        HasFloat64 = ClApi.DeviceString(id, DeviceInfo.Extensions).Split(' ').Contains("cl_khr_fp64");
        // CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT (1 << 7) of CL_DEVICE_SINGLE_FP_CONFIG
        CorrectlyRoundedDivide = (ClApi.DeviceValue<ulong>(id, DeviceInfo.SingleFPConfig) & (1UL << 7)) != 0;
        (_maxWorkGroupSize, _localMemoryBytes, _computeUnits) = ((int)Math.Min(ClApi.DeviceValue<nuint>(id, DeviceInfo.MaxWorkGroupSize), int.MaxValue),
            (long)ClApi.DeviceValue<ulong>(id, DeviceInfo.LocalMemSize), (int)ClApi.DeviceValue<uint>(id, DeviceInfo.MaxComputeUnits));
        _context = new(CreateContext);
        _memory = new(() => new DeviceMemory(_context.Value.Context));
        _kernels = new(() => NewKernelCache(BinaryCache.DefaultDirectory()));
    }

    /// <inheritdoc/>
    public override string Platform => "opencl";

    /// <summary>The OpenCL platform's name (Portable Computing Language, NVIDIA CUDA...).</summary>
    public string PlatformName { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override DeviceKind Kind { get; }

    /// <inheritdoc/>
    public override long MemoryBytes { get; }

    /// <summary>Whether the device has <c>cl_khr_fp64</c>, which float64 needs.</summary>
    public bool HasFloat64 { get; }

    /// <summary>Whether float32 division and sqrt can be correctly rounded (as on the CPU).</summary>
    public bool CorrectlyRoundedDivide { get; }

    private readonly int _maxWorkGroupSize, _computeUnits;
    private readonly long _localMemoryBytes;

    /// <summary>The work-group and local-memory limits that kernels are shaped by (named as the device is once listed).</summary>
    public DeviceLimits Limits => new(ToString(), Kind, _maxWorkGroupSize, _localMemoryBytes, _computeUnits);

    /// <summary>The tiling of dot_general's kernel chosen for this device's class (<see cref="DotTiling.For"/>).</summary>
    public DotTiling DotTiling => DotTiling.For(Limits);

    /// <summary>The device's pooled memory.</summary>
    public DeviceMemory Memory => _memory.Value;

    /// <summary>The compiled kernels, by source.</summary>
    public KernelCache Kernels => _kernels.Value;

    private nint Queue => _context.Value.Queue;

    /// <summary>
    /// An empty kernel cache on this device that keeps binaries in <paramref name="directory"/>
    /// (none: nothing on disk). The device's own (<see cref="Kernels"/>) uses <see cref="BinaryCache.DefaultDirectory"/>.
    /// </summary>
    public KernelCache NewKernelCache(string? directory)
    {
        var disk = directory is null ? null
            : new BinaryCache(directory, $"{PlatformName}\0{Name}\0{ClApi.DeviceString(_id, DeviceInfo.DriverVersion)}\0{ClApi.DeviceString(_id, DeviceInfo.Version)}");
        return new KernelCache(this, _context.Value.Context, _id, disk);
    }

    private (nint, nint) CreateContext()
    {
        int code;
        var id = _id;
        var context = ClApi.Api.CreateContext(null, 1, &id, null, null, &code);
        ClApi.Check(code, $"clCreateContext on {this}");
        var queue = ClApi.Api.CreateCommandQueue(context, id, (CommandQueueProperties)0, &code);
        ClApi.Check(code, $"clCreateCommandQueue on {this}");
        return (context, queue);
    }

    /// <inheritdoc/>
    internal override DeviceBuffer Upload(Array values, AbstractValue aval)
    {
        var bytes = (long)aval.Shape.Size * aval.DType.ByteSize();
        var buffer = new ClBuffer(this, bytes);
        if (bytes == 0) return buffer;
        var pin = GCHandle.Alloc(values, GCHandleType.Pinned);
        try
        {
            ClApi.Check(ClApi.Api.EnqueueWriteBuffer(Queue, buffer.Memory, true, 0, (nuint)bytes, (void*)pin.AddrOfPinnedObject(), 0, null, null), $"clEnqueueWriteBuffer on {this}");
        }
        finally
        {
            pin.Free();
        }
        return buffer;
    }

    /// <summary>Copies <paramref name="buffer"/>'s elements back to a fresh host array, once the work queued before is done.</summary>
    public Array Download(ClBuffer buffer, AbstractValue aval)
    {
        var values = TensorAllocation.Uninitialized(aval.DType, aval.Shape.Size);
        var bytes = (long)aval.Shape.Size * aval.DType.ByteSize();
        if (bytes == 0) return values;
        var pin = GCHandle.Alloc(values, GCHandleType.Pinned);
        try
        {
            ClApi.Check(ClApi.Api.EnqueueReadBuffer(Queue, buffer.Memory, true, 0, (nuint)bytes, (void*)pin.AddrOfPinnedObject(), 0, null, null), $"clEnqueueReadBuffer on {this}");
        }
        finally
        {
            pin.Free();
        }
        return values;
    }

    /// <summary>
    /// Queues a device-side copy of <paramref name="bytes"/> bytes from <paramref name="source"/> at
    /// <paramref name="sourceOffset"/> into <paramref name="destination"/> at <paramref name="destinationOffset"/>
    /// (no host round trip: control flow slices and stacks its sequences with it).
    /// </summary>
    public void Copy(ClBuffer source, long sourceOffset, ClBuffer destination, long destinationOffset, long bytes)
    {
        if (bytes == 0) return;
        ClApi.Check(ClApi.Api.EnqueueCopyBuffer(Queue, source.Memory, destination.Memory, (nuint)sourceOffset, (nuint)destinationOffset, (nuint)bytes, 0, null, null),
            $"clEnqueueCopyBuffer of {bytes:N0} bytes on {this}");
    }

    /// <summary>A fresh buffer holding a copy of <paramref name="source"/>'s <paramref name="aval"/> elements (queued on the device).</summary>
    public ClBuffer Duplicate(ClBuffer source, AbstractValue aval)
    {
        var bytes = (long)aval.Shape.Size * aval.DType.ByteSize();
        var copy = new ClBuffer(this, bytes);
        Copy(source, 0, copy, 0, bytes);
        return copy;
    }

    /// <summary>
    /// Queues <paramref name="kernel"/> over <paramref name="workItems"/> work items with <paramref name="args"/> as its buffers:
    /// one-dimensional with the work-group size left to the device, or over <paramref name="range"/> when given.
    /// </summary>
    public void Launch(CompiledKernel kernel, IReadOnlyList<ClBuffer> args, long workItems, LaunchRange? range = null)
    {
        if (workItems == 0) return;
        lock (_launch)
        {
            for (var i = 0; i < args.Count; i++)
            {
                var memory = args[i].Memory;
                ClApi.Check(ClApi.Api.SetKernelArg(kernel.Handle, (uint)i, (nuint)sizeof(nint), &memory), $"clSetKernelArg {i} of {kernel.Name}");
            }
            if (range is null)
            {
                var global = (nuint)workItems;
                ClApi.Check(ClApi.Api.EnqueueNdrangeKernel(Queue, kernel.Handle, 1, null, &global, null, 0, null, null), $"clEnqueueNDRangeKernel of {kernel.Name} on {this}");
                return;
            }
            var dimensions = range.Global.Length;
            var sizes = stackalloc nuint[2 * dimensions];
            for (var d = 0; d < dimensions; d++) (sizes[d], sizes[dimensions + d]) = ((nuint)range.Global[d], (nuint)range.Local[d]);
            ClApi.Check(ClApi.Api.EnqueueNdrangeKernel(Queue, kernel.Handle, (uint)dimensions, null, sizes, sizes + dimensions, 0, null, null), $"clEnqueueNDRangeKernel of {kernel.Name} on {this}");
        }
    }

    /// <inheritdoc/>
    internal override Tensor[] Execute(Primitive primitive, PrimitiveParams parameters, Tensor[] args, bool committed)
    {
        var inputs = new AbstractValue[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].IsShapeOnly) throw args[i].NoValue($"{primitive.Name} was applied to it (argument {i})");
            inputs[i] = args[i].Aval;
        }
        var program = primitive.CachesKernels
            ? _eager.GetOrAdd((primitive, parameters, string.Join(";", inputs.Select(a => a.Weak ? a + "~" : a.ToString()))), _ => Eager(primitive, parameters, inputs))
            : Eager(primitive, parameters, inputs);
        return program.Run(args, committed);
    }

    /// <summary>The one-equation program of an eager call.</summary>
    private OpenCLProgram Eager(Primitive primitive, PrimitiveParams parameters, IReadOnlyList<AbstractValue> inputs)
    {
        var args = inputs.Select((_, i) => Expression.Parameter(typeof(Tensor), $"in{i}")).ToArray();
        var app = PrimitiveExpression.Create(primitive, args, inputs, parameters);
        var outputs = app.Avals.Select((_, i) => Expression.Variable(typeof(Tensor), $"out{i}")).ToArray();
        var body = Expression.Block(typeof(Tensor[]), outputs, new Equation(outputs, app).ToStatement(), Expression.NewArrayInit(typeof(Tensor), outputs));
        return new OpenCLProgram(this, new Jaxpr(Expression.Lambda(body, args), inputs, []));
    }

    /// <inheritdoc/>
    internal override DeviceProgram Compile(Jaxpr jaxpr) => new OpenCLProgram(this, Simplifier.Simplify(jaxpr));

    /// <inheritdoc/>
    internal override void Synchronize()
    {
        if (_context.IsValueCreated) ClApi.Check(ClApi.Api.Finish(Queue), $"clFinish on {this}");
    }

    /// <inheritdoc/>
    public override string ToString() => $"opencl:{Id} ({PlatformName}: {Name})";
}
