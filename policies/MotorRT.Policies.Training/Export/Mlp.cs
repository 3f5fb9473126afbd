
namespace MotorRT.Policies.Training.Export;

/// <summary>Element-wise activation after a dense layer.</summary>
public enum MlpActivation
{
    /// <summary>None (linear output).</summary>
    Identity = 0,

    /// <summary>max(0, x).</summary>
    Relu = 1,

    /// <summary>tanh(x).</summary>
    Tanh = 2,

    /// <summary>Clip to [<see cref="MlpLayer.ClipLow"/>, <see cref="MlpLayer.ClipHigh"/>] (hard tanh for ±1).</summary>
    Clip = 3,
}

/// <summary>One dense layer y = act(W·x + b) with W stored row-major as [outputs, inputs] (torch's Linear layout).</summary>
public sealed class MlpLayer
{
    /// <summary>Creates a layer; checks the array lengths.</summary>
    public MlpLayer(int inputs, int outputs, float[] weights, float[] bias, MlpActivation activation, float clipLow = -1f, float clipHigh = 1f)
    {
        if (inputs <= 0 || outputs <= 0) throw new ArgumentOutOfRangeException(nameof(inputs), "layer sizes must be positive");
        if (weights.Length != inputs * outputs) throw new ArgumentException($"expected {inputs * outputs} weights, got {weights.Length}", nameof(weights));
        if (bias.Length != outputs) throw new ArgumentException($"expected {outputs} biases, got {bias.Length}", nameof(bias));
        if (activation == MlpActivation.Clip && !(clipLow < clipHigh)) throw new ArgumentException("clip bounds must satisfy low < high", nameof(clipLow));
        Inputs = inputs;
        Outputs = outputs;
        Weights = weights;
        Bias = bias;
        Activation = activation;
        ClipLow = clipLow;
        ClipHigh = clipHigh;
    }

    /// <summary>Input width.</summary>
    public int Inputs { get; }

    /// <summary>Output width.</summary>
    public int Outputs { get; }

    /// <summary>Weights, row-major [Outputs, Inputs].</summary>
    public float[] Weights { get; }

    /// <summary>Biases [Outputs].</summary>
    public float[] Bias { get; }

    /// <summary>Activation applied after the affine map.</summary>
    public MlpActivation Activation { get; }

    /// <summary>Lower clip bound (for <see cref="MlpActivation.Clip"/>).</summary>
    public float ClipLow { get; }

    /// <summary>Upper clip bound (for <see cref="MlpActivation.Clip"/>).</summary>
    public float ClipHigh { get; }
}

/// <summary>
/// A multilayer perceptron with float32 parameters, the network family MotorRT writes to ONNX. <see cref="Forward"/>
/// is a plain C# reference forward pass (accumulating in double, rounding to float per layer like a float32 engine
/// would store activations), used to check ONNX Runtime's results and to run a policy without ONNX.
/// </summary>
public sealed class Mlp
{
    private readonly float[][] _scratch;
    private readonly MlpLayer[] _layers;

