/// User mistakes across the API, one row each: what the user did, the exception it must
/// give, and the words its message must hold (the op, the shapes or values, the fix). The
/// test names come from the table.
module BadInputTests

open System
open Expecto
open JaxSharp
open JaxSharp.FSharp
open JaxSharp.IR

/// One mistake: what was done, the exception it gives and the words of its message.
type Mistake =
    { Description: string
      Action: unit -> unit
      Expected: Type
      Words: string list }

/// A row of the table: the action must throw exactly 'E with every word in its message.
let mistake<'E, 'T when 'E :> exn> description (words: string list) (action: unit -> 'T) =
    { Description = description
      Action = action >> ignore
      Expected = typeof<'E>
      Words = words }

let f32 (shape: int[]) = np.zerosOf DType.Float32 shape
let i32 (shape: int[]) = np.zerosOf DType.Int32 shape
let x23 () = f32 [| 2; 3 |]
let key () = Rng.Key 0
let nullTensor: Tensor = null
let big = 1 <<< 30

/// Runs f on a new thread (never inlined on this one, as a task may be) and rethrows what it threw.
let onAnotherThread (f: unit -> Tensor) =
    let outcome = ref (Error null)
    let thread = Threading.Thread(fun () -> outcome.Value <- try Ok(f ()) with e -> Error e)
    thread.Start()
    thread.Join()
    match outcome.Value with
    | Ok result -> result
    | Error e ->
        Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw()
        failwith "unreachable"

