using BenchmarkDotNet.Attributes;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.PI;
using MotorRT.Policies.Pwa;

namespace MotorRT.Benchmarks;

/// <summary>
/// Per-tick compute of the cascaded PI controllers: the DC armature current PI (PermExDc, EMF feed-forward) and the
/// full PMSM FOC (Clarke + Park + two PIs + decoupling + angle-advanced inverse Park + SVM), GEM default machines.
/// Each invocation runs one tick with a slowly rotating observation so branches and the angle vary.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ControllerBenchmarks
{
    private const double Ts = 1e-4;
    private DcCascadeController _dc = null!;
    private FocController _foc = null!;
    private FocController _focSpeed = null!;
    private MotorObservation _obs;
    private ConverterCommand _cmd;
    private int _k;

    [GlobalSetup]
    public void Setup()
    {
        MotorParameters dc = PermExDcParameters.Gem.ToMotorParameters();
        MotorParameters pmsm = PwaBenchmarkWorkload.Pmsm;
        _dc = DcCascadeController.Create(dc, Ts, ControlMode.Current);
        _foc = FocController.Create(pmsm, Ts, ControlMode.Current);
        _focSpeed = FocController.Create(pmsm, Ts, ControlMode.Speed);
        _obs = new MotorObservation { Period = Ts, DcLinkVoltage = 300, MechanicalSpeed = 100, ElectricalSpeed = 300 };
        _obs.Reference.CurrentD = -20;
        _obs.Reference.CurrentQ = 80;
        _obs.Reference.Speed = 120;
    }

    private void Advance()
    {
        _k = (_k + 1) & 1023;
        double e = -Math.PI + _k * (2 * Math.PI / 1024);
        _obs.ElectricalAngle = e;
        SpaceVector.DqToAbc(-19, 79 + 0.001 * _k, e, out _obs.CurrentA, out _obs.CurrentB, out _obs.CurrentC);
    }

    [Benchmark(Description = "DC current PI tick (PermExDc)")]
    public double DcCurrentTick()
    {
        Advance();
        _cmd.SetSafe();
        _dc.Compute(_obs, ref _cmd);
        return _cmd.Duty[0];
    }

    [Benchmark(Description = "PMSM FOC current tick (transforms + 2 PI + decoupling + SVM)")]
    public double FocCurrentTick()
    {
        Advance();
        _cmd.SetSafe();
        _foc.Compute(_obs, ref _cmd);
        return _cmd.Duty[0];
    }

    [Benchmark(Description = "PMSM FOC speed tick (+ speed PI, MTPA, field weakening)")]
    public double FocSpeedTick()
    {
        Advance();
        _cmd.SetSafe();
        _focSpeed.Compute(_obs, ref _cmd);
        return _cmd.Duty[0];
    }
}
