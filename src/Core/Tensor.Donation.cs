namespace JaxSharp;

public sealed partial class Tensor
{
    private (Donation Donation, int Input)? _donatedAs;

    /// <summary>Whether this tensor was donated to a jitted call, and so has no values.</summary>
    internal bool IsDonated => _donatedAs is not null;

    /// <summary>The argument this tensor was donated as (<c>argument 0 (leaf .L1.W)</c>), or null while it holds its values.</summary>
    internal string? DonatedTo => _donatedAs is { } d ? d.Donation.Describe(d.Input) : null;

    /// <summary>
    /// Whether another tensor or a kernel may hold this tensor's host buffer too (as <c>devicePut</c>
    /// to the CPU, a jitted function returning one value twice or a constant, and the tensors a
    /// kernel hands to a custom rule or a loop body make): such a buffer is never reused for an
    /// output when the tensor is donated, since the other holder still reads it.
    /// </summary>
    internal bool SharesBuffer { get; set; }

    /// <summary>Whether a donating call may write an output into this tensor's buffer: a host buffer that no other tensor holds.</summary>
    internal bool CanLendBuffer => _data is not null && _buffer is null && !SharesBuffer;

    /// <summary>
    /// Consumes this host tensor in a donating call, where it was input <paramref name="input"/> of
    /// <paramref name="donation"/> (its buffer may now hold an output): reading its values
    /// afterwards is an error that names the argument.
    /// </summary>
    internal void MarkDonated(Donation donation, int input)
    {
        _data = null;
        _donatedAs = (donation, input);
    }

    /// <summary>The error for reading a tensor after it was donated.</summary>
    private InvalidOperationException DonatedError(string why) => new(
        $"This tensor ({Aval}) was donated to a jitted function as its {DonatedTo}, so its buffer may now hold that call's output and it has no values, but {why}. " +
        "Use the jitted function's output in its place (`p <- step p`), or do not donate this argument " +
        "(leave its index out of jitDonate's list, or out of Jax.Jit's donate array).");

    /// <summary>A host tensor with a copy of this one's buffer; any other tensor (traced, on a device) as it is.</summary>
    internal Tensor CopyOfHostBuffer() => IsDonated ? throw NoValue("np.copy was applied to it")
        : _data is not null && _buffer is null ? new Tensor((Array)_data.Clone(), Aval, IsCommitted) : this;

    /// <summary>A new tensor that takes over this host tensor's buffer, for an output of a donating call that is the donated input itself.</summary>
    internal Tensor TakeOverBuffer() => new(Data, Aval, IsCommitted) { SharesBuffer = SharesBuffer };
}
