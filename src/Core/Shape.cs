using System.Collections;

namespace JaxSharp;

/// <summary>
/// The dimensions of a tensor: an immutable list of non-negative sizes, compared by value.
/// Prints as a Python tuple, e.g. <c>(2, 3)</c> or <c>(3,)</c>, as JAX's error messages do.
/// </summary>
public sealed class Shape : IReadOnlyList<int>, IEquatable<Shape>
{
    private readonly int[] _dims;

    /// <summary>The shape of a scalar: no dimensions.</summary>
    public static readonly Shape Scalar = new();

    /// <summary>
    /// Creates a shape from its dimensions, e.g. <c>new Shape(2, 3)</c>. A shape may describe
    /// more elements than a tensor holds (an abstract value); the ops that make tensors refuse it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="dims"/> is null.</exception>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    public Shape(params int[] dims)
    {
        Arg.NotNull(dims, "Shape", nameof(dims));
        foreach (var d in dims)
            if (d < 0) throw new ArgumentException($"shape: dimension {d} in ({string.Join(", ", dims)}) is negative; sizes must be >= 0");
        _dims = (int[])dims.Clone();
        ElementCount = CountElements(_dims);
    }

    /// <summary>Creates a shape from a sequence of dimensions.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="dims"/> is null.</exception>
    public Shape(IEnumerable<int> dims) : this(Arg.NotNull(dims, "Shape", nameof(dims)).ToArray()) { }

    /// <summary>The number of dimensions (0 for a scalar).</summary>
    public int Rank => _dims.Length;

    /// <summary>The number of elements: the product of the dimensions (1 for a scalar).</summary>
    /// <exception cref="OverflowException">The product exceeds what a tensor can hold (<see cref="Array.MaxLength"/>).</exception>
    public int Size => ElementCount <= TensorLimits.MaxElements
        ? (int)ElementCount
        : throw new OverflowException(TensorLimits.TooLarge("Shape.Size", this).Message);

    /// <summary>The product of the dimensions in 64 bits, <see cref="long.MaxValue"/> when even that overflows.</summary>
    internal long ElementCount { get; }

    private static long CountElements(int[] dims)
    {
        // loops, not span or LINQ helpers over int, whose instantiations the first jit of a process compiles
        foreach (var d in dims)
            if (d == 0) return 0;
        long n = 1;
        foreach (var d in dims)
            n = n > long.MaxValue / d ? long.MaxValue : n * d;
        return n;
    }

    /// <summary>The size of dimension <paramref name="axis"/>.</summary>
    public int this[int axis] => _dims[axis];

    /// <inheritdoc/>
    public int Count => _dims.Length;

    /// <summary>The dimensions as a fresh array.</summary>
    public int[] ToArray() => (int[])_dims.Clone();

    /// <summary>The dimensions, read-only, without a copy.</summary>
    internal ReadOnlySpan<int> Dims => _dims;

    /// <summary>Row-major strides in elements: the last axis has stride 1.</summary>
    public int[] Strides()
    {
        var strides = new int[_dims.Length];
        var s = 1;
        for (var i = _dims.Length - 1; i >= 0; i--) { strides[i] = s; s *= _dims[i]; }
        return strides;
    }

    /// <summary>
    /// Normalises a possibly negative axis (numpy style: -1 is the last) against this rank.
    /// </summary>
    /// <param name="axis">The axis, in [-rank, rank).</param>
    /// <param name="op">The operation, named in the error message.</param>
    /// <exception cref="ArgumentException">The axis is out of range.</exception>
    public int NormalizeAxis(int axis, string op) => NormalizeAxis(axis, Rank, op);

    /// <summary>Normalises a possibly negative axis against a rank; see <see cref="NormalizeAxis(int, string)"/>.</summary>
    public static int NormalizeAxis(int axis, int rank, string op)
    {
        Arg.NotNull(op, "Shape.NormalizeAxis", nameof(op));
        if (axis < -rank || axis >= rank)
            throw new ArgumentException($"{op}: axis {axis} is out of range for an array of rank {rank}; use an axis in [{-rank}, {rank})");
        return axis < 0 ? axis + rank : axis;
    }

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(Shape? other)
    {
        if (other is null || other._dims.Length != _dims.Length) return false;
        for (var i = 0; i < _dims.Length; i++)
            if (_dims[i] != other._dims[i]) return false;
        return true;
    }
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);
    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Value equality of shapes.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    /// <summary>Value inequality of shapes.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Converts an array of dimensions to a shape.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <summary>Python tuple form: <c>()</c>, <c>(3,)</c>, <c>(2, 3)</c>.</summary>
    public override string ToString() => Ints.Format(_dims);
}
