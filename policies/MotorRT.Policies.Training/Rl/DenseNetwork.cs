using System.Numerics;
using System.Numerics.Tensors;
using MotorRT.Policies.Training.Export;

namespace MotorRT.Policies.Training.Rl;

/// <summary>
/// A trainable float32 MLP for reinforcement learning: batched forward and backward passes over row-major
/// [batch, width] buffers with SIMD (a register-blocked Vector&lt;float&gt; matrix kernel, TensorPrimitives), gradients, Adam and Polyak
/// averaging. Single-threaded and deterministic: the same parameters and inputs give bit-identical results on a given
/// machine. Layers are dense, y = act(W·x + b) with W row-major [outputs, inputs] (torch's Linear layout).
/// </summary>
public sealed class DenseNetwork
{
    private readonly int[] _sizes;
    private readonly MlpActivation[] _activations;
    private readonly MlpActivation _hidden;
    private readonly float[][] _w, _b, _gw, _gb, _mw, _vw, _mb, _vb, _wt;
    private readonly long[] _wtVersion;
    private readonly float[] _gradTemp;
    private float[][] _act = [];
    private float[] _delta = [], _deltaNext = [], _dzT = [];
    private long _version = 1;
    private int _capacity, _batch;
    private long _adamSteps;

    /// <summary>Creates a network with torch's default Linear initialisation, U(±1/√inputs) for weights and biases, from a seed.</summary>
    /// <param name="sizes">Widths from input to output, e.g. [6, 64, 64, 1].</param>
    /// <param name="hidden">Activation of the hidden layers.</param>
    /// <param name="output">Activation of the output layer (Tanh for an actor, Identity for a critic; Clip = hard tanh to
    /// [−1, 1], torch's Hardtanh: its gradient is 1 strictly inside and 0 at and beyond the bounds).</param>
    /// <param name="seed">Initialisation seed.</param>
    public DenseNetwork(ReadOnlySpan<int> sizes, MlpActivation hidden, MlpActivation output, ulong seed)
    {
        if (sizes.Length < 2) throw new ArgumentException("give at least the input and output widths", nameof(sizes));
        foreach (int s in sizes)
        {
            if (s <= 0) throw new ArgumentOutOfRangeException(nameof(sizes), "layer widths must be positive");
        }
        if (hidden == MlpActivation.Clip) throw new ArgumentException("Clip has no useful gradient in hidden layers; use Relu or Tanh", nameof(hidden));
        _sizes = sizes.ToArray();
        _hidden = hidden;
        int layers = _sizes.Length - 1;
        _activations = new MlpActivation[layers];
        _w = new float[layers][]; _b = new float[layers][];
        _gw = new float[layers][]; _gb = new float[layers][];
        _mw = new float[layers][]; _vw = new float[layers][];
        _mb = new float[layers][]; _vb = new float[layers][];
        _wt = new float[layers][]; _wtVersion = new long[layers];
        int largest = 0;
        for (int l = 0; l < layers; l++) largest = Math.Max(largest, _sizes[l] * _sizes[l + 1]);
        _gradTemp = new float[largest];
        var rng = new SplitMix64(seed);
        for (int l = 0; l < layers; l++)
        {
            int nIn = _sizes[l], nOut = _sizes[l + 1];
            _activations[l] = l == layers - 1 ? output : hidden;
            _w[l] = new float[nIn * nOut]; _b[l] = new float[nOut];
            _gw[l] = new float[nIn * nOut]; _gb[l] = new float[nOut];
            _mw[l] = new float[nIn * nOut]; _vw[l] = new float[nIn * nOut];
            _mb[l] = new float[nOut]; _vb[l] = new float[nOut];
            _wt[l] = new float[nIn * nOut];
            double bound = 1.0 / Math.Sqrt(nIn);
            for (int i = 0; i < _w[l].Length; i++) _w[l][i] = (float)((2.0 * rng.NextDouble() - 1.0) * bound);
            for (int i = 0; i < nOut; i++) _b[l][i] = (float)((2.0 * rng.NextDouble() - 1.0) * bound);
        }
    }

