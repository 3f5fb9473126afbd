using MotorRT.Policies.Training.Export;

namespace MotorRT.Policies.Training.Imitation;

/// <summary>Settings of <see cref="MlpTrainer"/>.</summary>
public sealed record MlpTrainingOptions
{
    /// <summary>Hidden layer widths.</summary>
    public int[] Hidden { get; init; } = [32, 32];

    /// <summary>Hidden activation.</summary>
    public MlpActivation HiddenActivation { get; init; } = MlpActivation.Tanh;

    /// <summary>Output activation (Identity, Tanh or Clip to ±1).</summary>
    public MlpActivation OutputActivation { get; init; } = MlpActivation.Identity;

    /// <summary>Passes over the data.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam step size α.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Learning rate multiplier applied per epoch (1 = constant).</summary>
    public double LearningRateDecay { get; init; } = 0.93;

    /// <summary>Adam β₁.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β₂.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam ε.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>
    /// Optional residual connection of the trained network (see <see cref="Mlp.ResidualInputs"/>): per output, the input
    /// index whose scaled value is added to the output; the MLP then learns target − scale·input. Null = none.
    /// </summary>
    public int[]? ResidualInputs { get; init; }

    /// <summary>Scales of the residual connection (one per output).</summary>
    public float[]? ResidualScales { get; init; }

    /// <summary>Seed of the initialisation and the minibatch shuffling (same seed + data → identical network).</summary>
    public ulong Seed { get; init; } = 1;
}

/// <summary>Result of a training run.</summary>
/// <param name="Network">The trained network (float32 parameters).</param>
/// <param name="EpochLoss">Mean squared error over the data after each epoch (evaluated in double precision).</param>
public sealed record MlpTrainingResult(Mlp Network, double[] EpochLoss)
{
    /// <summary>MSE after the last epoch.</summary>
    public double FinalLoss => EpochLoss[^1];
}