let nullArguments =
    [ mistake<ArgumentNullException, _> "np.sin of null" [ "Np.Sin"; "argument x is null" ] (fun () -> Np.Sin null)
      mistake<ArgumentNullException, _> "x + null" [ "Np.Add"; "argument b is null"; "Parameter 'b'" ] (fun () -> x23 () + nullTensor)
      mistake<ArgumentNullException, _> "null * x" [ "Np.Multiply"; "argument a is null" ] (fun () -> nullTensor * x23 ())
      mistake<ArgumentNullException, _> "2.0 - null" [ "Np.Subtract"; "argument b" ] (fun () -> 2.0 - nullTensor)
      mistake<ArgumentNullException, _> "np.reshape with a null shape" [ "Np.Reshape"; "argument shape is null" ] (fun () -> Np.Reshape(x23 (), null))
      mistake<ArgumentNullException, _> "np.reshape of a null tensor" [ "Np.Reshape"; "argument x is null" ] (fun () -> Np.Reshape(null, 6))
      mistake<ArgumentNullException, _> "jit of a null function" [ "Jax.Jit"; "argument f is null" ] (fun () -> Jax.Jit(null: Func<Tensor, Tensor>))
      mistake<ArgumentNullException, _> "a jitted function called with null" [ "Jax.Jit"; "argument x is null" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor>(Np.Sin)).Invoke null)
      mistake<ArgumentNullException, _> "a jitted function of two tensors called with null second" [ "Jax.Jit"; "argument y is null" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor, Tensor>(fun a b -> a + b)).Invoke(x23 (), null))
      mistake<ArgumentNullException, _> "a jitted function of arrays called with a null array element" [ "Jax.Jit"; "args[1] is null" ] (fun () ->
          Jax.Jit(Func<Tensor[], Tensor[]>(id)).Invoke [| x23 (); null |])
      mistake<ArgumentException, _> "a jitted function that returns null" [ "jit"; "returned null"; "return its output tensor" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor>(fun _ -> null)).Invoke(x23 ()))
      mistake<ArgumentException, _> "a jitted function whose output array holds null" [ "jit"; "output 1"; "null"; "return its output tensors" ] (fun () ->
          Jax.Jit(Func<Tensor[], Tensor[]>(fun a -> [| a[0]; null |])).Invoke [| x23 () |])
      mistake<ArgumentException, _> "a jitted function that returns a null array" [ "jit"; "returned null"; "return its output tensors" ] (fun () ->
          Jax.Jit(Func<Tensor[], Tensor[]>(fun _ -> null)).Invoke [| x23 () |])
      mistake<ArgumentException, _> "a vmapped function that returns null" [ "vmap"; "null"; "return its output tensor" ] (fun () ->
          Jax.Vmap(Func<Tensor, Tensor>(fun _ -> null)).Invoke(x23 ()))
      mistake<ArgumentException, _> "an F# vmapped function that returns null" [ "vmap"; "returned null"; "return its output tensors" ] (fun () ->
          vmap (fun (_: Tensor) -> (null: Tensor)) (x23 ()))
      mistake<ArgumentNullException, _> "a vmapped function called with null" [ "Jax.Vmap"; "argument x is null" ] (fun () ->
          Jax.Vmap(Func<Tensor, Tensor>(Np.Sin)).Invoke null)
      mistake<ArgumentNullException, _> "vmap of a null function" [ "Jax.Vmap"; "argument f is null" ] (fun () -> Jax.Vmap((null: Func<Tensor, Tensor>), 0, 0))
      mistake<ArgumentNullException, _> "make_jaxpr of a null function" [ "Jax.MakeJaxpr"; "argument f is null" ] (fun () ->
          Jax.MakeJaxpr((null: Func<Tensor, Tensor>), x23 ()))
      mistake<ArgumentNullException, _> "concatenate with a null element" [ "Np.Concatenate"; "xs[1] is null" ] (fun () -> Np.Concatenate([| x23 (); null |]))
      mistake<ArgumentNullException, _> "stack of a null list" [ "Np.Stack"; "argument xs is null" ] (fun () -> Np.Stack(null))
      mistake<ArgumentNullException, _> "where with a null condition" [ "Np.Where"; "argument condition is null" ] (fun () -> Np.Where(null, x23 (), x23 ()))
      mistake<ArgumentNullException, _> "matmul with a null operand" [ "Np.Matmul"; "argument b is null" ] (fun () -> Np.Matmul(x23 (), null))
      mistake<ArgumentNullException, _> "sum of null" [ "Np.Sum"; "argument x is null" ] (fun () -> Np.Sum(nullTensor))
      mistake<ArgumentNullException, _> "lax.add of null" [ "Lax.Add"; "argument a is null" ] (fun () -> Lax.Add(null, x23 ()))
      mistake<ArgumentNullException, _> "relu of null" [ "Nn.Relu"; "argument x is null" ] (fun () -> Nn.Relu null)
      mistake<ArgumentNullException, _> "normal with a null key" [ "Rng.Normal"; "argument key is null" ] (fun () -> Rng.Normal(null, Shape [| 2 |]))
      mistake<ArgumentNullException, _> "uniform with a null shape" [ "Rng.Uniform"; "argument shape is null" ] (fun () -> Rng.Uniform(key (), null))
      mistake<ArgumentNullException, _> "a shape of null dimensions" [ "Shape"; "argument dims is null" ] (fun () -> Shape(null: int[]))
      mistake<ArgumentNullException, _> "a tensor from a null array" [ "Tensor.FromArray"; "argument values is null" ] (fun () -> Tensor.FromArray(null: Array))
      mistake<ArgumentNullException, _> "indexing with a null index array" [ "Tensor.Index"; "argument index is null" ] (fun () -> (x23 ()).[(null: Ix[])])
      mistake<ArgumentNullException, _> "at(...).set of null" [ "At(...).Set"; "argument values is null" ] (fun () -> (x23 ()).At(0).Set(null))
      mistake<ArgumentNullException, _> "a parameter tree of null" [ "ParameterTree.Flatten"; "argument tree is null" ] (fun () -> ParameterTree.Flatten(null))
      mistake<ArgumentNullException, _> "einsum with null operands" [ "Np.Einsum"; "argument operands is null" ] (fun () -> Np.Einsum("ij->ji", (null: Tensor[])))
      mistake<ArgumentNullException, _> "a null tensor converted to bool" [ "Tensor.ToBoolean"; "argument t is null" ] (fun () -> box (Tensor.op_Explicit nullTensor: bool))
      mistake<ArgumentNullException, _> "dynamic_slice with a null start index" [ "Lax.DynamicSlice"; "startIndices[0] is null" ] (fun () ->
          Lax.DynamicSlice(x23 (), [| nullTensor; np.scalar 0 |], Ints [| 1; 1 |]))
      mistake<ArgumentNullException, _> "a primitive bound to a null argument" [ "sin"; "args[0] is null" ] (fun () ->
          Primitives.Elementwise.Sin.Instance.Bind(Primitives.PrimitiveParams.None, nullTensor)) ]

