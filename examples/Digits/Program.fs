/// Trains the digits MLP with a progress bar, prints the test accuracy and per-example gradient
/// norms, and writes the loss and accuracy curves as a PNG.
module Digits.Program

open System
open System.Diagnostics
open System.IO
open Spectre.Console
open Digits.Training

/// The loss and accuracy curves, as a PNG; returns its full path.
let plot (epochs: Epoch list) (path: string) =
    use plot = new ScottPlot.Plot()
    let x = epochs |> List.map (fun e -> float e.Number) |> Array.ofList
    let lossLine = plot.Add.Scatter(x, epochs |> List.map (fun e -> e.Loss) |> Array.ofList)
    lossLine.LegendText <- "training loss"
    let accuracyLine = plot.Add.Scatter(x, epochs |> List.map (fun e -> e.TestAccuracy) |> Array.ofList)
    accuracyLine.LegendText <- "test accuracy"
    plot.Title "An MLP on the UCI digits (JaxSharp, optim.adam)"
    plot.XLabel "epoch"
    plot.ShowLegend() |> ignore
    plot.SavePng(path, 800, 450) |> ignore
    Path.GetFullPath path

[<EntryPoint>]
let main args =
    let settings =
        match args with
        | [| epochs |] -> { defaults with Epochs = int epochs }
        | _ -> defaults
    let clock = Stopwatch.StartNew()
    let mutable result = Unchecked.defaultof<_>
    AnsiConsole
        .Progress()
        .Columns(TaskDescriptionColumn(), ProgressBarColumn(), PercentageColumn(), ElapsedTimeColumn())
        .Start(fun ctx ->
            let task = ctx.AddTask("training", maxValue = float settings.Epochs)
            result <-
                train settings (fun e ->
                    task.Description <- $"epoch {e.Number,2}: loss {e.Loss:F4}, test accuracy {e.TestAccuracy:P1}"
                    task.Increment 1.0))
    let p, testSet, epochs = result
    let seconds = clock.Elapsed.TotalSeconds
    let final = List.last epochs
    AnsiConsole.MarkupLine($"[green]test accuracy {final.TestAccuracy:P2}[/] after {settings.Epochs} epochs in {seconds:F1} s")
    let norms = perExampleGradientNorms p testSet
    let sorted = Array.sort norms
    AnsiConsole.MarkupLine(
        $"per-example gradient norms over the {norms.Length} test images (vmap of grad): median {sorted[sorted.Length / 2]:F4}, " +
        $"largest {sorted[sorted.Length - 1]:F4} (the hardest example)")
    let png = plot epochs "digits-training.png"
    AnsiConsole.MarkupLine($"loss and accuracy curves: [blue]{Markup.Escape png}[/]")
    0
