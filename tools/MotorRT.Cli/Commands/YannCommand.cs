using System.CommandLine;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Onnx.Format;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Pwa;
using MotorRT.Policies.Training.Export;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt yann &lt;law&gt; -o &lt;model.onnx&gt;</c>: a continuous PWA law as an exact ReLU network (YANN,
/// <see cref="YannNetwork"/>) written through the ONNX writer, with its sidecar, and checked against the law in ONNX
/// Runtime (see policies/README.md, "Explicit MPC").
/// </summary>
internal static class YannCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var law = new Argument<FileInfo>("law") { Description = "A continuous motorrt-pwa-law/1 file." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "ONNX model to write; the sidecar goes next to it (same name, .json).", Required = true };
        var verify = new Option<int>("--verify") { Description = "Random points of the law's domain checked in ONNX Runtime (default 100000).", DefaultValueFactory = _ => 100_000 };
        var command = new Command("yann", "Write a continuous PWA law as an exact ReLU network (constraint, region and selection layers; big-M computed per region by LP) in ONNX with its sidecar, and check it against the law in ONNX Runtime. Exit code 0 ok, 2 bad law.") { law, output, verify };
        command.SetAction(p => Run(p.GetValue(law)!.FullName, p.GetValue(output)!.FullName, p.GetValue(verify), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Runs the command; exit code 0 ok, 2 bad law.</summary>
    public static int Run(string lawPath, string modelPath, int samples, TextWriter o, TextWriter error)
    {
        var inv = CultureInfo.InvariantCulture;
        try
        {
            PwaLaw law = PwaLawFile.Load(lawPath);
            YannNetwork net = YannNetwork.Build(law);
            bool dq = law.Meaning == PwaOutputMeaning.VoltageDq;
            bool torque = law.Meaning == PwaOutputMeaning.TorqueSetpoint;
            if (law.Meaning is not (PwaOutputMeaning.VoltageDc or PwaOutputMeaning.VoltageDq or PwaOutputMeaning.TorqueSetpoint))
            {
                throw new ConfigException(lawPath, "output.meaning", $"YANN export writes voltage and torque set-point laws, not {PwaLawFile.MeaningNames[(int)law.Meaning]}", "export a voltage_dc, voltage_dq or torque_setpoint law");
            }
            string unit = torque ? "N·m" : "V";
            // The sidecar's voltage (torque) actions are fractions of the voltage (torque) limit: scale the last layer by 1/limit.
            double limit = 0;
            for (int i = 0; i < law.OutputCount; i++) limit = Math.Max(limit, Math.Max(Math.Abs(law.OutputMin[i]), Math.Abs(law.OutputMax[i])));
            Mlp mlp = ToMlp(net, 1.0 / limit);
            var spec = new OnnxPolicySpec
            {
                SidecarFile = Path.ChangeExtension(modelPath, ".json"),
                ModelPath = modelPath,
                InputName = "input",
                OutputName = "actions",
                Observation = law.Parameters.Select((p, j) => new ObservationEntry(p.Quantity, net.InputScale[j])).ToArray(),
                Action = new ActionSpec
                {
                    Meaning = torque ? ActionMeaning.TorqueSetpoint : dq ? ActionMeaning.VoltageDq : ActionMeaning.VoltageDc,
                    Postprocess = ActionPostprocess.Clip,
                    Low = law.OutputMin.ToArray().Select(v => v / limit).ToArray(),
                    High = law.OutputMax.ToArray().Select(v => v / limit).ToArray(),
                    ValidMin = -1.01,
                    ValidMax = 1.01,
                    VoltageLimit = torque ? 0 : limit,
                    TorqueLimit = torque ? limit : 0,
                },
            };
            string dir = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";
            string baseName = Path.GetFileNameWithoutExtension(modelPath);
            string notes = string.Create(inv, $"YANN exact ReLU network of {Path.GetFileName(lawPath)} ({law.RegionCount} regions), big-M by {net.LinearPrograms} LPs; written by motorrt yann");
            string sidecar = SidecarWriter.WritePackage(mlp, dir, baseName, spec, new MlpExportOptions { GraphName = "yann_pwa", DynamicBatchName = "batch" }, notes);
            double maxM = 0;
            for (int r = 0; r < law.RegionCount; r++)
            {
                for (int i = 0; i < law.OutputCount; i++) maxM = Math.Max(maxM, net.BigM[r, i]);
            }
            o.WriteLine(string.Create(inv, $"{Path.Combine(dir, baseName + ".onnx")} + {sidecar}: {law.RegionCount} regions → layers {string.Join("-", mlp.Sizes)}, big-M from {net.LinearPrograms} LPs (largest {maxM:G4} {unit} per unit θ-distance)"));
            (int points, double worst, double worstDouble) = Verify(law, net, Path.Combine(dir, baseName + ".onnx"), limit, samples);
            o.WriteLine(string.Create(inv, $"  ONNX Runtime (float32) vs the law at {points} points of the domain: max |Δu| = {worst:E2} {unit} (double-precision network: {worstDouble:E2} {unit})"));
            return 0;
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }
    }

    /// <summary>The network as float32 dense layers, the last scaled by <paramref name="outputScale"/>.</summary>
    internal static Mlp ToMlp(YannNetwork net, double outputScale)
    {
        var layers = new List<MlpLayer>();
        for (int l = 0; l < net.Layers.Count; l++)
        {
            YannLayer y = net.Layers[l];
            double k = l == net.Layers.Count - 1 ? outputScale : 1.0;
            layers.Add(new MlpLayer(y.Inputs, y.Outputs, y.Weights.Select(v => (float)(v * k)).ToArray(), y.Bias.Select(v => (float)(v * k)).ToArray(),
                y.Relu ? MlpActivation.Relu : MlpActivation.Identity));
        }
        return new Mlp(layers);
    }

    /// <summary>Largest |u_ONNX − u_law| (V, or N·m for torque set-points) at seeded random points of the domain, batched through ONNX Runtime.</summary>
    internal static (int Points, double Worst, double WorstDouble) Verify(PwaLaw law, YannNetwork net, string modelPath, double limit, int samples)
    {
        int n = law.ParameterCount, m = law.OutputCount;
        var rng = new Random(7);
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        var thetas = new List<double[]>();
        var expected = new List<double[]>();
        var u = new double[m];
        for (int s = 0; s < samples; s++)
        {
            var t = new double[n];
            for (int j = 0; j < n; j++) t[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            if (law.Evaluate(t, u, true, out _) < 0) continue;
            thetas.Add(t);
            expected.Add((double[])u.Clone());
        }
        using var session = new InferenceSession(modelPath);
        double worst = 0, worstDouble = 0;
        const int batch = 4096;
        for (int start = 0; start < thetas.Count; start += batch)
        {
            int count = Math.Min(batch, thetas.Count - start);
            var input = new float[count * n];
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < n; j++) input[i * n + j] = (float)(thetas[start + i][j] / net.InputScale[j]);
            }
            using var value = OrtValue.CreateTensorValueFromMemory(input, [count, n]);
            using var results = session.Run(new RunOptions(), ["input"], [value], ["actions"]);
            ReadOnlySpan<float> y = results[0].GetTensorDataAsSpan<float>();
            for (int i = 0; i < count; i++)
            {
                for (int k = 0; k < m; k++) worst = Math.Max(worst, Math.Abs(y[i * m + k] * limit - expected[start + i][k]));
                if (i % 16 == 0)
                {
                    double[] d = net.Evaluate(thetas[start + i]);
                    for (int k = 0; k < m; k++) worstDouble = Math.Max(worstDouble, Math.Abs(d[k] - expected[start + i][k]));
                }
            }
        }
        return (thetas.Count, worst, worstDouble);
    }
}
