namespace JaxSharp.Primitives;

/// <summary>
/// The error function and its inverse, with XLA's approximations so that results match JAX
/// (<c>random.normal</c> goes through <c>erf_inv</c>): float32 in float32 arithmetic,
/// float64 in float64. Polynomial coefficients are listed from the highest degree down.
/// </summary>
public static class SpecialFunctions
{
    // erf x = x P(x^2) / Q(x^2) on [-4, 4], clamped to [-1, 1] (XLA's float32 erf, as Eigen's).
    internal static readonly float[] s_erfAlpha32 =
    [
        -2.72614225801306e-10f, 2.77068142495902e-08f, -2.10102402082508e-06f,
        -5.69250639462346e-05f, -7.34990630326855e-04f, -2.95459980854025e-03f,
        -1.60960333262415e-02f,
    ];
    internal static readonly float[] s_erfBeta32 =
    [
        -1.45660718464996e-05f, -2.13374055278905e-04f, -1.68282697438203e-03f,
        -7.37332916720468e-03f, -1.42647390514189e-02f,
    ];

    // erf x = x T(x^2) / U(x^2) for |x| < 1 (Cephes, XLA's ErfImpl64).
    internal static readonly double[] s_erfT64 =
    [
        9.60497373987051638749E0, 9.00260197203842689217E1, 2.23200534594684319226E3,
        7.00332514112805075473E3, 5.55923013010394962768E4,
    ];
    internal static readonly double[] s_erfU64 =
    [
        1.00000000000000000000E0, 3.35617141647503099647E1, 5.21357949780152679795E2,
        4.59432382970980127987E3, 2.26290000613890934246E4, 4.92673942608635921086E4,
    ];

    // erfc x = e^(-x^2) P(|x|) / Q(|x|) for 1 <= |x| < 8, e^(-x^2) R(|x|) / S(|x|) beyond (Cephes).
    internal static readonly double[] s_erfcP64 =
    [
        2.46196981473530512524E-10, 5.64189564831068821977E-1, 7.46321056442269912687E0,
        4.86371970985681366614E1, 1.96520832956077098242E2, 5.26445194995477358631E2,
        9.34528527171957607540E2, 1.02755188689515710272E3, 5.57535335369399327526E2,
    ];
    internal static readonly double[] s_erfcQ64 =
    [
        1.00000000000000000000E0, 1.32281951154744992508E1, 8.67072140885989742329E1,
        3.54937778887819891062E2, 9.75708501743205489753E2, 1.82390916687909736289E3,
        2.24633760818710981792E3, 1.65666309194161350182E3, 5.57535340817727675546E2,
    ];
    internal static readonly double[] s_erfcR64 =
    [
        5.64189583547755073984E-1, 1.27536670759978104416E0, 5.01905042251180477414E0,
        6.16021097993053585195E0, 7.40974269950448939160E0, 2.97886665372100240670E0,
    ];
    internal static readonly double[] s_erfcS64 =
    [
        1.00000000000000000000E0, 2.26052863220117276590E0, 9.39603524938001434673E0,
        1.20489539808096656605E1, 1.70814450747565897222E1, 9.60896809063285878198E0,
        3.36907645100081516050E0,
    ];

    // erfinv x = x p(w), w = -log1p(-x^2): p a polynomial in w - 2.5 for w < 5, else in
    // sqrt(w) - 3 (Giles, single precision; XLA's ErfInv32).
    internal static readonly float[] s_erfinvSmall32 =
    [
        2.81022636e-08f, 3.43273939e-07f, -3.5233877e-06f, -4.39150654e-06f, 0.00021858087f,
        -0.00125372503f, -0.00417768164f, 0.246640727f, 1.50140941f,
    ];
    internal static readonly float[] s_erfinvLarge32 =
    [
        -0.000200214257f, 0.000100950558f, 0.00134934322f, -0.00367342844f, 0.00573950773f,
        -0.0076224613f, 0.00943887047f, 1.00167406f, 2.83297682f,
    ];

    // Giles, double precision (XLA's ErfInv64): in w - 3.125 for w < 6.25, in sqrt(w) - 3.25
    // for w < 16, else in sqrt(w) - 5.
    internal static readonly double[] s_erfinvSmall64 =
    [
        -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
        1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17,
        6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14,
        2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
        1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
        4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05,
        0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533,
        0.24015818242558961693, 1.6536545626831027356,
    ];
    internal static readonly double[] s_erfinvMiddle64 =
    [
        2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
        1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06,
        2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05,
        6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
        0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
        -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
        3.0838856104922207635,
    ];
    internal static readonly double[] s_erfinvLarge64 =
    [
        -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
        -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
        2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
        -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
        7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
        1.0103004648645343977, 4.8499064014085844221,
    ];

    /// <summary>The error function in float32 arithmetic (XLA's rational approximation).</summary>
    public static float Erf(float x)
    {
        x = Math.Clamp(x, -4f, 4f);
        var x2 = x * x;
        return Math.Clamp(x * Horner(s_erfAlpha32, x2) / Horner(s_erfBeta32, x2), -1f, 1f);
    }

    /// <summary>The error function in float64, to about 1e-16 (Cephes).</summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) < 1.0)
        {
            var z = x * x;
            return x * Horner(s_erfT64, z) / Horner(s_erfU64, z);
        }
        return 1.0 - Erfc(x);
    }

    // erfc x for |x| >= 1; erfc(-x) = 2 - erfc x.
    private static double Erfc(double x)
    {
        const double maxLog = 7.09782712893383996843E2;
        var z = -x * x;
        var a = Math.Abs(x);
        var y = a < 8.0
            ? Math.Exp(z) * Horner(s_erfcP64, a) / Horner(s_erfcQ64, a)
            : Math.Exp(z) * Horner(s_erfcR64, a) / Horner(s_erfcS64, a);
        if (z < -maxLog) y = 0.0;
        return x < 0 ? 2.0 - y : y;
    }

    /// <summary>The inverse error function in float32 arithmetic, as XLA's <c>ErfInv32</c>; ±1 give ±inf.</summary>
    public static float Erfinv(float x)
    {
        if (MathF.Abs(x) == 1f) return x * float.PositiveInfinity;
        var w = -ScalarMath.Log1p(-x * x);
        var p = w < 5f
            ? Horner(s_erfinvSmall32, w - 2.5f)
            : Horner(s_erfinvLarge32, MathF.Sqrt(w) - 3f);
        return p * x;
    }

    /// <summary>The inverse error function in float64, as XLA's <c>ErfInv64</c>; ±1 give ±inf.</summary>
    public static double Erfinv(double x)
    {
        if (Math.Abs(x) == 1.0) return x * double.PositiveInfinity;
        var w = -ScalarMath.Log1p(-x * x);
        var p = w < 6.25 ? Horner(s_erfinvSmall64, w - 3.125)
            : w < 16.0 ? Horner(s_erfinvMiddle64, Math.Sqrt(w) - 3.25)
            : Horner(s_erfinvLarge64, Math.Sqrt(w) - 5.0);
        return p * x;
    }

    // p(t) = (...(c0 t + c1) t + ...) + cn
    private static float Horner(float[] c, float t)
    {
        var p = c[0];
        for (var i = 1; i < c.Length; i++) p = c[i] + p * t;
        return p;
    }

    private static double Horner(double[] c, double t)
    {
        var p = c[0];
        for (var i = 1; i < c.Length; i++) p = c[i] + p * t;
        return p;
    }
}
