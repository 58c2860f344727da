using CSharpQuickstart;

Console.WriteLine($"selu: {ReadmeSnippets.Selu()}");
Console.WriteLine($"per-example gradients: {ReadmeSnippets.PerExampleGradients()}");
Console.WriteLine($"custom rule: {ReadmeSnippets.CustomRule()}");
