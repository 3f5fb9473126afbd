using MotorRT.Contracts;
using MotorRT.Runtime.Calibration;
using MotorRT.Runtime.Configuration;
using MotorRT.Sim.Spec;
using MotorRT.Sim.Testing;

namespace MotorRT.Runtime.Tests;

/// <summary>The PMSM calibration procedure under the runtime's loop on the twin: identifies GEM's PMSM, allocates nothing per tick.</summary>
public class PmsmCalibrationRunTests
{
    private const string Json = """
        {
          "rig": { "type": "fake" },
          "sensors": {
            "current": { "bits": 12, "amperes_per_count": 0.25, "zero_counts": 2048, "phases_sensed": 2 },
            "dc_link": { "bits": 12, "volts_per_count": 0.15 },
            "encoder": { "lines_per_revolution": 2048, "has_index": true }
          },
          "motor": { "type": "pmsm", "r_s": 0.018, "l_d": 3.7e-4, "l_q": 1.2e-3, "psi_p": 0.066, "p": 3, "j_rotor": 0.03883,
                     "limits": { "current": 400, "voltage": 150, "speed": 418.879, "torque": 160 } },
          "controller": { "type": "open-loop-voltage", "voltage": 0 },
          "reference": { "current": { "type": "constant", "value": 0 } },
          "limits": { "phase_current": 480, "vector_current": 480, "speed": 500 },
          "timing": { "frequency": 10000, "duration": 0.2, "warmup_ticks": 200 },
          "estimator": { "pll_bandwidth": 1500, "calibration_samples": 500 },
          "telemetry": { "buffer_samples": 4096 }
        }
        """;

    /// <summary>Forwards to the twin and records the bytes allocated on this thread between consecutive reads (one tick each).</summary>
    private sealed class CountingRig(IRigIo inner) : IRigIo
    {
        private long _last = -1;
        public readonly long[] TickBytes = new long[1 << 20];
        public int Ticks;

        public RigDescription Description => inner.Description;
        public bool IsLockStep => inner.IsLockStep;
        public void Open() => inner.Open();
        public void DisableBridge() => inner.DisableBridge();
        public void Dispose() => inner.Dispose();
        public RigIoStatus Write(in ConverterCommand command) => inner.Write(in command);

        public RigIoStatus Read(ref RawSensorFrame frame)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (_last >= 0 && Ticks < TickBytes.Length) TickBytes[Ticks++] = now - _last;
            RigIoStatus s = inner.Read(ref frame);
            _last = GC.GetAllocatedBytesForCurrentThread();
            return s;
        }
    }

    [Fact]
    public void TheProcedureIdentifiesGemsPmsmAndAllocatesOnlyBetweenPhases()
    {
        RuntimeConfig config = TestConfigs.Config(Json);
        PlantSpec spec = TwinPlant.SpecFor(config.Motor!, 420, new PolynomialLoadSpec { A = 0.1, B = 0.01, C = 0, LoadInertia = 0 }, config.Timing.Period);
        var rig = new CountingRig(TwinRig.Create(spec, config.Sensors, 1, null, 1));
        var procedure = new PmsmCalibrationProcedure(new PmsmCalibrationOptions { CurrentLimit = 200, VoltageLimit = 150, SpinSpeed = 100 });
        PmsmCalibrationOutcome outcome;
        using (var loop = CalibrationLoop.Create(config, rig, config.Motor!, procedure))
        {
            outcome = PmsmCalibrationRun.Execute(loop, procedure, config.Timing.Period);
        }
        Assert.False(outcome.Faulted, outcome.AbortReason);
        PmsmIdentificationResult id = outcome.Identified!;
        Assert.Equal(3, id.PolePairs);
        Assert.Equal(1, outcome.EncoderDirection);
        Assert.Equal(1, id.VoltageLagTicks);
        Assert.Equal(1, id.StatorResistance / 0.018, 2);
        Assert.Equal(1, id.InductanceD / 3.7e-4, 2);
        Assert.Equal(1, id.InductanceQ / 1.2e-3, 2);
        Assert.Equal(1, id.PermanentMagnetFlux / 0.066, 2);
        Assert.Equal(1, id.Inertia / 0.03883, 1);
        Assert.True(Math.Abs(id.ElectricalAngleOffset) < 2 * Math.PI * 3 / 8192, $"offset {id.ElectricalAngleOffset}");

        // Ticks that allocated: only those around the four fits between the phases (measured: 4 of 193 000), never within a phase.
        int allocating = 0;
        for (int k = 0; k < rig.Ticks; k++) if (rig.TickBytes[k] != 0) allocating++;
        Assert.True(rig.Ticks > 50_000, $"{rig.Ticks} ticks");
        Assert.True(allocating <= 6, $"{allocating} of {rig.Ticks} ticks allocated");
    }
}