let tracing =
    [ mistake<TracerConcretizationException, _> "an if on a traced value inside jit" [ "bool[]"; "converted to bool"; "np.where"; "Np.Where"; "lax.cond"; "Lax.Cond"; "lax.whileLoop"; "Lax.Scan" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor>(fun x -> if Tensor.op_True(Np.Sum x .> 0.0) then x else -x)).Invoke(x23 ()))
      mistake<TracerConcretizationException, _> "Item of a traced value" [ "Item() asks for its value"; "np.where" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor>(fun x -> x * float (x.Item<float32>()))).Invoke(np.scalar 1.0f))
      mistake<TracerConcretizationException, _> "reading a traced value's data" [ "its data is needed"; "np.where" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor>(fun x -> x.ToArray<float32>() |> ignore; x)).Invoke(x23 ()))
      mistake<InvalidOperationException, _> "a traced value used on another thread inside jit" [ "sin: argument 0"; "another thread"; "Tracing is per thread"; "calling thread" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor>(fun x -> onAnotherThread (fun () -> Np.Sin x))).Invoke(x23 ()))
      mistake<InvalidOperationException, _> "a traced value used on another thread by a nested jit" [ "another thread"; "Tracing is per thread" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor>(fun x -> onAnotherThread (fun () -> (jit (fun (y: Tensor) -> y + x)) (np.scalar 1.0f)))).Invoke(x23 ()))
      mistake<InvalidOperationException, _> "a traced value kept and used after jit returned" [ "leaked tracer"; "Return values" ] (fun () ->
          let mutable kept = nullTensor
          Jax.Jit(Func<Tensor, Tensor>(fun x -> kept <- x; x)).Invoke(x23 ()) |> ignore
          Np.Sin kept) ]

let oversized =
    [ mistake<ArgumentException, _> "zeros of 2^90 elements" [ "zeros: shape (1073741824, 1073741824, 1073741824)"; "1237940039285380274899124224 elements"; "2147483591" ] (fun () ->
          np.zeros [| big; big; big |])
      mistake<ArgumentException, _> "a broadcast to 2^64 elements, summed" [ "broadcast_to"; "(65536, 65536, 65536, 65536)"; "18446744073709551616 elements"; "Array.MaxLength" ] (fun () ->
          np.scalar 1.0f |> np.broadcastTo [| 65536; 65536; 65536; 65536 |] |> np.sum)
      mistake<ArgumentException, _> "ones of exactly 2^32 elements" [ "ones: shape (65536, 65536)"; "4294967296 elements" ] (fun () -> Np.Ones(65536, 65536))
      mistake<ArgumentException, _> "full of 2^40 elements" [ "full"; "(1048576, 1048576)" ] (fun () -> np.full [| 1 <<< 20; 1 <<< 20 |] 1.0)
      mistake<ArgumentException, _> "a reshape to 2^32 elements" [ "reshape"; "(65536, 65536)"; "more than a tensor can hold" ] (fun () -> x23 () |> np.reshape [| 65536; 65536 |])
      mistake<ArgumentException, _> "an addition that broadcasts to 2^32 elements" [ "add: shape (65536, 65536)"; "4294967296 elements" ] (fun () ->
          Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x ->
              (x |> np.broadcastTo [| 65536; 1 |]) + (x |> np.broadcastTo [| 1; 65536 |])), np.scalar 1.0f))
      mistake<ArgumentException, _> "a tile to 2^32 elements" [ "tile"; "(65536, 65536)" ] (fun () -> Np.Tile(np.scalar 1.0f, 65536, 65536))
      mistake<ArgumentException, _> "a repeat to 10^10 elements" [ "repeat"; "(10000000000,)"; "more than a tensor can hold" ] (fun () -> Np.Repeat(f32 [| 100000 |], 100000))
      mistake<ArgumentException, _> "eye of 10^10 elements" [ "eye: shape (100000, 100000)"; "10000000000 elements" ] (fun () -> Np.Eye 100000)
      mistake<ArgumentException, _> "arange over 10^10 elements" [ "arange"; "10000000000 elements"; "use a larger step" ] (fun () -> Np.Arange(0.0, 1e10))
      mistake<ArgumentException, _> "linspace of more than Array.MaxLength values" [ "linspace: shape (2147483647,)" ] (fun () -> Np.Linspace(0.0, 1.0, Int32.MaxValue))
      mistake<ArgumentException, _> "an iota of 2^32 elements" [ "iota: shape (65536, 65536)" ] (fun () -> Lax.BroadcastedIota(DType.Int32, Shape [| 65536; 65536 |], 0))
      mistake<ArgumentException, _> "uniform draws of 2^32 elements" [ "uniform"; "(65536, 65536)"; "more than a tensor can hold" ] (fun () ->
          random.uniform (key ()) [| 65536; 65536 |])
      mistake<ArgumentException, _> "a concatenation past the int range" [ "concatenate"; "(3221225472,)"; "more than a tensor can hold" ] (fun () ->
          Jax.MakeJaxpr(Func<Tensor, Tensor>(fun x -> let b = x |> np.broadcastTo [| big |] in np.concatenate 0 [ b; b; b ]), np.scalar 1.0f))
      mistake<ArgumentException, _> "a pad past the int range" [ "pad"; "(4294967295,)"; "more than a tensor can hold" ] (fun () ->
          Lax.Pad(f32 [| 1 |], np.scalar 0.0f, [| struct (Int32.MaxValue, Int32.MaxValue, 0) |]))
      mistake<OverflowException, _> "the size of a shape too large for a tensor" [ "(1073741824, 1073741824, 1073741824)"; "more than a tensor can hold" ] (fun () ->
          box (Shape [| big; big; big |]).Size)
      mistake<OutOfMemoryException, _> "a buffer the runtime cannot allocate" [ "float32 buffer of 2147483647 elements"; "8589934588 bytes" ] (fun () ->
          box (TensorAllocation.Uninitialized(DType.Float32, Int32.MaxValue))) ]

