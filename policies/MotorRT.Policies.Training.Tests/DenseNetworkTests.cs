using MotorRT.Policies.Training.Export;
using MotorRT.Policies.Training.Rl;

namespace MotorRT.Policies.Training.Tests;

public class DenseNetworkTests
{
    private delegate Span<float> ParameterSpan();

    // L = Σ c ⊙ net(x) over a batch; the analytic gradients must match central differences.
    [Theory]
    [InlineData(MlpActivation.Tanh, MlpActivation.Tanh)]
    [InlineData(MlpActivation.Relu, MlpActivation.Identity)]
    [InlineData(MlpActivation.Relu, MlpActivation.Clip)]
    public void BackwardMatchesFiniteDifferences(MlpActivation hidden, MlpActivation output)
    {
        // Widths and batch chosen to hit every kernel path: 2-vector and 1-vector column blocks, scalar column tails,
        // 4-row blocks and row tails, narrow (< vector width) and wide inputs.
        const int batch = 6;
        var net = new DenseNetwork([3, 37, 11, 2], hidden, output, seed: 11);
        var rng = new SplitMix64(3);
        float[] x = new float[batch * 3], c = new float[batch * 2];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(2 * rng.NextDouble() - 1);
        for (int i = 0; i < c.Length; i++) c[i] = (float)(2 * rng.NextDouble() - 1);
        double Loss()
        {
            ReadOnlySpan<float> y = net.Forward(x, batch);
            double l = 0;
            for (int i = 0; i < y.Length; i++) l += (double)c[i] * y[i];
            return l;
        }
        Loss();
        net.ZeroGradients();
        var dx = new float[x.Length];
        net.Backward(c, dx);
        // A ReLU kink within ±h would spoil the difference quotient: smaller steps there (float32 rounding allows it).
        float h = hidden == MlpActivation.Relu ? 1e-3f : 1e-2f;
        // The parameter span is fetched anew for every write: Forward caches a transposed copy of the weights.
        double Numeric(ParameterSpan get, int i)
        {
            float keep = get()[i];
            get()[i] = keep + h; double up = Loss();
            get()[i] = keep - h; double down = Loss();
            get()[i] = keep;
            return (up - down) / (2 * h);
        }
        int checkedCount = 0;
        for (int l = 0; l < net.LayerCount; l++)
        {
            float[] gw = net.WeightGradient(l).ToArray(), gb = net.BiasGradient(l).ToArray();
            for (int i = 0; i < gw.Length; i++) { AssertClose(gw[i], Numeric(() => net.Weights(l), i), $"W{l}[{i}]"); checkedCount++; }
            for (int i = 0; i < gb.Length; i++) { AssertClose(gb[i], Numeric(() => net.Biases(l), i), $"b{l}[{i}]"); checkedCount++; }
        }
        for (int i = 0; i < x.Length; i++) AssertClose(dx[i], Numeric(() => x.AsSpan(), i), $"x[{i}]");
        Assert.Equal(net.ParameterCount, checkedCount);
    }

    private static void AssertClose(double analytic, double numeric, string what)
    {
        double tol = 2e-3 + 1e-2 * Math.Abs(numeric);
        Assert.True(Math.Abs(analytic - numeric) <= tol, $"{what}: analytic {analytic:G6} vs finite difference {numeric:G6}");
    }

    [Fact]
    public void ExportedMlpComputesTheSameOutputs()
    {
        var net = new DenseNetwork([4, 16, 16, 2], MlpActivation.Relu, MlpActivation.Tanh, seed: 5);
        Mlp mlp = net.ToMlp();
        var rng = new SplitMix64(9);
        var x = new float[4];
        var y = new float[2];
        for (int t = 0; t < 20; t++)
        {
            for (int i = 0; i < 4; i++) x[i] = (float)(4 * rng.NextDouble() - 2);
            float[] expected = net.Forward(x, 1).ToArray();
            mlp.Forward(x, y);
            for (int i = 0; i < 2; i++) Assert.Equal(expected[i], y[i], 1e-5f);
        }
    }

    [Fact]
    public void AdamFitsALinearMap()
    {
        var net = new DenseNetwork([2, 1], MlpActivation.Identity, MlpActivation.Identity, seed: 1);
        float[] x = [1, 0, 0, 1, 1, 1, -1, 2];
        float[] target = [3, -2, 1, -7]; // y = 3·x0 − 2·x1
        var dy = new float[4];
        for (int it = 0; it < 2000; it++)
        {
            ReadOnlySpan<float> y = net.Forward(x, 4);
            for (int s = 0; s < 4; s++) dy[s] = 2 * (y[s] - target[s]) / 4;
            net.ZeroGradients();
            net.Backward(dy, default);
            net.AdamStep(0.05);
        }
        Assert.Equal(3f, net.Weights(0)[0], 1e-2f);
        Assert.Equal(-2f, net.Weights(0)[1], 1e-2f);
        Assert.Equal(0f, net.Biases(0)[0], 1e-2f);
    }

    [Fact]
    public void PolyakUpdateBlendsParameters()
    {
        var a = new DenseNetwork([2, 3, 1], MlpActivation.Relu, MlpActivation.Identity, seed: 1);
        var b = new DenseNetwork([2, 3, 1], MlpActivation.Relu, MlpActivation.Identity, seed: 2);
        float a0 = a.Weights(0)[0], b0 = b.Weights(0)[0];
        a.PolyakUpdate(b, 0.25);
        Assert.Equal(0.75f * a0 + 0.25f * b0, a.Weights(0)[0], 1e-6f);
        a.CopyParametersFrom(b);
        Assert.Equal(b0, a.Weights(0)[0]);
    }

    [Fact]
    public void FromMlpKeepsTheParametersAndClipsTheOutput()
    {
        var source = new DenseNetwork([3, 8, 2], MlpActivation.Relu, MlpActivation.Identity, seed: 5);
        for (int i = 0; i < source.Biases(1).Length; i++) source.Biases(1)[i] = 3f * (i % 2 == 0 ? 1 : -1);
        Mlp m = source.ToMlp();
        var layers = m.Layers.ToArray();
        layers[^1] = new MlpLayer(layers[^1].Inputs, layers[^1].Outputs, layers[^1].Weights, layers[^1].Bias, MlpActivation.Clip);
        DenseNetwork net = DenseNetwork.FromMlp(new Mlp(layers));
        Assert.Equal(MlpActivation.Clip, net.OutputActivation);
        Assert.Equal([3, 8, 2], net.Sizes.ToArray());
        float[] x = [0.3f, -0.2f, 0.7f];
        float[] raw = source.Forward(x, 1).ToArray();
        float[] y = net.Forward(x, 1).ToArray();
        for (int i = 0; i < 2; i++) Assert.Equal(Math.Clamp(raw[i], -1f, 1f), y[i]);
        Assert.Equal(MlpActivation.Clip, net.Clone().OutputActivation);
        Assert.Throws<ArgumentException>(() => DenseNetwork.FromMlp(new Mlp([new MlpLayer(3, 2, new float[6], new float[2], MlpActivation.Relu)])));
    }
}
