/// The transformations on the OpenCL device against the CPU: jit, grad, value_and_grad, jvp,
/// vjp and vmap of an MLP loss, and jit of grad, with the inputs committed to the device; and
/// the random programs of property-tests (RandomPrograms, no cond nodes) on the device: a
/// sample of 12 programs (seed 11, to keep the run short on 2 cores), each jitted, batched
/// with vmap and differentiated on the device against the CPU.
module OpenCL.OpenCLTransforms

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open TestHelpers
open OpenCL.Ulps
open RandomPrograms

/// float32 results of a different summation order: close relative to the largest magnitude.
let private expectClose what (expected: Tensor) (actual: Tensor) (d: Device) =
    Expect.equal actual.Device d $"{what}: the result is on the device"
    Expect.equal actual.Shape expected.Shape $"{what}: shape"
    let e, a = toFloats expected, toFloats actual
    let scale = if e.Length = 0 then 1.0 else e |> Array.map abs |> Array.max |> max 1.0
    for k in 0 .. e.Length - 1 do
        if not (abs (e[k] - a[k]) <= 2e-5 * scale) then
            failtest $"{what}: element {k} is {a[k]} on the device, {e[k]} on the CPU"

/// As expectClose, of the result of running onDevice.
let private close what (expected: Tensor) (onDevice: unit -> Tensor) (d: Device) = expectClose what expected (onDevice ()) d

let private seed = 2024

/// An MLP's parameters and a batch, float32, seeded.
let private mlp () =
    let rng = Random seed
    let t (shape: int[]) = Tensor.FromArray(Array.init (Array.fold (*) 1 shape) (fun _ -> float32 (rng.NextDouble() - 0.5)), Shape shape)
    (t [| 4; 8 |], t [| 8 |], t [| 8; 3 |]), t [| 6; 4 |], t [| 6; 3 |]

let private loss (x: Tensor) (y: Tensor) ((w1: Tensor, b1: Tensor, w2: Tensor)) =
    let hidden = np.tanh (Np.Matmul(x, w1) + b1)
    np.mean (np.square (Np.Matmul(hidden, w2) - y))

let private put (d: Device) ((a: Tensor, b: Tensor, c: Tensor)) = devicePut d a, devicePut d b, devicePut d c

[<Tests>]
let tests =
    testList
        "opencl"
        [ testList
              "transformations"
              [ onDevice $"jit, grad, value_and_grad, jvp, vjp and vmap of an MLP loss on the device match the CPU (seed {seed})" (fun d ->
                    printfn $"opencl transformations: seed {seed}"
                    let p, x, y = mlp ()
                    let pd, xd, yd = put d p, devicePut d x, devicePut d y
                    let w1, b1, w2 = p
                    let w1d, b1d, w2d = pd
                    let jitted = jit (fun (x, y, w1, b1, w2) -> loss x y (w1, b1, w2))
                    expectClose "jit(loss)" (loss x y p) (jitted (xd, yd, w1d, b1d, w2d)) d
                    let g1, g2, g3 = grad (loss x y) p
                    close "grad w1" g1 (fun () -> let h, _, _ = grad (loss xd yd) pd in h) d
                    close "grad b1" g2 (fun () -> let _, h, _ = grad (loss xd yd) pd in h) d
                    close "grad w2" g3 (fun () -> let _, _, h = grad (loss xd yd) pd in h) d
                    let v, (_, _, gw2) = valueAndGrad (loss x y) p
                    close "value" v (fun () -> fst (valueAndGrad (loss xd yd) pd)) d
                    close "value_and_grad w2" gw2 (fun () -> let _, (_, _, h) = valueAndGrad (loss xd yd) pd in h) d
                    let forward (w: Tensor) (x: Tensor) = np.tanh (Np.Matmul(x, w))
                    let yv, dy = jvp (forward w1) x (x * 0.5)
                    close "jvp primal" yv (fun () -> fst (jvp (forward w1d) xd (xd * 0.5))) d
                    close "jvp tangent" dy (fun () -> snd (jvp (forward w1d) xd (xd * 0.5))) d
                    let _, pull = vjp (forward w1) x
                    close "vjp" (pull (np.onesLike yv)) (fun () -> let _, pullD = vjp (forward w1d) xd in pullD (np.onesLike (forward w1d xd))) d
                    let perExample (w: Tensor) (row: Tensor) = np.sum (forward w row)
                    close "vmap" (vmap (perExample w1) x) (fun () -> vmap (perExample w1d) xd) d
                    let gradW1 (x, y, b1, w2) (w1: Tensor) = let g, _, _ = grad (loss x y) (w1, b1, w2) in g
                    close "jit(grad)" (gradW1 (x, y, b1, w2) w1) (fun () -> jit (gradW1 (xd, yd, b1d, w2d)) w1d) d)

                onDevice "random programs (12, seed 11, no conds): jit, vmap and grad on the device match the CPU, or name the missing kernel" (fun d ->
                    let programs = Gen.sampleWithSeed (Rnd 11UL) 8 12 programGen
                    let rng = Random 11
                    printfn "opencl random programs: seed 11"
                    for program in programs do
                        let values () = Tensor.FromArray(Array.init 3 (fun _ -> float32 (rng.NextDouble() * 4.0 - 2.0)))
                        let x, y = values (), values ()
                        let f (x: Tensor, y: Tensor) = evaluate program x y
                        let xd, yd = devicePut d x, devicePut d y
                        close $"jit {program}" (f (x, y)) (fun () -> jit f (xd, yd)) d
                        let batch (t: Tensor) = np.stack 0 [ t; t * 0.5; -t ]
                        close $"vmap {program}" (vmap f (batch x, batch y)) (fun () -> vmap f (batch xd, batch yd)) d
                        let g (y: Tensor) (x: Tensor) = np.sum (evaluate program x y)
                        close $"grad {program}" (grad (g y) x) (fun () -> grad (g yd) xd) d) ] ]
