using MotorRT.Contracts;
using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.Pwa;

/// <summary>The PWA tick benchmark workloads, shared by BenchmarkDotNet (<c>PwaBenchmarks</c>) and <c>motorrt bench</c>.</summary>
public static class PwaBenchmarkWorkload
{
    /// <summary>GEM's default PMSM (Cont-CC-PMSM-v0 parameters) with a 300 V voltage limit and no torque limit.</summary>
    public static MotorParameters Pmsm { get; } = PmsmParameters.Gem.ToMotorParameters() with
    {
        Limits = new MotorLimits { Current = 400, Voltage = 300, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };

    /// <summary>Builds the controller and 1024 observations uniformly spread over the law's box (seeded).</summary>
    /// <param name="regions">9, 25, 49 (grid) or 81 (MPC).</param>
    /// <param name="sequential">Sequential search instead of the tree.</param>
    public static (PwaController Controller, MotorObservation[] Observations) Create(int regions, bool sequential)
    {
        PwaLaw law = regions switch
        {
            9 => PwaSynthesis.GridBenchmarkLaw(3),
            25 => PwaSynthesis.GridBenchmarkLaw(5),
            49 => PwaSynthesis.GridBenchmarkLaw(7),
            81 => PwaSynthesis.PmsmCurrentMpc(Pmsm, 1e-4, new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 2 }),
            _ => throw new ArgumentOutOfRangeException(nameof(regions), "9, 25, 49 or 81"),
        };
        if (law.RegionCount != regions) throw new InvalidOperationException($"law has {law.RegionCount} regions, expected {regions}");
        law.BuildTree();
        var controller = new PwaController(law, Pmsm, 1e-4, sequential);
        var rng = new Random(42);
        var observations = new MotorObservation[1024];
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        for (int i = 0; i < observations.Length; i++)
        {
            ref MotorObservation o = ref observations[i];
            o.Period = 1e-4;
            o.DcLinkVoltage = 300;
            o.ElectricalAngle = -Math.PI + 2 * Math.PI * rng.NextDouble();
            double U(int j) => lo[j] + (hi[j] - lo[j]) * (0.001 + 0.998 * rng.NextDouble());
            if (regions == 81)
            {
                // θ = (i_d, i_q, i_d*, i_q*, e_d, e_q): speeds within 90 % of the limit keep both coupling voltages in the box.
                o.CurrentD = U(0); o.CurrentQ = U(1); o.Reference.CurrentD = U(2); o.Reference.CurrentQ = U(3);
                o.ElectricalSpeed = 3 * Pmsm.Limits.Speed * 0.9 * (2 * rng.NextDouble() - 1);
                o.MechanicalSpeed = o.ElectricalSpeed / 3;
            }
            else
            {
                o.Reference.CurrentD = U(0);
                o.Reference.CurrentQ = U(1);
            }
        }
        return (controller, observations);
    }
}
