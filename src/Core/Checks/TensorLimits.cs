using System.Globalization;
using System.Numerics;

namespace JaxSharp;

/// <summary>
/// The largest tensor .NET can hold: a buffer is one array, so a shape's size must not pass
/// <see cref="Array.MaxLength"/>. Shapes are checked where they are made or inferred (creation,
/// broadcasting, reshape, every primitive's shape rule), so an oversized shape is an error
/// naming the op there, never a wrapped-around size later.
/// </summary>
internal static class TensorLimits
{
    /// <summary>The most elements a tensor holds: <see cref="Array.MaxLength"/>.</summary>
    public static int MaxElements => Array.MaxLength;

    /// <summary><paramref name="shape"/>, when a tensor of that shape can exist.</summary>
    /// <exception cref="ArgumentException">Its size exceeds <see cref="MaxElements"/>.</exception>
    public static Shape Check(string op, Shape shape) =>
        shape.ElementCount <= MaxElements ? shape : throw TooLarge(op, shape);

    /// <summary>The error for a shape with more elements than a tensor holds.</summary>
    public static ArgumentException TooLarge(string op, Shape shape) => new(
        $"{op}: shape {shape} has {Exact(shape.Select(d => (long)d))} elements, more than a tensor can hold " +
        $"({MaxElements}, .NET's Array.MaxLength); use smaller sizes, or split the work into pieces");

    /// <summary>
    /// The shape of <paramref name="dims"/> computed in 64 bits (a size that a rule adds or
    /// multiplies up), when each fits an int and their product fits a tensor.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension or the size is too large.</exception>
    public static Shape Shape(string op, IReadOnlyList<long> dims)
    {
        if (dims.Any(d => d > int.MaxValue))
            throw new ArgumentException(
                $"{op}: the result would have shape {Ints.Format(dims)}, with {Exact(dims)} elements, more than a tensor can hold " +
                $"({MaxElements}, .NET's Array.MaxLength); use smaller sizes, or split the work into pieces");
        return Check(op, new Shape(dims.Select(d => (int)d)));
    }

    private static string Exact(IEnumerable<long> dims) =>
        dims.Aggregate(BigInteger.One, (n, d) => n * d).ToString(CultureInfo.InvariantCulture);
}