let shapesAndAxes =
    [ mistake<ArgumentException, _> "adding shapes that do not broadcast" [ "add: shapes (2, 3) and (4,) do not broadcast"; "reshape or expand_dims" ] (fun () -> x23 () + f32 [| 4 |])
      mistake<ArgumentException, _> "lax.add of two dtypes" [ "add"; "float32"; "int32" ] (fun () -> Lax.Add(f32 [| 2 |], i32 [| 2 |]))
      mistake<ArgumentException, _> "lax.add of float32 and float64" [ "lax.add requires arguments to have the same dtypes, got float32, float64"; "Lax.ConvertElementType"; "np.astype" ] (fun () ->
          Lax.Add(f32 [| 2 |], np.zerosOf DType.Float64 [| 2 |]))
      mistake<ArgumentException, _> "lax.bitwise_and of int32 and bool" [ "lax.bitwise_and requires arguments to have the same dtypes, got int32, bool" ] (fun () ->
          Lax.BitwiseAnd(i32 [| 2 |], np.zerosOf DType.Bool [| 2 |]))
      mistake<ArgumentException, _> "lax.select of float32 and int32 cases" [ "lax.select requires arguments to have the same dtypes, got float32, int32" ] (fun () ->
          Lax.Select(np.zerosOf DType.Bool [| 2 |], f32 [| 2 |], i32 [| 2 |]))
      mistake<ArgumentException, _> "subtracting bools" [ "subtract"; "bool"; "LogicalXor" ] (fun () -> Np.Subtract(Np.AsType(x23 (), DType.Bool), Np.AsType(x23 (), DType.Bool)))
      mistake<ArgumentException, _> "a bitwise and of floats" [ "and"; "bool, int32 or uint32"; "float32"; "Np.AsType" ] (fun () -> Np.BitwiseAnd(x23 (), x23 ()))
      mistake<ArgumentException, _> "a shift of floats" [ "shift_left"; "float32" ] (fun () -> Lax.ShiftLeft(x23 (), x23 ()))
      mistake<ArgumentException, _> "where with a condition that does not broadcast" [ "select"; "(3,)"; "(4,)" ] (fun () -> Np.Where(f32 [| 3 |] .> 0.0, f32 [| 4 |], 0.0))
      mistake<ArgumentException, _> "a matrix product of mismatched inner sizes" [ "matmul"; "(2, 3)"; "(4, 5)" ] (fun () -> Np.Matmul(x23 (), f32 [| 4; 5 |]))
      mistake<ArgumentException, _> "a matrix product of a scalar" [ "matmul"; "scalar"; "Np.Multiply" ] (fun () -> Np.Matmul(np.scalar 2.0f, x23 ()))
      mistake<ArgumentException, _> "batched matrix products whose batches do not broadcast" [ "matmul"; "(2,)"; "(5,)"; "do not broadcast" ] (fun () ->
          Np.Matmul(f32 [| 2; 3; 4 |], f32 [| 5; 4; 2 |]))
      mistake<ArgumentException, _> "a dot of vectors of different lengths" [ "dot"; "(3,)"; "(4,)" ] (fun () -> Np.Dot(f32 [| 3 |], f32 [| 4 |]))
      mistake<ArgumentException, _> "vdot of different sizes" [ "vdot"; "(2, 3)"; "(4,)"; "sizes must be equal" ] (fun () -> Np.Vdot(x23 (), f32 [| 4 |]))
      mistake<ArgumentException, _> "tensordot over more axes than the arrays have" [ "tensordot"; "3 axes"; "(2, 3)" ] (fun () -> Np.Tensordot(x23 (), x23 (), 3))
      mistake<ArgumentException, _> "einsum with too few operands" [ "einsum"; "ij,jk->ik"; "2"; "1" ] (fun () -> Np.Einsum("ij,jk->ik", x23 ()))
      mistake<ArgumentException, _> "einsum with a letter of two sizes" [ "einsum"; "j"; "3"; "4" ] (fun () -> Np.Einsum("ij,jk->ik", x23 (), f32 [| 4; 2 |]))
      mistake<ArgumentException, _> "dot_general contracting axes of different sizes" [ "dot_general"; "(2, 3)"; "(4, 5)" ] (fun () ->
          Lax.DotGeneral(x23 (), f32 [| 4; 5 |], Primitives.LinearAlgebra.DotDimensionNumbers(Ints [| 1 |], Ints [| 0 |], Ints.Empty, Ints.Empty)))
      mistake<ArgumentException, _> "a reshape to another size" [ "reshape: cannot reshape (2, 3) (6 elements) to (4,)" ] (fun () -> x23 () |> np.reshape [| 4 |])
      mistake<ArgumentException, _> "a reshape with two unknown sizes" [ "reshape"; "(-1, -1)"; "at most one -1" ] (fun () -> x23 () |> np.reshape [| -1; -1 |])
      mistake<ArgumentException, _> "a reshape whose -1 does not divide" [ "reshape"; "(4, -1)"; "divide" ] (fun () -> x23 () |> np.reshape [| 4; -1 |])
      mistake<ArgumentException, _> "a transpose with too few axes" [ "transpose"; "(0,)"; "(2, 3)"; "permutation of all 2 axes" ] (fun () -> x23 () |> np.transposeAxes [| 0 |])
      mistake<ArgumentException, _> "a transpose that repeats an axis" [ "transpose"; "(0, 0)"; "exactly once" ] (fun () -> Lax.Transpose(x23 (), Ints [| 0; 0 |]))
      mistake<ArgumentException, _> "swapaxes out of range" [ "swapaxes: axis 2"; "rank 2"; "[-2, 2)" ] (fun () -> x23 () |> np.swapaxes 0 2)
      mistake<ArgumentException, _> "expand_dims out of range" [ "expand_dims"; "axis 5"; "[-3, 3)" ] (fun () -> x23 () |> np.expandDims 5)
      mistake<ArgumentException, _> "squeezing an axis of size 2" [ "squeeze: axis 0 of shape (2, 3) has size 2" ] (fun () -> x23 () |> np.squeezeAxes [| 0 |])
      mistake<ArgumentException, _> "broadcast_to an incompatible shape" [ "broadcast_to: cannot broadcast shape (2, 3) to (4, 3)" ] (fun () -> x23 () |> np.broadcastTo [| 4; 3 |])
      mistake<ArgumentException, _> "concatenating shapes that differ off the axis" [ "concatenate: shapes (2, 3), (2, 4) differ outside axis 0" ] (fun () ->
          np.concatenate 0 [ x23 (); f32 [| 2; 4 |] ])
      mistake<ArgumentException, _> "concatenating scalars" [ "concatenate"; "zero-dimensional"; "stack" ] (fun () -> np.concatenate 0 [ np.scalar 1.0f; np.scalar 2.0f ])
      mistake<ArgumentException, _> "concatenating nothing" [ "concatenate"; "at least one array" ] (fun () -> np.concatenate 0 [])
      mistake<ArgumentException, _> "concatenating along an axis out of range" [ "concatenate: axis 2"; "rank 2" ] (fun () -> np.concatenate 2 [ x23 (); x23 () ])
      mistake<ArgumentException, _> "stacking different shapes" [ "stack"; "same shape"; "(2,), (3,)" ] (fun () -> np.stack 0 [ f32 [| 2 |]; f32 [| 3 |] ])
      mistake<ArgumentException, _> "a split that does not divide" [ "split"; "(5,)"; "3 equal sections"; "split indices" ] (fun () -> f32 [| 5 |] |> np.split 3)
      mistake<ArgumentException, _> "a tile with negative reps" [ "tile"; "(-1,)"; ">= 0" ] (fun () -> Np.Tile(x23 (), -1))
      mistake<ArgumentException, _> "a repeat with negative repeats" [ "repeat"; "-2"; ">= 0" ] (fun () -> Np.Repeat(x23 (), -2))
      mistake<ArgumentException, _> "moveaxis with a repeated source" [ "moveaxis"; "(0, 0)"; "repeat" ] (fun () -> Np.Moveaxis(x23 (), [| 0; 0 |], [| 0; 1 |]))
      mistake<ArgumentException, _> "np.pad with the wrong number of pairs" [ "pad"; "3 pairs"; "(2, 3)" ] (fun () ->
          Np.Pad(x23 (), [| struct (1, 1); struct (1, 1); struct (1, 1) |]))
      mistake<ArgumentException, _> "a slice past the end" [ "slice"; "(0, 4)"; "(2, 5)"; "axis 1" ] (fun () -> Lax.Slice(x23 (), Ints [| 0; 4 |], Ints [| 2; 5 |]))
      mistake<ArgumentException, _> "a slice with stride 0" [ "slice"; "strides must be >= 1" ] (fun () -> Lax.Slice(f32 [| 3 |], Ints [| 0 |], Ints [| 3 |], Ints [| 0 |]))
      mistake<ArgumentException, _> "a flip along an axis out of range" [ "flip: axis 3"; "rank 2" ] (fun () -> x23 () |> np.flipAxis 3)
      mistake<ArgumentException, _> "a shape with a negative size" [ "shape: dimension -1"; "(2, -1)"; ">= 0" ] (fun () -> Shape [| 2; -1 |])
      mistake<ArgumentException, _> "lax.pad with a padding value of another dtype" [ "lax.pad requires the operand and the paddingValue to have the same dtype, got float32 and float64"; "Np.AsType(paddingValue, DType.Float32)" ] (fun () ->
          Lax.Pad(f32 [| 2 |], np.scalar 0.0, [| struct (1, 1, 0) |]))
      mistake<ArgumentException, _> "lax.select with a float predicate" [ "select"; "bool"; "float32" ] (fun () -> Lax.Select(f32 [| 2 |], f32 [| 2 |], f32 [| 2 |])) ]

