using System.Diagnostics;
using CSharpDigits;
using Spectre.Console;

// Trains the digits MLP with a progress bar, prints accuracy and per-example gradient norms, plots the curves.
var epochs = args.Length == 1 ? int.Parse(args[0]) : 30;
var clock = Stopwatch.StartNew();
var result = AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .Start(ctx =>
    {
        var task = ctx.AddTask("training", maxValue: epochs);
        return Training.Train(epochs, e =>
        {
            task.Description = $"epoch {e.Number,2}: loss {e.Loss:F4}, test accuracy {e.TestAccuracy:P1}";
            task.Increment(1);
        });
    });
var final = result.Epochs[^1];
AnsiConsole.MarkupLine($"[green]test accuracy {final.TestAccuracy:P2}[/] after {epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s");
var norms = Training.PerExampleGradientNorms(result.Parameters, result.Test).Order().ToArray();
AnsiConsole.MarkupLine($"per-example gradient norms over the {norms.Length} test images (vmap of grad): median {norms[norms.Length / 2]:F4}, largest {norms[^1]:F4}");

using var plot = new ScottPlot.Plot();
var x = result.Epochs.Select(e => (double)e.Number).ToArray();
plot.Add.Scatter(x, result.Epochs.Select(e => e.Loss).ToArray()).LegendText = "training loss";
plot.Add.Scatter(x, result.Epochs.Select(e => e.TestAccuracy).ToArray()).LegendText = "test accuracy";
plot.Title("An MLP on the UCI digits (JaxSharp from C#, Optim.Adam)");
plot.XLabel("epoch");
plot.ShowLegend();
plot.SavePng("csharp-digits-training.png", 800, 450);
AnsiConsole.MarkupLine($"loss and accuracy curves: [blue]{Markup.Escape(Path.GetFullPath("csharp-digits-training.png"))}[/]");
