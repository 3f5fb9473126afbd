namespace MotorRT.HilTests.Faults;

/// <summary>
/// Wraps the rig under test: injects a fault just before a given write (the tick the fault appears in the plant or
/// its sensors), optionally calls a hook before every write (time-varying faults), and records the bridge state of every command written and every DisableBridge call.
/// </summary>
internal sealed class ScenarioRig(IRigIo inner, long injectAtWrite, Action inject, Action<long>? everyWrite = null) : BridgeLoggingRig(inner, 200_000)
{
    public bool Injected { get; private set; }

    public override RigIoStatus Write(in ConverterCommand command)
    {
        everyWrite?.Invoke(Writes);
        if (Writes == injectAtWrite)
        {
            inject();
            Injected = true;
        }
        return base.Write(in command);
    }
}

/// <summary>A controller wrapper that turns bad on request: NaN duty, or a long compute.</summary>
internal sealed class FaultyController(IController inner) : IController
{
    public bool EmitNaN;
    public double SpinSeconds;
    public string Name => inner.Name;
    public ControllerStatus Status => inner.Status;
    public void Reset() => inner.Reset();

    public void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        inner.Compute(in observation, ref command);
        if (EmitNaN)
        {
            command.Duty[0] = double.NaN;
        }
        if (SpinSeconds > 0)
        {
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(SpinSeconds * System.Diagnostics.Stopwatch.Frequency);
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
            }
            SpinSeconds = 0;
        }
    }
}
