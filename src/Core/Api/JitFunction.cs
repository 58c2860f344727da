using System.Runtime.CompilerServices;
using JaxSharp.Cpu;
using JaxSharp.IR;

namespace JaxSharp;

/// <summary>
/// A function compiled by <c>jit</c>: traced once per signature (input shapes, dtypes, weak
/// flags, the static argument compared by value, and the <see cref="TraceSettings"/> in force),
/// its program simplified, fused and compiled for the device its arguments are on, and cached
/// per device. A later call with a known signature
/// finds its program without tracing or allocating. Called on values of a transformation (or
/// inside another trace, or closing over values of one), it inlines its program there, so
/// <c>grad (jit f)</c> and <c>jit (grad f)</c> compose.
/// <para>
/// Its entries hold their compiled programs, so the programs live as long as the function (the
/// shared <see cref="ProgramCache"/> only holds them weakly). Callers that meet an unknown
/// signature at the same time wait for one trace of it instead of tracing it each.
/// </para>
/// </summary>
internal sealed class JitFunction
{
    /// <summary>What a call is traced for: input avals, the static argument's key, the settings.</summary>
    private sealed record Signature(AbstractValue[] Avals, object? StaticKey, TraceSettings Settings)
    {
        public bool Matches(Tensor[] args, object? staticKey, TraceSettings settings)
        {
            if (Avals.Length != args.Length || Settings != settings || !Equals(StaticKey, staticKey)) return false;
            for (var i = 0; i < args.Length; i++)
                if (Avals[i] != args[i].Aval) return false;
            return true;
        }
    }

    /// <summary>A traced signature: its program, and what the trace returned besides tensors (e.g. an output tree's structure).</summary>
    /// <remarks>The CPU program is compiled on first use; a program for another device is compiled on its first call there, and kept beside it (the device is part of the key).</remarks>
    private sealed record Entry(Signature Signature, Jaxpr Jaxpr, object? OutputInfo, Lazy<CpuProgram> Program)
    {
        private (Device Device, DeviceProgram Program)[] _onDevices = [];

        /// <summary>Which output takes which donated input's buffer (<see cref="CpuProgram.PlanDonation"/>), planned on the first donating call: the donated inputs follow from the signature.</summary>
        public int[] DonationPlan(Donation donation) => _donationPlan ??= Program.Value.PlanDonation(donation.Inputs);

        private int[]? _donationPlan;

        /// <summary>The program compiled for <paramref name="device"/> (not the CPU, whose program is <see cref="Program"/>).</summary>
        public DeviceProgram On(Device device)
        {
            foreach (var (known, program) in Volatile.Read(ref _onDevices))
                if (known == device) return program;
            lock (this)
            {
                foreach (var (known, program) in _onDevices)
                    if (known == device) return program;
                var compiled = device.Compile(Jaxpr);
                Volatile.Write(ref _onDevices, [.. _onDevices, (device, compiled)]);
                return compiled;
            }
        }
    }

    /// <summary>A trace in progress, which other callers with its signature wait for.</summary>
    private sealed class PendingTrace(Signature signature)
    {
        public Signature Signature { get; } = signature;

        /// <summary>The managed thread that traces.</summary>
        public int Thread { get; } = Environment.CurrentManagedThreadId;

        /// <summary>The traced entry, or null when the trace threw.</summary>
        public TaskCompletionSource<Entry?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Every live jitted function, for <see cref="DropAllPrograms"/>; weak, so it keeps none alive.</summary>
    private static readonly ConditionalWeakTable<JitFunction, object?> s_live = new();

    private readonly Func<Tensor[], object?, (Tensor[] Outputs, object? OutputInfo)> _function;
    private readonly Lock _lock = new();
    private Entry[] _entries = [];
    private readonly List<PendingTrace> _pending = [];

    /// <summary>
    /// A function of the inputs and the static argument (null when it has none) that returns the
    /// output tensors and what else the caller needs to make sense of them, kept per signature.
    /// </summary>
    public JitFunction(Func<Tensor[], object?, (Tensor[] Outputs, object? OutputInfo)> function)
    {
        _function = function;
        s_live.Add(this, null);
    }

    /// <summary>A function with a static argument.</summary>
    public JitFunction(Func<Tensor[], object?, Tensor[]> function) : this((args, s) => (function(args, s), null)) { }

    /// <summary>A function without static arguments.</summary>
    public JitFunction(Func<Tensor[], Tensor[]> function) : this((args, _) => (function(args), null)) { }

    /// <summary>The number of jitted functions still alive.</summary>
    public static int LiveCount => s_live.Count();

    /// <summary>Makes every live jitted function forget its traces and programs; each traces and compiles again on its next call.</summary>
    public static void DropAllPrograms()
    {
        foreach (var (function, _) in s_live)
            lock (function._lock) Volatile.Write(ref function._entries, []);
    }

    /// <summary>Runs the compiled program for <paramref name="args"/> and <paramref name="staticArg"/>, tracing first if the signature is new.</summary>
    public Tensor[] Call(Tensor[] args, object? staticArg = null, Donation? donation = null) => CallWithInfo(args, staticArg, donation).Outputs;

