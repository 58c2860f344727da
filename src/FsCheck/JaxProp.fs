namespace JaxSharp.FsCheck

open System
open FsCheck
open FsCheck.FSharp
open JaxSharp

/// Properties of users' functions, as FsCheck Property values: run them with Expecto's
/// testProperty, FsCheck.Xunit's or FsCheck.NUnit's [<Property>], or Check.QuickThrowOnFailure.
/// A failing case shrinks (see JaxGen) and the message says what differed.
[<RequireQualifiedAccess>]
module JaxProp =
    let private expectClose (op: string) (tol: float) (expected: Tensor) (actual: Tensor) =
        if expected.Shape <> actual.Shape then
            failwith $"{op}: the shapes differ: expected {expected.Shape}, got {actual.Shape}"
        let e = Samples.values expected
        let a = Samples.values actual
        for i in 0 .. e.Length - 1 do
            let same = (Double.IsNaN e[i] && Double.IsNaN a[i]) || abs (a[i] - e[i]) <= tol * (1.0 + abs e[i])
            if not same then
                failwith $"{op}: element {i} is %.10g{a[i]}, expected %.10g{e[i]} (tolerance {tol} * (1 + |expected|))"

    /// Gradients of f match float64 finite differences (checkGrads order) at every generated input.
    let gradientsMatchWith (options: GradCheckOptions) (order: int) (f: 'p -> Tensor) (inputs: Arbitrary<'p>) : Property =
        Prop.forAll inputs (fun x -> checkGradsWith options order f x)

    /// Gradients of f match float64 finite differences up to `order` at every generated input.
    let gradientsMatch (order: int) (f: 'p -> Tensor) (inputs: Arbitrary<'p>) : Property =
        gradientsMatchWith GradCheckOptions.Default order f inputs

    /// The compiled function gives f's values within tol (relative): jit f x = f x.
    let jitMatches (tol: float) (f: 'p -> Tensor) (inputs: Arbitrary<'p>) : Property =
        let compiled = Jax.JitTree(Func<'p, Tensor>(f))
        Prop.forAll inputs (fun x -> expectClose "jit f x = f x" tol (f x) (compiled.Invoke x))

    /// vmap f over axis 0 of the inputs equals a loop of f over the examples, stacked.
    let vmapMatchesLoop (tol: float) (f: Tensor -> Tensor) (batches: Arbitrary<Tensor>) : Property =
        let batched = Jax.Vmap(Func<Tensor, Tensor>(f), 0, 0)
        Prop.forAll batches (fun xs ->
            if xs.Rank = 0 then
                failwith "vmap f = a loop: the batch is a scalar; generate tensors of rank 1 or more (JaxGen.tensorOfShapes 1 ...)"
            let loop = Np.Stack([ for i in 0 .. xs.Shape[0] - 1 -> f (Np.Take(xs, Tensor.op_Implicit i, 0)) ])
            expectClose "vmap f = a loop" tol loop (batched.Invoke xs))
