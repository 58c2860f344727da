using System.IO.Compression;
using JaxSharp;

namespace CSharpDigits;

/// <summary>Images (n, 64) float32 in [0, 1] and labels (n,) int32.</summary>
public sealed record Data(Tensor Images, Tensor Labels);

/// <summary>A dense layer's parameters; C# records are parameter trees.</summary>
public sealed record Layer(Tensor W, Tensor B);

/// <summary>The multilayer perceptron's parameters.</summary>
public sealed record Mlp(Layer Hidden, Layer Output);

/// <summary>What one epoch gave.</summary>
public sealed record Epoch(int Number, double Loss, double TestAccuracy);

/// <summary>The digits MLP in C#: Optim.Adam, a jitted training step, Jax.Vmap for evaluation and per-example gradients.</summary>
public static class Training
{
    /// <summary>The data file next to the program.</summary>
    public static string DataFile => Path.Combine(AppContext.BaseDirectory, "digits.csv.gz");

    /// <summary>Reads the csv.gz: 64 pixels (0..16) then the label, per line.</summary>
    public static Data Load(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',').Select(float.Parse).ToArray()).ToArray();
        var pixels = new float[rows.Length, 64];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < 64; j++) pixels[i, j] = rows[i][j] / 16f;
        return new Data(Np.Array(pixels), Np.Array(rows.Select(r => (int)r[64]).ToArray()));
    }

    /// <summary>Logits of images (..., 64).</summary>
    public static Tensor Forward(Mlp p, Tensor x) =>
        Np.Matmul(Nn.Relu(Np.Matmul(x, p.Hidden.W) + p.Hidden.B), p.Output.W) + p.Output.B;

    /// <summary>Mean cross-entropy of a batch; labels one-hot.</summary>
    public static Tensor Loss(Mlp p, Tensor x, Tensor y) => -Np.Mean(Np.Sum(y * Nn.LogSoftmax(Forward(p, x)), -1));

    /// <summary>The fraction of correctly classified images, one example at a time under vmap.</summary>
    public static double Accuracy(Mlp p, Data data)
    {
        var predicted = Jax.Vmap((Tensor x) => Np.Argmax(Forward(p, x)))(data.Images).ToArray<int>();
        return predicted.Zip(data.Labels.ToArray<int>(), (a, b) => a == b ? 1.0 : 0.0).Average();
    }

    /// <summary>The norm of each example's own gradient: vmap of grad.</summary>
    public static float[] PerExampleGradientNorms(Mlp p, Data data) =>
        Jax.VmapTree(((Tensor X, Tensor Y) e) => Optim.GlobalNorm(Tree.Leaves(Jax.GradTree((Mlp q) => Loss(q, e.X, e.Y))(p))))
            ((data.Images, Nn.OneHot(data.Labels, 10))).ToArray<float>();

    /// <summary>Trains from scratch for <paramref name="epochs"/>, calling <paramref name="report"/> after each.</summary>
    public static (Mlp Parameters, Data Test, List<Epoch> Epochs) Train(int epochs, Action<Epoch> report, int batchSize = 32, int hidden = 128, double learningRate = 3e-3, int seed = 0)
    {
        var (dataKey, rest) = Rng.Split2(Rng.Key(seed));
        var (initKey, shuffleKey) = Rng.Split2(rest);
        var all = Load(DataFile);
        var order = Rng.Permutation(dataKey, all.Labels.Shape[0]).ToArray<int>();
        var trainCount = order.Length * 4 / 5;
        Data Part(int[] indices) => new(Np.Take(all.Images, Np.Array(indices), 0), Np.Take(all.Labels, Np.Array(indices), 0));
        var (train, test) = (Part(order[..trainCount]), Part(order[trainCount..]));

        var (k1, k2) = Rng.Split2(initKey);
        var p = new Mlp(
            new Layer(Initializers.HeNormal()(k1, new Shape(64, hidden)), Np.Zeros(hidden)),
            new Layer(Initializers.GlorotNormal()(k2, new Shape(hidden, 10)), Np.Zeros(10)));
        var opt = Optim.Adam(learningRate);
        var state = opt.Init(p);
        // the loss, its gradient and the Adam update, compiled together
        var step = Jax.JitTree(((Mlp P, OptState S, Tensor X, Tensor Y) a) =>
        {
            var (value, grads) = Jax.ValueAndGradTree((Mlp q) => Loss(q, a.X, a.Y))(a.P);
            var (updates, next) = opt.Update(grads, a.S, a.P);
            return (Optim.ApplyUpdates(a.P, updates), next, value);
        });

        var history = new List<Epoch>();
        var batches = train.Labels.Shape[0] / batchSize;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var shuffled = Rng.Permutation(Rng.FoldIn(shuffleKey, epoch), train.Labels.Shape[0]).ToArray<int>();
            var total = 0.0;
            for (var b = 0; b < batches; b++)
            {
                var indices = Np.Array(shuffled[(b * batchSize)..((b + 1) * batchSize)]);
                var x = Np.Take(train.Images, indices, 0);
                var y = Nn.OneHot(Np.Take(train.Labels, indices, 0), 10);
                Tensor value;
                (p, state, value) = step((p, state, x, y));
                total += value.Item<float>();
            }
            var result = new Epoch(epoch, total / batches, Accuracy(p, test));
            report(result);
            history.Add(result);
        }
        return (p, test, history);
    }
}