let indexing =
    [ mistake<ArgumentException, _> "an unknown mode for At(...).Get" [ "x.At(...).Get: mode \"wrap\""; "\"clip\", \"fill\" or \"promise_in_bounds\"" ] (fun () ->
          (f32 [| 3 |]).At(Ix.op_Implicit 5).Get("wrap"))
      mistake<ArgumentException, _> "a fill value without mode fill" [ "x.At(...).Get: fillValue 1"; "mode \"clip\""; "pass mode: \"fill\"" ] (fun () ->
          (f32 [| 3 |]).At(Ix.op_Implicit 5).Get(fillValue = 1.0))
      mistake<ArgumentException, _> "more indices than axes" [ "too many indices for shape (2, 3)"; "3 axes" ] (fun () ->
          (x23 ()).[Ix.op_Implicit 0, Ix.op_Implicit 0, Ix.op_Implicit 0])
      mistake<ArgumentException, _> "two ellipses" [ "single ellipsis" ] (fun () -> (x23 ()).[Ix.Ellipsis, Ix.Ellipsis])
      mistake<ArgumentException, _> "a boolean mask index under jit" [ "boolean mask bool[3]"; "traced here"; "Np.Where"; "Np.Nonzero(mask, size: n)" ] (fun () ->
          Jax.Jit(Func<Tensor, Tensor>(fun x -> x.[Ix.op_Implicit (x .> 0.0)])).Invoke(f32 [| 3 |]))
      mistake<ArgumentException, _> "a boolean mask of another shape" [ "boolean mask of shape (2,)"; "axes from 0 of shape (3,)" ] (fun () ->
          (f32 [| 3 |]).[Ix.op_Implicit (np.zerosOf DType.Bool [| 2 |])])
      mistake<ArgumentException, _> "a 0-d boolean mask" [ "0-d boolean mask"; "Np.Where" ] (fun () -> (f32 [| 3 |]).[Ix.op_Implicit (np.zerosOf DType.Bool [||])])
      mistake<ArgumentException, _> "a float tensor as an index" [ "index: indices must be integers"; "float32"; "Np.AsType(indices, DType.Int32)" ] (fun () -> (f32 [| 3 |]).[Ix.op_Implicit (f32 [| 2 |])])
      mistake<ArgumentException, _> "take with float indices" [ "take: indices must be integers"; "float32" ] (fun () -> f32 [| 3 |] |> np.take (f32 [| 2 |]))
      mistake<ArgumentException, _> "take_along_axis with indices of another rank" [ "take_along_axis"; "(2,)"; "(2, 3)"; "rank" ] (fun () ->
          Np.TakeAlongAxis(x23 (), i32 [| 2 |], 1))
      mistake<ArgumentException, _> "a slice step of 0" [ "slice step cannot be zero"; "negative one" ] (fun () -> Ix.Slice(Nullable(), Nullable(), 0))
      mistake<ArgumentException, _> "dynamic_slice sizes larger than the operand" [ "dynamic_slice"; "slice_sizes (3,)"; "(2,)" ] (fun () ->
          Lax.DynamicSlice(f32 [| 2 |], [| np.scalar 0 |], Ints [| 3 |]))
      mistake<ArgumentException, _> "gather with float indices" [ "gather: indices must be int32"; "float32" ] (fun () ->
          Lax.Gather(f32 [| 3; 2 |], f32 [| 2; 1 |], GatherDimensionNumbers(Ints [| 1 |], Ints [| 0 |], Ints [| 0 |]), Ints [| 1; 2 |])) ]

