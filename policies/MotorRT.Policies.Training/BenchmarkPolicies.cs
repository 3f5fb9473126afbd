using MotorRT.Contracts;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.Onnx.Format;
using MotorRT.Policies.Onnx.Native;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Training.Export;

namespace MotorRT.Policies.Training;

/// <summary>
/// The reference workload of the ONNX benchmarks (BenchmarkDotNet and <c>motorrt bench</c>): an 8-64-64-2 Tanh MLP
/// with seeded random weights, written by <see cref="MlpOnnxWriter"/> with a sidecar observing eight DC-machine
/// quantities and commanding armature and excitation duty. Shared so both benchmarks measure the same thing.
/// </summary>
public static class BenchmarkPolicies
{
    /// <summary>Observation layout of the benchmark policy (8 entries).</summary>
    public static readonly ObservationEntry[] Layout =
    [
        new(ObservationQuantity.CurrentA, 400),
        new(ObservationQuantity.CurrentExcitation, 10),
        new(ObservationQuantity.MechanicalSpeed, 400),
        new(ObservationQuantity.DcLinkVoltage, 60),
        new(ObservationQuantity.LastVoltageD, 60),
        new(ObservationQuantity.ReferenceCurrentD, 400),
        new(ObservationQuantity.ReferenceCurrentExcitation, 10),
        new(ObservationQuantity.ErrorCurrentD, 40),
    ];

    /// <summary>The 8-64-64-2 network (seeded, deterministic).</summary>
    public static Mlp Mlp8x64x64x2() => Mlp.CreateRandom([8, 64, 64, 2], MlpActivation.Tanh, MlpActivation.Tanh, 20251125);

    /// <summary>Writes the benchmark model and sidecar into <paramref name="directory"/> and creates the policy.</summary>
    /// <param name="directory">Folder for the generated files.</param>
    /// <param name="period">Control period, in s (the inference budget is half of it).</param>
    /// <param name="inference">Engine (auto picks the native MLP path for this network).</param>
    public static OnnxPolicy CreateMlp8x64x64x2(string directory, double period = 1e-4, OnnxInference inference = OnnxInference.Auto)
    {
        OnnxPolicySpec spec = SidecarWriter.PackageSpec(Layout, new ActionSpec
        {
            Meaning = ActionMeaning.DutyDc,
            Postprocess = ActionPostprocess.Unscale,
            Low = [-1, -1],
            High = [1, 1],
            ValidMin = -1.000001,
            ValidMax = 1.000001,
        }, "(benchmark)");
        string sidecar = SidecarWriter.WritePackage(Mlp8x64x64x2(), directory, "mlp_8_64_64_2", spec, notes: "benchmark workload: seeded random 8-64-64-2 Tanh MLP");
        return new OnnxPolicy(OnnxPolicySpec.Load(sidecar), null, period, new OnnxPolicyOptions { InferenceBudget = 0.5 * period, Inference = inference });
    }

    /// <summary>A representative observation for the benchmark policy (SI units).</summary>
    public static MotorObservation SampleObservation() => new()
    {
        Period = 1e-4,
        CurrentA = 120,
        CurrentExcitation = 4,
        MechanicalSpeed = 150,
        DcLinkVoltage = 60,
        LastVoltageD = 30,
        Reference = new References { CurrentD = 150, CurrentExcitation = 5 },
    };
}
