namespace JaxSharp.FsCheck

open System
open System.Runtime.InteropServices
open FsCheck
open JaxSharp

/// checkGrads for C#: `GradCheck.CheckGrads(loss, parameters, order: 2)` throws a
/// GradCheckException ("checkGrads: ...") when a derivative disagrees with finite differences.
[<AbstractClass; Sealed>]
type GradCheck =
    /// Forward and reverse mode of f at the parameter tree x against float64 central
    /// differences, up to order (1 to 3), with options (GradCheckOptions.Default.WithTolerance(...)).
    static member CheckGrads<'p>(f: Func<'p, Tensor>, x: 'p, [<Optional; DefaultParameterValue(2)>] order: int) =
        ArgumentNullException.ThrowIfNull(f, nameof f)
        checkGrads order f.Invoke x

    /// CheckGrads with options (GradCheckOptions.Default.WithTolerance(1e-4, 1e-4)).
    static member CheckGrads<'p>(f: Func<'p, Tensor>, x: 'p, order: int, options: GradCheckOptions) =
        ArgumentNullException.ThrowIfNull(f, nameof f)
        checkGradsWith options order f.Invoke x

/// FsCheck Arbitrary values of tensors, shapes and parameter trees for C# (FsCheck.Fluent's
/// style): `Prop.ForAll(JaxArb.Tensor(DType.Float64, 3, 2), x => ...)`.
[<AbstractClass; Sealed>]
type JaxArb =
    /// Tensors of a dtype and shape, values in [-10, 10].
    static member Tensor(dtype: DType, [<ParamArray>] shape: int[]) : Arbitrary<Tensor> = JaxGen.tensor dtype shape

    /// Tensors of a dtype and shape, values in [lo, hi].
    static member TensorIn(lo: float, hi: float, dtype: DType, [<ParamArray>] shape: int[]) : Arbitrary<Tensor> = JaxGen.tensorIn (lo, hi) dtype shape

    /// Tensors of rank minRank..maxRank, axes 1..maxDim, values in [-10, 10]; shapes shrink too.
    static member TensorOfShapes(dtype: DType, minRank: int, maxRank: int, maxDim: int) : Arbitrary<Tensor> =
        JaxGen.tensorOfShapes minRank maxRank maxDim JaxGen.defaultRange dtype

    /// Shapes of rank minRank..maxRank with axes 1..maxDim.
    static member Shapes(minRank: int, maxRank: int, maxDim: int) : Arbitrary<int[]> = JaxGen.shapes minRank maxRank maxDim

    /// Pairs of tensors whose shapes broadcast together.
    static member BroadcastPair(dtype: DType) : Arbitrary<struct (Tensor * Tensor)> =
        Fluent.Arb.Convert(JaxGen.broadcastPair dtype, Func<_, _>(fun (a, b) -> struct (a, b)), Func<_, _>(fun (struct (a, b)) -> a, b))

    /// Parameter trees like template (same structure, shapes, dtypes), values in [-10, 10].
    static member TreeLike<'p>(template: 'p) : Arbitrary<'p> = JaxGen.treeLike template

/// Properties of C# functions (FsCheck Property values) for xUnit, NUnit or Check.One.
[<AbstractClass; Sealed>]
type JaxProperties =
    /// Gradients match float64 finite differences up to order at every generated input.
    static member GradientsMatch<'p>(f: Func<'p, Tensor>, inputs: Arbitrary<'p>, [<Optional; DefaultParameterValue(1)>] order: int) : Property =
        JaxProp.gradientsMatch order f.Invoke inputs

    /// jit f equals f within a relative tolerance at every generated input.
    static member JitMatches<'p>(f: Func<'p, Tensor>, inputs: Arbitrary<'p>, [<Optional; DefaultParameterValue(1e-5)>] tolerance: float) : Property =
        JaxProp.jitMatches tolerance f.Invoke inputs

    /// vmap f over axis 0 equals a loop over the examples at every generated batch.
    static member VmapMatchesLoop(f: Func<Tensor, Tensor>, batches: Arbitrary<Tensor>, [<Optional; DefaultParameterValue(1e-5)>] tolerance: float) : Property =
        JaxProp.vmapMatchesLoop tolerance f.Invoke batches
