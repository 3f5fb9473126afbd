using MotorRT.Contracts;

namespace MotorRT.Runtime.Tests;

/// <summary>
/// Test double, not product code: a permanent-magnet DC motor as an RL circuit with back-EMF at a fixed speed,
/// a 4QC bridge (diode freewheeling when disabled), a 12-bit current ADC with seeded noise, a DC-link ADC and a
/// 1024-line encoder with index. Faults are injected at a given plant step.
/// </summary>
public sealed class FakeDcRig : IRigIo
{
    public const double AmpsPerCount = 0.05;
    public const double ZeroCounts = 2048;
    public const double VoltsPerCount = 0.05;
    public const int Lines = 1024;

    public double R = 0.5, L = 1e-3, Psi = 0.1, Udc = 48, Omega = 50, Tau = 1e-4;
    public double Current;
    public double Angle;
    public int AdcOffsetError;
    public double NoiseCounts;
    public double DcScale = 1;
    public bool EncoderStuck;
    public long IndexShift;
    public uint FaultInputs;
    public bool FreezeSequence;
    public int ForcedCurrentCounts = -1;
    public bool Lockstep = true;
    public long Step;
    public long InjectAtStep = long.MaxValue;
    public Action<FakeDcRig>? Inject;
    public int DisableCalls;
    public readonly bool[] BridgeAtStep = new bool[1 << 20];
    private readonly Random _rng;
    private long _sequence;
    private long _encoderFrozen;

    public FakeDcRig(int seed = 1) => _rng = new Random(seed);

    public RigDescription Description { get; } = new() { Name = "fake-dc", Machine = MachineKind.Dc, ConverterChannels = 1, PwmPeriod = 1e-4, EncoderLinesPerRevolution = Lines };

    public bool IsLockStep => Lockstep;

    public void Open() { }

    public RigIoStatus Read(ref RawSensorFrame frame)
    {
        if (Step == InjectAtStep) Inject?.Invoke(this);
        double noise = NoiseCounts > 0 ? NoiseCounts * (_rng.NextDouble() - 0.5) : 0;
        int counts = ForcedCurrentCounts >= 0 ? ForcedCurrentCounts : (int)Math.Round(ZeroCounts + AdcOffsetError + Current / AmpsPerCount + noise);
        frame.CurrentCountsA = Math.Clamp(counts, 0, 4095);
        frame.CurrentCountsB = (int)ZeroCounts;
        frame.DcLinkCounts = Math.Clamp((int)Math.Round(Udc * DcScale / VoltsPerCount), 0, 4095);
        long cpr = 4 * Lines;
        long count = (long)Math.Floor(Angle / (2 * Math.PI) * cpr);
        if (EncoderStuck) count = _encoderFrozen; else _encoderFrozen = count;
        frame.EncoderCount = count;
        long revs = (long)Math.Floor(Angle / (2 * Math.PI));
        frame.EncoderIndexPulses = (int)Math.Max(0, revs);
        frame.EncoderCountAtIndex = revs * cpr + IndexShift;
        frame.FaultInputs = FaultInputs;
        frame.HallState = -1;
        if (!FreezeSequence) _sequence++;
        frame.Sequence = _sequence;
        frame.TimestampNs = (long)(Step * Tau * 1e9);
        return RigIoStatus.Ok;
    }

    public RigIoStatus Write(in ConverterCommand command)
    {
        if (Step < BridgeAtStep.Length) BridgeAtStep[Step] = command.BridgeEnable;
        double emf = Psi * Omega;
        const int sub = 10;
        double h = Tau / sub;
        for (int i = 0; i < sub; i++)
        {
            double u;
            if (command.BridgeEnable) u = command.Duty[0] * Udc * DcScale;
            else if (Current > 1e-9) u = -Udc * DcScale;
            else if (Current < -1e-9) u = Udc * DcScale;
            else { Current = 0; continue; }
            double next = Current + h * (u - R * Current - emf) / L;
            if (!command.BridgeEnable && Math.Sign(next) != Math.Sign(Current)) next = 0;
            Current = next;
        }
        Angle += Omega * Tau;
        Step++;
        return RigIoStatus.Ok;
    }

    public void DisableBridge() => DisableCalls++;

    public void Dispose() { }
}