    /// <summary>Creates a network from its layers; consecutive widths must agree.</summary>
    public Mlp(IReadOnlyList<MlpLayer> layers)
    {
        if (layers.Count == 0) throw new ArgumentException("an MLP needs at least one layer", nameof(layers));
        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i].Inputs != layers[i - 1].Outputs)
            {
                throw new ArgumentException($"layer {i} expects {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs}", nameof(layers));
            }
        }
        Layers = layers;
        _layers = [.. layers];
        _scratch = new float[layers.Count][];
        for (int i = 0; i < layers.Count; i++) _scratch[i] = new float[layers[i].Outputs];
    }

    /// <summary>
    /// Optional residual (skip) connection: output[o] += ResidualScales[o] · input[ResidualInputs[o]]. Lets a network
    /// learn an increment on an observed quantity (e.g. the previous duty), which keeps a memoryless policy's
    /// equilibrium exact where the increment is zero. Null = none.
    /// </summary>
    public int[]? ResidualInputs { get; private set; }

    /// <summary>Scales of the residual connection (see <see cref="ResidualInputs"/>).</summary>
    public float[]? ResidualScales { get; private set; }

    /// <summary>Adds a residual connection (see <see cref="ResidualInputs"/>); returns this network.</summary>
    public Mlp WithResidual(int[] inputs, float[] scales)
    {
        if (inputs.Length != OutputSize || scales.Length != OutputSize) throw new ArgumentException("give one residual input and scale per output", nameof(inputs));
        foreach (int i in inputs)
        {
            if (i < 0 || i >= InputSize) throw new ArgumentOutOfRangeException(nameof(inputs), $"residual input {i} outside [0, {InputSize})");
        }
        ResidualInputs = inputs;
        ResidualScales = scales;
        return this;
    }

    /// <summary>Layers from input to output.</summary>
    public IReadOnlyList<MlpLayer> Layers { get; }

    /// <summary>Input width.</summary>
    public int InputSize => Layers[0].Inputs;

    /// <summary>Output width.</summary>
    public int OutputSize => Layers[^1].Outputs;

    /// <summary>Layer widths from input to output, e.g. [8, 64, 64, 2].</summary>
    public int[] Sizes
    {
        get
        {
            var s = new int[Layers.Count + 1];
            s[0] = InputSize;
            for (int i = 0; i < Layers.Count; i++) s[i + 1] = Layers[i].Outputs;
            return s;
        }
    }

    /// <summary>
    /// A network with the given widths and Glorot-uniform weights from a seeded generator (deterministic), zero biases.
    /// </summary>
    public static Mlp CreateRandom(ReadOnlySpan<int> sizes, MlpActivation hidden, MlpActivation output, ulong seed)
    {
        if (sizes.Length < 2) throw new ArgumentException("give at least input and output widths", nameof(sizes));
        var rng = new SplitMix64(seed);
        var layers = new List<MlpLayer>();
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            int nIn = sizes[l], nOut = sizes[l + 1];
            double limit = Math.Sqrt(6.0 / (nIn + nOut));
            var w = new float[nIn * nOut];
            for (int i = 0; i < w.Length; i++) w[i] = (float)((2.0 * rng.NextDouble() - 1.0) * limit);
            layers.Add(new MlpLayer(nIn, nOut, w, new float[nOut], l + 2 == sizes.Length ? output : hidden));
        }
        return new Mlp(layers);
    }

    /// <summary>Runs the network on one input vector. Allocation-free; not thread-safe (uses internal scratch).</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != InputSize) throw new ArgumentException($"expected {InputSize} inputs, got {input.Length}", nameof(input));
        if (output.Length < OutputSize) throw new ArgumentException($"output needs {OutputSize} elements", nameof(output));
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            MlpLayer layer = _layers[l];
            float[] y = _scratch[l];
            float[] weights = layer.Weights;
            float[] bias = layer.Bias;
            int nIn = layer.Inputs;
            for (int o = 0; o < y.Length; o++)
            {
                ReadOnlySpan<float> row = weights.AsSpan(o * nIn, nIn);
                ReadOnlySpan<float> xs = x[..nIn];
                double acc = bias[o];
                for (int i = 0; i < row.Length; i++) acc += (double)row[i] * xs[i];
                y[o] = Activate((float)acc, layer);
            }
            x = y;
        }
        x[..OutputSize].CopyTo(output);
        if (ResidualInputs is not null)
        {
            for (int o = 0; o < OutputSize; o++) output[o] = (float)(output[o] + (double)ResidualScales![o] * input[ResidualInputs[o]]);
        }
    }

    private static float Activate(float v, MlpLayer layer) => layer.Activation switch
    {
        MlpActivation.Relu => v > 0f ? v : 0f,
        MlpActivation.Tanh => MathF.Tanh(v),
        MlpActivation.Clip => Math.Clamp(v, layer.ClipLow, layer.ClipHigh),
        _ => v,
    };
}

/// <summary>SplitMix64: a tiny, fast, seedable generator whose sequence is fixed by its algorithm (reproducible everywhere).</summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>Seeds the generator.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="n"/>).</summary>
    public int NextInt(int n) => (int)((NextUInt64() >> 33) % (ulong)n);

    /// <summary>Standard normal sample (Box–Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
