using MotorRT.Contracts;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Sim.Sensors;
using MotorRT.Sim.Spec;
using MotorRT.Sim.Testing;

namespace MotorRT.Runtime.Tests;

/// <summary>The loop of a test config on the twin (<see cref="TwinRig"/>), calibrated and run.</summary>
internal static class Harness
{
    /// <summary>DC link of the test rig, V.</summary>
    public const double DcLink = 48;

    /// <summary>Shaft speed the test rig imposes unless a test says otherwise, rad/s.</summary>
    public const double Speed = 50;

    /// <summary>
    /// The config's motor on the twin (4QC on a <see cref="DcLink"/> supply, shaft held at <paramref name="speed"/> by
    /// GEM's ConstantSpeedLoad unless <paramref name="load"/> is given) with the config's sensors, no PWM delay.
    /// </summary>
    public static TwinRig Rig(RuntimeConfig config, int seed = 1, double speed = Speed, LoadSpec? load = null, SensorDeviations? sensorErrors = null)
    {
        PlantSpec spec = TwinPlant.SpecFor(config.Motor!, DcLink, load ?? new ConstantSpeedLoadSpec { Omega = speed }, config.Timing.Period);
        return TwinRig.Create(spec, config.Sensors, seed, sensorErrors);
    }

    public static (ControlLoop Loop, TwinRig Rig) Build(RuntimeConfig config, TwinRig? rig = null, IController? controller = null)
    {
        rig ??= Rig(config);
        controller ??= ControllerFactory.Create(config.Controller, config.Motor!, config.Timing.Period);
        var loop = new ControlLoop(config, rig, controller, config.Motor!);
        loop.Open();
        return (loop, rig);
    }

    public static (RunResult Result, ControlLoop Loop, TwinRig Rig) Run(RuntimeConfig config, TwinRig? rig = null, IController? controller = null, string? trace = null)
    {
        var (loop, r) = Build(config, rig, controller);
        Assert.True(loop.Calibrate(), "calibration failed");
        RunResult result = loop.Run(trace);
        return (result, loop, r);
    }
}

/// <summary>A controller that does what a test tells it (NaN output, slow compute, a status).</summary>
internal sealed class ScriptedController : IController
{
    public long BadFromTick = long.MaxValue;
    public double BadDuty = double.NaN;
    public ControllerStatus BadStatus = ControllerStatus.Ok;
    public double SpinSeconds;
    public Func<int>? ProbeAfterSpin;
    public int ProbeValue = -1;
    public string Name => "scripted";
    public ControllerStatus Status { get; private set; }
    public void Reset() => Status = ControllerStatus.Ok;

    public void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        command.BridgeEnable = true;
        command.Duty[0] = 0.1;
        Status = ControllerStatus.Ok;
        if (observation.Tick >= BadFromTick)
        {
            command.Duty[0] = BadDuty;
            Status = BadStatus;
            if (SpinSeconds > 0)
            {
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(SpinSeconds * System.Diagnostics.Stopwatch.Frequency);
                while (System.Diagnostics.Stopwatch.GetTimestamp() < until) { }
                if (ProbeAfterSpin is not null && ProbeValue < 0) ProbeValue = ProbeAfterSpin();
            }
        }
    }
}
