namespace JaxSharp;

public sealed partial class Tensor
{
    /// <summary>A weakly typed scalar from a .NET double: it takes the dtype of the tensor it meets.</summary>
    public static implicit operator Tensor(double value) => WeakScalar(value);

    /// <summary>A weakly typed integer scalar from a .NET int.</summary>
    public static implicit operator Tensor(int value) => WeakScalar(value);

    /// <summary>Elementwise sum with broadcasting (<see cref="Np.Add"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Np.Add(a, b);
    /// <summary>Adds a weakly typed scalar.</summary>
    public static Tensor operator +(Tensor a, double b) => Np.Add(a, b);
    /// <summary>Adds to a weakly typed scalar.</summary>
    public static Tensor operator +(double a, Tensor b) => Np.Add(a, b);
    /// <summary>Adds a weakly typed integer scalar.</summary>
    public static Tensor operator +(Tensor a, int b) => Np.Add(a, b);
    /// <summary>Adds to a weakly typed integer scalar.</summary>
    public static Tensor operator +(int a, Tensor b) => Np.Add(a, b);

    /// <summary>Elementwise product with broadcasting (<see cref="Np.Multiply"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Np.Multiply(a, b);
    /// <summary>Multiplies by a weakly typed scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => Np.Multiply(a, b);
    /// <summary>Multiplies a weakly typed scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => Np.Multiply(a, b);
    /// <summary>Multiplies by a weakly typed integer scalar.</summary>
    public static Tensor operator *(Tensor a, int b) => Np.Multiply(a, b);
    /// <summary>Multiplies a weakly typed integer scalar.</summary>
    public static Tensor operator *(int a, Tensor b) => Np.Multiply(a, b);

    /// <summary>Elementwise <c>a &gt; b</c>, giving bool (<see cref="Np.Greater"/>).</summary>
    public static Tensor operator >(Tensor a, Tensor b) => Np.Greater(a, b);
    /// <summary>Elementwise <c>a &lt; b</c>, giving bool.</summary>
    public static Tensor operator <(Tensor a, Tensor b) => Np.Greater(b, a);
    /// <summary>Elementwise comparison with a weakly typed scalar.</summary>
    public static Tensor operator >(Tensor a, double b) => Np.Greater(a, b);
    /// <summary>Elementwise comparison with a weakly typed scalar.</summary>
    public static Tensor operator <(Tensor a, double b) => Np.Greater(b, a);

    /// <summary>The value of a one-element bool tensor, so <c>if (x &gt; 0)</c> works eagerly; on a traced value it throws and points to <c>Np.Where</c>.</summary>
    public static explicit operator bool(Tensor t) => t.Tracer is { } tr
        ? throw tr.ConcretizationError("it was converted to bool, e.g. by an `if`")
        : Np.AsType(t, DType.Bool).Item<bool>();

    /// <summary>The value of a one-element tensor as a double; on a traced value it throws.</summary>
    public static explicit operator double(Tensor t) => t.Tracer is { } tr
        ? throw tr.ConcretizationError("it was converted to a .NET double")
        : Np.AsType(t, DType.Float64).Item<double>();
}
