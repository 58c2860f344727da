using System.Runtime.Intrinsics;

namespace JaxSharp.Cpu;

/// <summary>
/// Applies a scalar function to every lane of a float vector: the slow path of vector
/// functions whose fast form does not hold for some inputs (sin and cos of huge arguments).
/// </summary>
public static class ScalarLanes
{
    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector512<float> Map(Vector512<float> v, Func<float, float> f)
    {
        Span<float> lanes = stackalloc float[Vector512<float>.Count];
        v.CopyTo(lanes);
        foreach (ref var lane in lanes) lane = f(lane);
        return Vector512.Create<float>(lanes);
    }

    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector256<float> Map(Vector256<float> v, Func<float, float> f)
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        v.CopyTo(lanes);
        foreach (ref var lane in lanes) lane = f(lane);
        return Vector256.Create<float>(lanes);
    }

    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector128<float> Map(Vector128<float> v, Func<float, float> f)
    {
        Span<float> lanes = stackalloc float[Vector128<float>.Count];
        v.CopyTo(lanes);
        foreach (ref var lane in lanes) lane = f(lane);
        return Vector128.Create<float>(lanes);
    }
}