/// <summary>
/// A small, deterministic supervised trainer for MLPs: mean-squared-error loss, minibatches drawn by a seeded
/// Fisher–Yates shuffle, Adam (Kingma and Ba) with bias correction, double-precision arithmetic in a fixed order
/// (so the same seed and data give the bit-identical network on the same runtime). Glorot-uniform initialisation.
/// Load-time/offline code: allocates freely.
/// </summary>
public static class MlpTrainer
{
    /// <summary>Trains a network on <paramref name="data"/>.</summary>
    public static MlpTrainingResult Train(ImitationDataset data, MlpTrainingOptions options)
    {
        if (data.Count == 0) throw new ArgumentException("no training data", nameof(data));
        int[] sizes = [data.InputSize, .. options.Hidden, data.TargetSize];
        int layers = sizes.Length - 1;
        var rng = new SplitMix64(options.Seed);

        var w = new double[layers][];
        var b = new double[layers][];
        var gw = new double[layers][];
        var gb = new double[layers][];
        var mw = new double[layers][];
        var vw = new double[layers][];
        var mb = new double[layers][];
        var vb = new double[layers][];
        for (int l = 0; l < layers; l++)
        {
            int n = sizes[l] * sizes[l + 1];
            double limit = Math.Sqrt(6.0 / (sizes[l] + sizes[l + 1]));
            w[l] = new double[n];
            for (int i = 0; i < n; i++) w[l][i] = (2.0 * rng.NextDouble() - 1.0) * limit;
            b[l] = new double[sizes[l + 1]];
            gw[l] = new double[n];
            gb[l] = new double[sizes[l + 1]];
            mw[l] = new double[n];
            vw[l] = new double[n];
            mb[l] = new double[sizes[l + 1]];
            vb[l] = new double[sizes[l + 1]];
        }

        // Per-layer activations a[0] = input, a[l+1] = act(z[l]); deltas per layer.
        var a = new double[layers + 1][];
        var z = new double[layers][];
        var delta = new double[layers][];
        for (int l = 0; l <= layers; l++) a[l] = new double[sizes[l]];
        for (int l = 0; l < layers; l++)
        {
            z[l] = new double[sizes[l + 1]];
            delta[l] = new double[sizes[l + 1]];
        }

        MlpActivation Act(int l) => l == layers - 1 ? options.OutputActivation : options.HiddenActivation;
        void Forward(ReadOnlySpan<double> x)
        {
            x.CopyTo(a[0]);
            for (int l = 0; l < layers; l++)
            {
                int nIn = sizes[l], nOut = sizes[l + 1];
                MlpActivation act = Act(l);
                for (int o = 0; o < nOut; o++)
                {
                    double s = b[l][o];
                    int row = o * nIn;
                    for (int i = 0; i < nIn; i++) s += w[l][row + i] * a[l][i];
                    z[l][o] = s;
                    a[l + 1][o] = act switch
                    {
                        MlpActivation.Relu => s > 0 ? s : 0,
                        MlpActivation.Tanh => Math.Tanh(s),
                        MlpActivation.Clip => Math.Clamp(s, -1.0, 1.0),
                        _ => s,
                    };
                }
            }
        }

        int count = data.Count;
        int[]? resIn = options.ResidualInputs;
        float[]? resScale = options.ResidualScales;
        if ((resIn is null) != (resScale is null) || (resIn is not null && (resIn.Length != data.TargetSize || resScale!.Length != data.TargetSize)))
        {
            throw new ArgumentException("give one residual input and one scale per output, or neither", nameof(options));
        }
        double Goal(int k, int o) => resIn is null ? data.Target(k)[o] : data.Target(k)[o] - (double)resScale![o] * (float)data.Input(k)[resIn[o]];
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        double lr = options.LearningRate;
        long step = 0;
        var epochLoss = new double[options.Epochs];
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            for (int i = count - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            for (int start = 0; start < count; start += options.BatchSize)
            {
                int end = Math.Min(count, start + options.BatchSize);
                for (int l = 0; l < layers; l++)
                {
                    Array.Clear(gw[l]);
                    Array.Clear(gb[l]);
                }
                for (int s = start; s < end; s++)
                {
                    int k = order[s];
                    Forward(data.Input(k));
                    for (int l = layers - 1; l >= 0; l--)
                    {
                        int nIn = sizes[l], nOut = sizes[l + 1];
                        MlpActivation act = Act(l);
                        for (int o = 0; o < nOut; o++)
                        {
                            double upstream;
                            if (l == layers - 1)
                            {
                                upstream = 2.0 * (a[l + 1][o] - Goal(k, o)) / data.TargetSize;
                            }
                            else
                            {
                                upstream = 0;
                                int nNext = sizes[l + 2];
                                for (int q = 0; q < nNext; q++) upstream += w[l + 1][q * nOut + o] * delta[l + 1][q];
                            }
                            double d = act switch
                            {
                                MlpActivation.Relu => z[l][o] > 0 ? 1 : 0,
                                MlpActivation.Tanh => 1 - a[l + 1][o] * a[l + 1][o],
                                MlpActivation.Clip => z[l][o] > -1 && z[l][o] < 1 ? 1 : 0,
                                _ => 1,
                            };
                            delta[l][o] = upstream * d;
                        }
                        for (int o = 0; o < nOut; o++)
                        {
                            double dl = delta[l][o];
                            gb[l][o] += dl;
                            int row = o * nIn;
                            for (int i = 0; i < nIn; i++) gw[l][row + i] += dl * a[l][i];
                        }
                    }
                }
                double scale = 1.0 / (end - start);
                step++;
                double c1 = 1 - Math.Pow(options.Beta1, step), c2 = 1 - Math.Pow(options.Beta2, step);
                for (int l = 0; l < layers; l++)
                {
                    AdamStep(w[l], gw[l], mw[l], vw[l], scale, lr, options, c1, c2);
                    AdamStep(b[l], gb[l], mb[l], vb[l], scale, lr, options, c1, c2);
                }
            }
            lr *= options.LearningRateDecay;

            double loss = 0;
            for (int k = 0; k < count; k++)
            {
                Forward(data.Input(k));
                for (int o = 0; o < data.TargetSize; o++)
                {
                    double e = a[layers][o] - Goal(k, o);
                    loss += e * e;
                }
            }
            epochLoss[epoch] = loss / ((double)count * data.TargetSize);
        }

        var mlpLayers = new List<MlpLayer>();
        for (int l = 0; l < layers; l++)
        {
            mlpLayers.Add(new MlpLayer(sizes[l], sizes[l + 1], Array.ConvertAll(w[l], v => (float)v), Array.ConvertAll(b[l], v => (float)v), Act(l)));
        }
        var network = new Mlp(mlpLayers);
        if (resIn is not null) network.WithResidual(resIn, resScale!);
        return new MlpTrainingResult(network, epochLoss);
    }

    private static void AdamStep(double[] p, double[] g, double[] m, double[] v, double scale, double lr, MlpTrainingOptions o, double c1, double c2)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double gi = g[i] * scale;
            m[i] = o.Beta1 * m[i] + (1 - o.Beta1) * gi;
            v[i] = o.Beta2 * v[i] + (1 - o.Beta2) * gi * gi;
            p[i] -= lr * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + o.Epsilon);
        }
    }
}
