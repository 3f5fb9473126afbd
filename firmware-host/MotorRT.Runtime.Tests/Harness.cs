using MotorRT.Contracts;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;

namespace MotorRT.Runtime.Tests;

internal static class Harness
{
    public static (ControlLoop Loop, FakeDcRig Rig) Build(RuntimeConfig config, FakeDcRig? rig = null, IController? controller = null)
    {
        rig ??= new FakeDcRig();
        controller ??= ControllerFactory.Create(config.Controller, config.Motor!, config.Timing.Period);
        var loop = new ControlLoop(config, rig, controller, config.Motor!);
        loop.Open();
        return (loop, rig);
    }

    public static (RunResult Result, ControlLoop Loop, FakeDcRig Rig) Run(RuntimeConfig config, FakeDcRig? rig = null, IController? controller = null, string? trace = null)
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