let reductions =
    [ mistake<ArgumentException, _> "a sum over an axis out of range" [ "sum: axis 2"; "rank 2"; "[-2, 2)" ] (fun () -> x23 () |> np.sumAxis 2)
      mistake<ArgumentException, _> "a sum naming an axis twice" [ "sum"; "(1, -1)"; "twice" ] (fun () -> x23 () |> np.sumAxes [| 1; -1 |] false)
      mistake<ArgumentException, _> "the max of an empty array" [ "max"; "empty"; "(0,)" ] (fun () -> f32 [| 0 |] |> np.max)
      mistake<ArgumentException, _> "the argmax of an empty array" [ "argmax"; "empty"; "(0,)" ] (fun () -> f32 [| 0 |] |> np.argmax)
      mistake<ArgumentException, _> "a mean over an axis out of range" [ "mean: axis -3"; "rank 2" ] (fun () -> x23 () |> np.meanAxis -3)
      mistake<ArgumentException, _> "a cumsum along an axis out of range" [ "cumsum: axis 2"; "rank 2" ] (fun () -> x23 () |> np.cumsum 2)
      mistake<ArgumentException, _> "a softmax along an axis out of range" [ "softmax"; "axis 2"; "rank 2" ] (fun () -> x23 () |> nn.softmaxAxis 2)
      mistake<ArgumentException, _> "a sort of a scalar" [ "sort: axis -1"; "rank 0" ] (fun () -> np.sort (np.scalar 1.0f)) ]