    /// <summary>
    /// A network with the widths and parameters of <paramref name="mlp"/> (e.g. an actor initialised from a YANN network
    /// of an explicit MPC law): every hidden layer must share one activation (Relu or Tanh); the output may be Identity,
    /// Tanh or Clip to [−1, 1]. The optimiser state starts at zero.
    /// </summary>
    public static DenseNetwork FromMlp(Mlp mlp)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        IReadOnlyList<MlpLayer> layers = mlp.Layers;
        MlpActivation hidden = layers.Count > 1 ? layers[0].Activation : MlpActivation.Relu;
        for (int l = 0; l < layers.Count - 1; l++)
        {
            if (layers[l].Activation != hidden || hidden is not (MlpActivation.Relu or MlpActivation.Tanh))
            {
                throw new ArgumentException($"layer {l}: hidden layers must all be Relu or all Tanh (got {layers[l].Activation} after {hidden})", nameof(mlp));
            }
        }
        MlpLayer last = layers[^1];
        if (last.Activation == MlpActivation.Clip && (last.ClipLow != -1f || last.ClipHigh != 1f))
        {
            throw new ArgumentException("an output Clip must be to [-1, 1]", nameof(mlp));
        }
        if (last.Activation == MlpActivation.Relu) throw new ArgumentException("the output layer must be Identity, Tanh or Clip", nameof(mlp));
        int[] sizes = [layers[0].Inputs, .. layers.Select(l => l.Outputs)];
        var net = new DenseNetwork(sizes, hidden, last.Activation, 0);
        for (int l = 0; l < layers.Count; l++)
        {
            layers[l].Weights.CopyTo(net._w[l], 0);
            layers[l].Bias.CopyTo(net._b[l], 0);
        }
        net._version++;
        return net;
    }

    /// <summary>Activation of the output layer.</summary>
    public MlpActivation OutputActivation => _activations[^1];

    /// <summary>Input width.</summary>
    public int InputSize => _sizes[0];

    /// <summary>Output width.</summary>
    public int OutputSize => _sizes[^1];

    /// <summary>Number of dense layers.</summary>
    public int LayerCount => _w.Length;

    /// <summary>Widths from input to output.</summary>
    public ReadOnlySpan<int> Sizes => _sizes;

    /// <summary>Total number of parameters (weights and biases).</summary>
    public int ParameterCount
    {
        get
        {
            int n = 0;
            for (int l = 0; l < _w.Length; l++) n += _w[l].Length + _b[l].Length;
            return n;
        }
    }

    /// <summary>
    /// Weights of layer <paramref name="layer"/>, row-major [outputs, inputs], writable (e.g. for a gradient check):
    /// write through a span obtained after the last <see cref="Forward"/> (the forward pass caches a transposed copy).
    /// </summary>
    public Span<float> Weights(int layer)
    {
        _version++;
        return _w[layer];
    }

    /// <summary>Biases of layer <paramref name="layer"/> (writable).</summary>
    public Span<float> Biases(int layer) => _b[layer];

    /// <summary>Accumulated weight gradient of layer <paramref name="layer"/>.</summary>
    public ReadOnlySpan<float> WeightGradient(int layer) => _gw[layer];

    /// <summary>Accumulated bias gradient of layer <paramref name="layer"/>.</summary>
    public ReadOnlySpan<float> BiasGradient(int layer) => _gb[layer];

    /// <summary>
    /// Forward pass on <paramref name="batch"/> row-major inputs [batch, InputSize]; returns the outputs
    /// [batch, OutputSize] (valid until the next forward pass). The activations are kept for <see cref="Backward"/>.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch));
        if (input.Length < batch * InputSize) throw new ArgumentException($"expected {batch * InputSize} inputs, got {input.Length}", nameof(input));
        EnsureCapacity(batch);
        _batch = batch;
        input[..(batch * InputSize)].CopyTo(_act[0]);
        for (int l = 0; l < _w.Length; l++)
        {
            int nIn = _sizes[l], nOut = _sizes[l + 1];
            float[] x = _act[l], y = _act[l + 1], bias = _b[l];
            if (_wtVersion[l] != _version)
            {
                MatMul.Transpose(_w[l], nOut, nIn, _wt[l]);
                _wtVersion[l] = _version;
            }
            for (int s = 0; s < batch; s++) bias.CopyTo(y, s * nOut);
            MatMul.Multiply(x, batch, nIn, _wt[l], nOut, y, accumulate: true);
            Span<float> all = y.AsSpan(0, batch * nOut);
            switch (_activations[l])
            {
                case MlpActivation.Relu: TensorPrimitives.Max(all, 0f, all); break;
                case MlpActivation.Tanh: TensorPrimitives.Tanh(all, all); break;
                case MlpActivation.Clip: TensorPrimitives.Max(all, -1f, all); TensorPrimitives.Min(all, 1f, all); break;
            }
        }
        return _act[^1].AsSpan(0, batch * OutputSize);
    }

    /// <summary>
    /// Backward pass of the last <see cref="Forward"/>: <paramref name="outputGradient"/> is ∂L/∂output [batch,
    /// OutputSize]. With <paramref name="accumulateParameters"/> the parameter gradients are added to the accumulated
    /// ones (see <see cref="ZeroGradients"/>); <paramref name="inputGradient"/>, when not empty, receives ∂L/∂input
    /// [batch, InputSize] (e.g. ∂Q/∂action of a critic for the actor's update).
    /// </summary>
    public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, bool accumulateParameters = true)
    {
        int batch = _batch;
        if (batch == 0) throw new InvalidOperationException("call Forward before Backward");
        if (outputGradient.Length < batch * OutputSize) throw new ArgumentException($"expected {batch * OutputSize} gradients", nameof(outputGradient));
        bool wantInput = !inputGradient.IsEmpty;
        if (wantInput && inputGradient.Length < batch * InputSize) throw new ArgumentException($"the input gradient needs {batch * InputSize} elements", nameof(inputGradient));
        outputGradient[..(batch * OutputSize)].CopyTo(_delta);
        for (int l = _w.Length - 1; l >= 0; l--)
        {
            int nIn = _sizes[l], nOut = _sizes[l + 1];
            float[] x = _act[l], y = _act[l + 1];
            Span<float> dz = _delta.AsSpan(0, batch * nOut);
            ReadOnlySpan<float> ya = y.AsSpan(0, batch * nOut);
            switch (_activations[l])
            {
                case MlpActivation.Relu:
                    for (int i = 0; i < dz.Length; i++) if (!(ya[i] > 0f)) dz[i] = 0f;
                    break;
                case MlpActivation.Tanh:
                    for (int i = 0; i < dz.Length; i++) dz[i] *= 1f - ya[i] * ya[i];
                    break;
                case MlpActivation.Clip:
                    for (int i = 0; i < dz.Length; i++) if (!(ya[i] > -1f && ya[i] < 1f)) dz[i] = 0f;
                    break;
            }
            if (accumulateParameters)
            {
                float[] gb = _gb[l];
                for (int s = 0; s < batch; s++) TensorPrimitives.Add(gb, dz.Slice(s * nOut, nOut), gb);
                ReadOnlySpan<float> xs = x.AsSpan(0, batch * nIn);
                if (nIn >= System.Numerics.Vector<float>.Count)
                {
                    // ∂W[out, in] += dZᵀ[out, B] · X[B, in]
                    MatMul.Transpose(dz, batch, nOut, _dzT);
                    MatMul.Multiply(_dzT, nOut, batch, xs, nIn, _gw[l], accumulate: true);
                }
                else
                {
                    // narrow input: ∂Wᵀ[in, out] = Xᵀ[in, B] · dZ[B, out], added transposed
                    MatMul.Transpose(xs, batch, nIn, _dzT);
                    Span<float> gwT = _gradTemp.AsSpan(0, nIn * nOut);
                    MatMul.Multiply(_dzT, nIn, batch, dz, nOut, gwT, accumulate: false);
                    float[] gw = _gw[l];
                    for (int i = 0; i < nIn; i++)
                    {
                        for (int o = 0; o < nOut; o++) gw[o * nIn + i] += gwT[i * nOut + o];
                    }
                }
            }
            if (l == 0 && !wantInput) break;
            // ∂X[B, in] = dZ[B, out] · W[out, in]
            Span<float> dx = l == 0 ? inputGradient[..(batch * nIn)] : _deltaNext.AsSpan(0, batch * nIn);
            MatMul.Multiply(dz, batch, nOut, _w[l], nIn, dx, accumulate: false);
            if (l > 0) (_delta, _deltaNext) = (_deltaNext, _delta);
        }
    }

    /// <summary>Sets the accumulated gradients to zero.</summary>
    public void ZeroGradients()
    {
        for (int l = 0; l < _w.Length; l++)
        {
            Array.Clear(_gw[l]);
            Array.Clear(_gb[l]);
        }
    }

    /// <summary>
    /// One Adam step on the accumulated gradients (torch.optim.Adam: bias-corrected moments,
    /// p −= lr/(1−β₁ᵗ)·m / (√v/√(1−β₂ᵗ) + ε)).
    /// </summary>
    public void AdamStep(double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _adamSteps++;
        _version++;
        double bc1 = 1.0 - Math.Pow(beta1, _adamSteps), bc2 = 1.0 - Math.Pow(beta2, _adamSteps);
        var h = new AdamHyper((float)beta1, (float)beta2, (float)(learningRate / bc1), (float)(1.0 / Math.Sqrt(bc2)), (float)epsilon);
        for (int l = 0; l < _w.Length; l++)
        {
            Adam(_w[l], _gw[l], _mw[l], _vw[l], h);
            Adam(_b[l], _gb[l], _mb[l], _vb[l], h);
        }
    }

    private readonly record struct AdamHyper(float Beta1, float Beta2, float StepSize, float InvSqrtBc2, float Epsilon);

    private static void Adam(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, AdamHyper h)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b1 = new Vector<float>(h.Beta1); var c1 = new Vector<float>(1f - h.Beta1);
            var b2 = new Vector<float>(h.Beta2); var c2 = new Vector<float>(1f - h.Beta2);
            var step = new Vector<float>(h.StepSize); var inv = new Vector<float>(h.InvSqrtBc2); var eps = new Vector<float>(h.Epsilon);
            int n = Vector<float>.Count;
            for (; i + n <= p.Length; i += n)
            {
                var gi = new Vector<float>(g[i..]);
                var mi = b1 * new Vector<float>(m[i..]) + c1 * gi;
                var vi = b2 * new Vector<float>(v[i..]) + c2 * gi * gi;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (new Vector<float>(p[i..]) - step * mi / (Vector.SquareRoot(vi) * inv + eps)).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            m[i] = h.Beta1 * m[i] + (1f - h.Beta1) * g[i];
            v[i] = h.Beta2 * v[i] + (1f - h.Beta2) * g[i] * g[i];
            p[i] -= h.StepSize * m[i] / (MathF.Sqrt(v[i]) * h.InvSqrtBc2 + h.Epsilon);
        }
    }

    /// <summary>Polyak averaging toward <paramref name="source"/>: θ ← (1 − τ)·θ + τ·θ_source (a target network's update).</summary>
    public void PolyakUpdate(DenseNetwork source, double tau)
    {
        CheckSameShape(source);
        float keep = (float)(1.0 - tau), take = (float)tau;
        _version++;
        for (int l = 0; l < _w.Length; l++)
        {
            Blend(_w[l], source._w[l], keep, take);
            Blend(_b[l], source._b[l], keep, take);
        }
    }

    private static void Blend(Span<float> target, ReadOnlySpan<float> source, float keep, float take)
    {
        TensorPrimitives.Multiply(target, keep, target);
        TensorPrimitives.MultiplyAdd(source, take, target, target);
    }

    /// <summary>Copies the parameters of <paramref name="source"/> (same shape) into this network.</summary>
    public void CopyParametersFrom(DenseNetwork source)
    {
        CheckSameShape(source);
        _version++;
        for (int l = 0; l < _w.Length; l++)
        {
            source._w[l].CopyTo(_w[l], 0);
            source._b[l].CopyTo(_b[l], 0);
        }
    }

    /// <summary>An independent copy with the same parameters (fresh optimiser state), e.g. a target network.</summary>
    public DenseNetwork Clone()
    {
        var copy = new DenseNetwork(_sizes, _hidden, _activations[^1], 0);
        copy.CopyParametersFrom(this);
        return copy;
    }

    /// <summary>The network as an exportable <see cref="Mlp"/> (parameters copied).</summary>
    public Mlp ToMlp()
    {
        var layers = new MlpLayer[_w.Length];
        for (int l = 0; l < _w.Length; l++) layers[l] = new MlpLayer(_sizes[l], _sizes[l + 1], [.. _w[l]], [.. _b[l]], _activations[l]);
        return new Mlp(layers);
    }

    /// <summary>Writes the parameters (a checkpoint) as little-endian float32 after the widths.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_sizes.Length);
        foreach (int s in _sizes) writer.Write(s);
        for (int l = 0; l < _w.Length; l++)
        {
            foreach (float f in _w[l]) writer.Write(f);
            foreach (float f in _b[l]) writer.Write(f);
        }
    }

    /// <summary>Reads parameters written by <see cref="Save"/> into this network (the widths must match).</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int n = reader.ReadInt32();
        if (n != _sizes.Length) throw new InvalidDataException($"checkpoint has {n - 1} layers, the network {LayerCount}");
        for (int i = 0; i < n; i++)
        {
            int s = reader.ReadInt32();
            if (s != _sizes[i]) throw new InvalidDataException($"checkpoint width {i} is {s}, the network's {_sizes[i]}");
        }
        _version++;
        for (int l = 0; l < _w.Length; l++)
        {
            for (int i = 0; i < _w[l].Length; i++) _w[l][i] = reader.ReadSingle();
            for (int i = 0; i < _b[l].Length; i++) _b[l][i] = reader.ReadSingle();
        }
    }

    private void CheckSameShape(DenseNetwork other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other._sizes.AsSpan().SequenceEqual(_sizes)) throw new ArgumentException("the networks have different widths", nameof(other));
    }

    private void EnsureCapacity(int batch)
    {
        if (batch <= _capacity) return;
        _capacity = batch;
        _act = new float[_sizes.Length][];
        int widest = 0;
        for (int i = 0; i < _sizes.Length; i++)
        {
            _act[i] = new float[batch * _sizes[i]];
            widest = Math.Max(widest, _sizes[i]);
        }
        _delta = new float[batch * widest];
        _deltaNext = new float[batch * widest];
        _dzT = new float[batch * widest];
    }
}
