namespace JaxSharp;

/// <summary>
/// One item of a numpy-style index, <c>x[...]</c>: an int (negative counts from the end), a
/// slice (<c>1..^1</c> or <see cref="Slice"/> with a step), <see cref="All"/>,
/// <see cref="NewAxis"/>, <see cref="Ellipsis"/>, or an int32 tensor (integer array
/// indexing). Ints, <see cref="System.Index"/>, <see cref="System.Range"/> and tensors
/// convert implicitly, so <c>x[1, 2..5]</c> and <c>x[Ix.All, 0]</c> read as in numpy.
/// </summary>
public sealed class Ix
{
    internal enum Kind { Int, Slice, NewAxis, Ellipsis, Array }

    private Ix(Kind kind) => ItemKind = kind;

    internal Kind ItemKind { get; }
    internal Bound IntIndex { get; private init; }
    internal Bound? Start { get; private init; }
    internal Bound? Stop { get; private init; }
    internal int Step { get; private init; } = 1;
    internal Tensor? Indices { get; private init; }

    /// <summary>A position along an axis: from the start, or (when <see cref="FromEnd"/>) that many from the end.</summary>
    internal readonly record struct Bound(int Value, bool FromEnd)
    {
        /// <summary>The position along an axis of size n: Python's negative ints and C#'s <c>^i</c> count from the end.</summary>
        public int Resolve(int n) => FromEnd ? n - Value : Value < 0 ? n + Value : Value;
        public static Bound Of(int i) => new(i, false);
        public static Bound Of(Index i) => new(i.Value, i.IsFromEnd);
        public override string ToString() => FromEnd ? $"^{Value}" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The whole axis, numpy's <c>:</c>.</summary>
    public static readonly Ix All = new(Kind.Slice);

    /// <summary>A new axis of size 1, numpy's <c>None</c> / <c>np.newaxis</c>.</summary>
    public static readonly Ix NewAxis = new(Kind.NewAxis);

    /// <summary>As many whole axes as needed, numpy's <c>...</c>.</summary>
    public static readonly Ix Ellipsis = new(Kind.Ellipsis);

    /// <summary>
    /// numpy's <c>start:stop:step</c>: null ends mean the start and end in the step's
    /// direction; negative ints count from the end; a negative step walks backwards.
    /// </summary>
    /// <example><c>x[Ix.Slice(null, null, -1)]</c> is <c>x[::-1]</c>.</example>
    /// <exception cref="ArgumentException"><paramref name="step"/> is 0.</exception>
    public static Ix Slice(int? start, int? stop, int step = 1) => step == 0
        ? throw new ArgumentException("index: slice step cannot be zero; use a positive step, or a negative one to go backwards")
        : new(Kind.Slice) { Start = start is { } s ? Bound.Of(s) : null, Stop = stop is { } e ? Bound.Of(e) : null, Step = step };

    /// <summary>A single position; negative counts from the end.</summary>
    public static implicit operator Ix(int index) => new(Kind.Int) { IntIndex = Bound.Of(index) };

    /// <summary>A single position; <c>^1</c> is the last.</summary>
    public static implicit operator Ix(Index index) => new(Kind.Int) { IntIndex = Bound.Of(index) };

    /// <summary>A slice with step 1: <c>1..^1</c> is numpy's <c>1:-1</c>.</summary>
    public static implicit operator Ix(Range range) => new(Kind.Slice) { Start = Bound.Of(range.Start), Stop = Bound.Of(range.End) };

    /// <summary>
    /// Integer array indexing: picks the positions the integer tensor holds; a bool tensor of
    /// concrete values (outside jit) is a mask that picks the positions where it is true.
    /// </summary>
    public static implicit operator Ix(Tensor indices) => new(Kind.Array) { Indices = indices ?? throw new ArgumentNullException(nameof(indices)) };

    /// <summary>numpy's notation: <c>1</c>, <c>1:-1:2</c>, <c>:</c>, <c>None</c>, <c>...</c>, or the array's shape.</summary>
    public override string ToString() => ItemKind switch
    {
        Kind.Int => IntIndex.ToString(),
        Kind.Slice => $"{Start}:{Stop}" + (Step == 1 ? "" : $":{Step}"),
        Kind.NewAxis => "None",
        Kind.Ellipsis => "...",
        _ => $"{Indices!.DType.Name()}{Indices.Shape}",
    };
}