let dtypesAndValues =
    [ mistake<InvalidCastException, _> "reading float32 data as double" [ "ToArray"; "float32"; "Single"; "Np.AsType(x, DType.Float64)" ] (fun () -> x23().ToArray<double>())
      mistake<InvalidOperationException, _> "Item of a six-element tensor" [ "Item"; "(2, 3)"; "6 elements"; "one-element" ] (fun () -> box (x23().Item<float32>()))
      mistake<InvalidOperationException, _> "ToArray2D of a vector" [ "ToArray2D"; "(3,)"; "rank 2" ] (fun () -> f32([| 3 |]).ToArray2D<float32>())
      mistake<ArgumentException, _> "a tensor of strings" [ "String"; "float"; "int" ] (fun () -> Tensor.FromArray([| "a" |]))
      mistake<ArgumentException, _> "a flat array that does not fill the shape" [ "array: 5 values do not fill shape (2, 3) (6 elements)" ] (fun () ->
          Tensor.FromArray(Array.zeroCreate<float32> 5, Shape [| 2; 3 |]))
      mistake<ArgumentException, _> "an iota of bools" [ "iota: dtype bool" ] (fun () -> Lax.Iota(DType.Bool, 3))
      mistake<ArgumentException, _> "arange with step 0" [ "arange: step 0" ] (fun () -> np.arangeStep 0 5 0)
      mistake<ArgumentException, _> "linspace of a negative count" [ "linspace: num -1"; ">= 0" ] (fun () -> Np.Linspace(0.0, 1.0, -1))
      mistake<ArgumentException, _> "eye of a negative size" [ "eye"; "(-1, -1)"; ">= 0" ] (fun () -> Np.Eye(-1))
      mistake<ArgumentException, _> "a bitcast between sizes" [ "bitcast_convert_type"; "float32"; "float64" ] (fun () -> Lax.BitcastConvertType(x23 (), DType.Float64))
      mistake<ArgumentException, _> "the Cholesky factor of a non-square matrix" [ "cholesky"; "(2, 3)"; "square" ] (fun () -> np.cholesky (x23 ()))
      mistake<ArgumentException, _> "a triangular solve with a non-square matrix" [ "solve_triangular"; "(2, 3)" ] (fun () -> Np.SolveTriangular(x23 (), f32 [| 2 |]))
      mistake<ArgumentException, _> "rounding integers to negative decimals" [ "round: decimals -1"; "int32"; "Np.AsType" ] (fun () -> Np.Round(i32 [| 2 |], -1))
      mistake<ArgumentException, _> "one_hot of a negative number of classes" [ "one_hot"; "-1"; ">= 0" ] (fun () -> Nn.OneHot(i32 [| 2 |], -1)) ]

