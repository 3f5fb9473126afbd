using System.Diagnostics;
using MotorRT.Contracts;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.PI;
using MotorRT.Sim.Presets;

namespace MotorRT.Cli.Bench;

/// <summary>
/// Per-tick compute of the cascaded-PI controllers (tick_ns): the DC armature current PI (Cont-CC-PermExDc-v0 machine)
/// and the full PMSM FOC — Clarke, Park, two PIs, decoupling, inverse Park, SVM — in current and in speed mode
/// (+ speed PI, MTPA, field weakening), on GEM's default machines. The observation rotates so angles and branches vary.
/// </summary>
internal static class ControllerBenchCases
{
    /// <summary>The cases.</summary>
    public static IEnumerable<BenchCase> Create()
    {
        yield return new BenchCase("pi-dc-current", "controller", 5_000_000,
            n => Run(DcCascadeController.Create(GemPresets.DefaultMotor("PermExDc"), 1e-4, ControlMode.Current), 60, n));
        yield return new BenchCase("foc-current-pmsm", "controller", 3_000_000,
            n => Run(FocController.Create(GemPresets.DefaultMotor("PMSM"), 1e-4, ControlMode.Current), 300, n));
        yield return new BenchCase("foc-speed-pmsm", "controller", 2_000_000,
            n => Run(FocController.Create(GemPresets.DefaultMotor("PMSM"), 1e-4, ControlMode.Speed), 300, n));
    }

    private static double Run(IController controller, double dcLink, long n)
    {
        // 1024 precomputed observations of one electrical revolution (only the controller is timed).
        const int Count = 1024;
        var observations = new MotorObservation[Count];
        for (int k = 0; k < Count; k++)
        {
            double e = -Math.PI + k * (2 * Math.PI / Count);
            ref MotorObservation o = ref observations[k];
            o.Period = 1e-4;
            o.DcLinkVoltage = dcLink;
            o.MechanicalSpeed = 100;
            o.ElectricalSpeed = 300;
            o.ElectricalAngle = e;
            SpaceVector.DqToAbc(-19, 79 + 0.01 * k, e, out o.CurrentA, out o.CurrentB, out o.CurrentC);
            o.Reference.CurrentD = -20;
            o.Reference.CurrentQ = 80;
            o.Reference.Speed = 120;
        }
        var command = new ConverterCommand();
        controller.Reset();
        for (int k = 0; k < 50_000; k++)
        {
            command.SetSafe();
            controller.Compute(observations[k & (Count - 1)], ref command);
        }
        long t0 = Stopwatch.GetTimestamp();
        for (long k = 0; k < n; k++)
        {
            command.SetSafe();
            controller.Compute(observations[k & (Count - 1)], ref command);
        }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        GC.KeepAlive(command.Duty[0]);
        return seconds;
    }
}