    /// <summary>
    /// As <see cref="Call"/>, with the output information the trace of this signature returned.
    /// With a <paramref name="donation"/>, the donated arguments are consumed (JAX's
    /// <c>donate_argnums</c>): on the CPU outputs are written into their buffers where
    /// <see cref="CpuProgram.PlanDonation"/> allows, and reading them afterwards is an error.
    /// Inside a trace, donation does nothing (the program is inlined into the enclosing one).
    /// </summary>
    public (Tensor[] Outputs, object? OutputInfo) CallWithInfo(Tensor[] args, object? staticArg, Donation? donation = null)
    {
        var staticKey = StaticKey.Of(staticArg, "jit", "the static argument");
        var settings = TraceSettings.Current;
        var entry = Find(Volatile.Read(ref _entries), args, staticKey, settings) ?? Compile(args, staticArg, staticKey, settings);
        if (entry.Jaxpr.CapturedValues.Count > 0 || IR.Trace.Find(args) is not null) return (entry.Jaxpr.Evaluate(args), entry.OutputInfo);
        var (device, committed) = Placement.Of(args, "jit");
        var outputs = !device.IsHost ? entry.On(device).Run(args, committed)
            : donation is null ? entry.Program.Value.Run(args)
            : RunDonating(entry, args, donation);
        return (outputs, entry.OutputInfo);
    }

    /// <summary>
    /// Runs the CPU program writing outputs into donated buffers, as the entry's plan says, then
    /// consumes the donated arguments. A donated buffer that another tensor also holds is not
    /// written; an output that is a donated argument itself comes back as a new tensor on its buffer.
    /// </summary>
    private static Tensor[] RunDonating(Entry entry, Tensor[] args, Donation donation)
    {
        donation.CheckPassedOnce(args);
        var plan = entry.DonationPlan(donation);
        Array?[]? given = null;
        for (var k = 0; k < plan.Length; k++)
            if (plan[k] >= 0 && args[plan[k]].CanLendBuffer) (given ??= new Array?[plan.Length])[k] = args[plan[k]].Data;
        var outputs = entry.Program.Value.Run(args, given);
        for (var i = 0; i < args.Length; i++)
        {
            if (!donation.Inputs[i] || args[i].DeviceBuffer is not null) continue;
            Tensor? takenOver = null;
            for (var k = 0; k < outputs.Length; k++)
                if (ReferenceEquals(outputs[k], args[i])) outputs[k] = takenOver ??= args[i].TakeOverBuffer();
            args[i].MarkDonated(donation, i);
        }
        return outputs;
    }

    private static Entry? Find(Entry[] entries, Tensor[] args, object? staticKey, TraceSettings settings)
    {
        foreach (var entry in entries)
            if (entry.Signature.Matches(args, staticKey, settings)) return entry;
        return null;
    }

    /// <summary>
    /// The entry of a new signature: traced by the first caller, while later callers with the
    /// same signature wait for it. A trace that closed over values of an enclosing trace is valid
    /// only in that trace, so it is not cached, and a waiter that gets one (or a failed trace)
    /// traces for itself; so does a caller inside the trace it would wait for (a recursive call).
    /// </summary>
    private Entry Compile(Tensor[] args, object? staticArg, object? staticKey, TraceSettings settings)
    {
        PendingTrace? other, mine = null;
        lock (_lock)
        {
            if (Find(_entries, args, staticKey, settings) is { } known) return known;
            other = _pending.Find(p => p.Signature.Matches(args, staticKey, settings));
            if (other is null) _pending.Add(mine = new PendingTrace(new Signature(args.Select(a => a.Aval).ToArray(), staticKey, settings)));
        }
        if (mine is not null) return TraceAndPublish(mine, args, staticArg);
        if (other!.Thread == Environment.CurrentManagedThreadId) return Trace(other.Signature, args, staticArg);
        var traced = other.Done.Task.GetAwaiter().GetResult();
        return traced is not null && traced.Jaxpr.CapturedValues.Count == 0 ? traced : Trace(other.Signature, args, staticArg);
    }

    /// <summary>Traces the signature of <paramref name="pending"/>, caches the entry (unless it captured values of an enclosing trace) and wakes the waiters.</summary>
    private Entry TraceAndPublish(PendingTrace pending, Tensor[] args, object? staticArg)
    {
        Entry entry;
        try
        {
            entry = Trace(pending.Signature, args, staticArg);
        }
        catch
        {
            lock (_lock) _pending.Remove(pending);
            pending.Done.SetResult(null);
            throw;
        }
        lock (_lock)
        {
            if (entry.Jaxpr.CapturedValues.Count == 0) Volatile.Write(ref _entries, [.. _entries, entry]);
            _pending.Remove(pending);
        }
        pending.Done.SetResult(entry);
        return entry;
    }

    private Entry Trace(Signature signature, Tensor[] args, object? staticArg)
    {
        object? outputInfo = null;
        var jaxpr = Tracing.Trace(a =>
        {
            var (outputs, info) = _function(a, staticArg);
            outputInfo = info;
            return outputs;
        }, signature.Avals);
        return new Entry(signature, jaxpr, outputInfo, new Lazy<CpuProgram>(() => ProgramCache.Get(jaxpr)));
    }
}