let randomness =
    [ mistake<ArgumentException, _> "normal draws with a float tensor as the key" [ "normal"; "uint32"; "(..., 2)"; "float32"; "Rng.Key" ] (fun () -> Rng.Normal(f32 [| 2 |], Shape [| 3 |]))
      mistake<ArgumentException, _> "uniform draws with a key of three words" [ "uniform"; "(3,)"; "Rng.Key" ] (fun () ->
          Rng.Uniform(Tensor.FromArray([| 0u; 1u; 2u |]), Shape [| 3 |]))
      mistake<ArgumentException, _> "uniform draws with a batch of keys" [ "uniform"; "single key"; "(4, 2)"; "Jax.Vmap" ] (fun () -> Rng.Uniform(Rng.Split(key (), 4), Shape [| 3 |]))
      mistake<ArgumentException, _> "a split into a negative number of keys" [ "split"; "-1" ] (fun () -> Rng.Split(key (), -1))
      mistake<ArgumentException, _> "random bits of width 7" [ "bits"; "7"; "8, 16, 32 or 64" ] (fun () -> Rng.Bits(key (), Shape [| 2 |], 7))
      mistake<ArgumentException, _> "uniform draws of integers" [ "uniform: dtype must be float32 or float64"; "int32"; "Rng.Randint" ] (fun () ->
          Rng.Uniform(key (), Shape [| 2 |], 0.0, 1.0, DType.Int32))
      mistake<ArgumentException, _> "a choice without replacement of more than there are" [ "choice"; "5"; "3"; "replace" ] (fun () ->
          Rng.Choice(key (), 3, Shape [| 5 |], false))
      mistake<ArgumentException, _> "categorical draws along an axis out of range" [ "categorical"; "axis 2"; "rank 2" ] (fun () -> Rng.Categorical(key (), x23 (), 2)) ]

let transformations =
    [ mistake<ArgumentException, _> "vmap with more in_axes than arguments" [ "vmap: in_axes has 2 entries"; "1 arguments" ] (fun () ->
          Jax.Vmap(Func<Tensor[], Tensor[]>(id), [| Nullable 0; Nullable 0 |]).Invoke [| x23 () |])
      mistake<ArgumentException, _> "vmap over axes of different sizes" [ "vmap"; "size 2"; "size 4"; "same size" ] (fun () ->
          Jax.Vmap(Func<Tensor, Tensor, Tensor>(fun a b -> a)).Invoke(x23 (), f32 [| 4 |]))
      mistake<ArgumentException, _> "vmap over an axis out of range" [ "vmap: in_axes 2"; "(2, 3)"; "[-2, 2)" ] (fun () ->
          Jax.Vmap(Func<Tensor, Tensor>(Np.Sin), 2, 0).Invoke(x23 ()))
      mistake<ArgumentException, _> "vmap with nothing mapped" [ "vmap: no argument is mapped" ] (fun () ->
          Jax.Vmap(Func<Tensor, Tensor, Tensor>(fun a b -> a), Nullable(), Nullable()).Invoke(x23 (), x23 ()))
      mistake<ArgumentException, _> "vmap with an unmapped output that depends on the input" [ "out_axes is null"; "batched" ] (fun () ->
          Jax.Vmap(Func<Tensor[], Tensor[]>(fun a -> [| Np.Sin a[0] |]), [| Nullable 0 |], [| Nullable() |]).Invoke [| x23 () |])
      mistake<ArgumentException, _> "grad of a function with a vector output" [ "grad"; "scalar"; "(2, 3)" ] (fun () -> Jax.Grad(Func<Tensor, Tensor>(Np.Sin)).Invoke(x23 ()))
      mistake<ArgumentException, _> "jvp with a tangent of another shape" [ "jvp: tangent 0 is f32[3] but its primal is f32[2,3]"; "its primal's shape and dtype" ] (fun () ->
          Jax.Jvp(Func<Tensor, Tensor>(Np.Sin), x23 (), f32 [| 3 |]))
      mistake<ArgumentException, _> "a parameter tree holding null" [ "parameter tree"; "tree.Item2 is null" ] (fun () -> ParameterTree.Flatten(struct (x23 (), nullTensor)))
      mistake<ArgumentException, _> "a parameter tree rebuilt from too few leaves" [ "parameter tree: 1 leaves given for a tree of 2" ] (fun () ->
          ParameterTree.Flatten((x23 (), x23 ())).Rebuild([| x23 () |])) ]

let table =
    nullArguments @ tracing @ oversized @ shapesAndAxes @ indexing @ reductions @ dtypesAndValues @ randomness @ transformations

/// Runs the row's action and returns what it threw, or fails when it threw nothing.
let thrown (row: Mistake) =
    try
        row.Action()
        failtestf "expected %s, but nothing was thrown" row.Expected.Name
    with
    | :? AssertException -> reraise ()
    | e -> e

[<Tests>]
let tests =
    testList
        "bad input"
        [ for row in table ->
              test row.Description {
                  let e = thrown row
                  Expect.equal (e.GetType()) row.Expected $"the exception type (message: {e.Message})"
                  for word in row.Words do
                      Expect.stringContains e.Message word "the message names the op, the values and the fix"
              } ]
