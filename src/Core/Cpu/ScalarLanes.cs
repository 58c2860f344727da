using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace JaxSharp.Cpu;

/// <summary>
/// Applies a scalar function to every lane of a float or double vector: the slow path of vector
/// functions whose fast form does not hold for some inputs (sin and cos of huge arguments).
/// </summary>
public static class ScalarLanes
{
    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector512<float> Map(Vector512<float> v, Func<float, float> f) => Lanes(v, f);

    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector256<float> Map(Vector256<float> v, Func<float, float> f) => Lanes(v, f);

    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector128<float> Map(Vector128<float> v, Func<float, float> f) => Lanes(v, f);

    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector512<double> Map(Vector512<double> v, Func<double, double> f) => Lanes(v, f);

    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector256<double> Map(Vector256<double> v, Func<double, double> f) => Lanes(v, f);

    /// <summary><paramref name="f"/> of each lane of <paramref name="v"/>.</summary>
    public static Vector128<double> Map(Vector128<double> v, Func<double, double> f) => Lanes(v, f);

    /// <summary>The vector (a copy) with <paramref name="f"/> applied to each of its <typeparamref name="TLane"/> lanes in place.</summary>
    private static TVector Lanes<TVector, TLane>(TVector v, Func<TLane, TLane> f) where TVector : struct where TLane : struct
    {
        foreach (ref var lane in MemoryMarshal.Cast<TVector, TLane>(MemoryMarshal.CreateSpan(ref v, 1))) lane = f(lane);
        return v;
    }
}
