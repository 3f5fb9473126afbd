using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Tests;

/// <summary>
/// The supervisor's debounced and model-based checks on synthetic frames: DC-link brown-out (ride-through) and ripple
/// (three windows), the three-phase current sum, the speed following error, and the DC voltage model.
/// </summary>
public class SupervisorPlausibilityTests
{
    private const double Period = 1e-4;   // s

    private static readonly SensorSpec Sensors = new()
    {
        Current = new CurrentSensorSpec { AmperesPerCount = 0.2, ZeroCounts = 2048, PhasesSensed = 1 },
        DcLink = new VoltageSensorSpec { VoltsPerCount = 0.05 },
        Encoder = new EncoderSpec { LinesPerRevolution = 1024 },
    };

    private static readonly MotorParameters Motor = MotorParameters.Gem(MotorType.PermanentlyExcitedDc);

    private static LimitsConfig Limits(LimitsConfig extra) => extra with
    {
        PhaseCurrent = 1000, VectorCurrent = 1000, DcLinkOverVoltage = 75, DcLinkUnderVoltage = 45, Speed = 1000, ControllerBudget = 1,
        OpenPhaseCurrent = 0,
    };

    private static Supervisor Create(LimitsConfig extra, MachineKind machine = MachineKind.Dc, bool speedReferenced = false) =>
        new(Limits(extra), Sensors, machine, machine == MachineKind.Dc ? 1 : 3, Period, Motor, speedReferenced);

    /// <summary>Runs ticks with frame/observation set by <paramref name="step"/>; returns (tick, code) of the first trip or (−1, None).</summary>
    private static (long Tick, FaultCode Code) Run(Supervisor sup, long ticks, Action<long, MotorObservation[], ConverterCommand[]> step, bool phaseC = false)
    {
        var frame = new RawSensorFrame { CurrentCountsA = 2048, CurrentCountsB = 2048, CurrentCountsC = 2048, DcLinkCounts = 1200, PhaseCSensed = phaseC };
        var obs = new MotorObservation[1];
        var cmd = new ConverterCommand[1];
        obs[0] = new MotorObservation { Period = Period, DcLinkVoltage = 60 };
        sup.Rebase(in frame);
        for (long k = 0; k < ticks; k++)
        {
            obs[0].Tick = k;
            obs[0].Time = k * Period;
            cmd[0].SetSafe();
            step(k, obs, cmd);
            frame.Sequence = k + 1;
            frame.EncoderCount = k;   // counts move: the encoder-alive check stays quiet
            FaultCode f = sup.CheckFrame(in frame, in obs[0]);
            if (f == FaultCode.None) f = sup.CheckCommand(in cmd[0], ControllerStatus.Ok, 0, false, in obs[0]);
            if (f != FaultCode.None) return (k, f);
        }
        return (-1, FaultCode.None);
    }

    [Fact]
    public void Brown_out_rides_through_a_dip_shorter_than_its_time_and_trips_after_it()
    {
        var extra = new LimitsConfig { DcLinkBrownOutVoltage = 54, DcLinkBrownOutTime = 0.005 };   // 50 ticks
        Assert.Equal((-1, FaultCode.None), Run(Create(extra), 400, (k, o, _) => o[0].DcLinkVoltage = k is >= 100 and < 149 ? 50 : 60));
        (long tick, FaultCode code) = Run(Create(extra), 400, (k, o, _) => o[0].DcLinkVoltage = k >= 100 ? 50 : 60);
        Assert.Equal(FaultCode.DcLinkBrownOut, code);
        Assert.Equal(149, tick);
    }

    [Fact]
    public void Ripple_trips_after_three_windows_a_single_step_never()
    {
        var extra = new LimitsConfig { DcLinkRipple = 6, DcLinkRippleTime = 0.005 };   // 50-tick windows
        Assert.Equal((-1, FaultCode.None), Run(Create(extra), 1000, (k, o, _) => o[0].DcLinkVoltage = k >= 120 ? 50 : 60));
        (long tick, FaultCode code) = Run(Create(extra), 1000, (k, o, _) => o[0].DcLinkVoltage = 60 + (k >= 120 ? 5 * Math.Sin(2 * Math.PI * 300 * k * Period) : 0));
        Assert.Equal(FaultCode.DcLinkRipple, code);
        Assert.Equal(249, tick);   // 50-tick windows end at 149 (holds the onset at 120), 199, 249: three over the limit
    }

    [Fact]
    public void Current_sum_trips_on_a_gain_error_of_one_phase_not_on_a_balanced_set()
    {
        var extra = new LimitsConfig { CurrentSum = 5, CurrentSumTime = 0.005 };
        void Balanced(long k, MotorObservation[] o, double gainA)
        {
            double e = 2 * Math.PI * 50 * k * Period;
            o[0].CurrentA = 100 * Math.Cos(e) * gainA;
            o[0].CurrentB = 100 * Math.Cos(e - 2 * Math.PI / 3);
            o[0].CurrentC = 100 * Math.Cos(e + 2 * Math.PI / 3);
        }
        Assert.Equal((-1, FaultCode.None), Run(Create(extra, MachineKind.ThreePhase), 2000, (k, o, _) => Balanced(k, o, 1.0), phaseC: true));
        (long tick, FaultCode code) = Run(Create(extra, MachineKind.ThreePhase), 2000, (k, o, _) => Balanced(k, o, k >= 500 ? 1.2 : 1.0), phaseC: true);
        Assert.Equal(FaultCode.CurrentSumMismatch, code);
        Assert.InRange(tick, 500, 700);   // RMS 20/√2 ≈ 14 A against 5 A: within about one filter time constant
    }

    [Fact]
    public void Speed_following_error_trips_after_its_time_only_with_a_speed_reference()
    {
        var extra = new LimitsConfig { SpeedFollowingError = 20, SpeedFollowingTime = 0.01 };   // 100 ticks
        void Step(long k, MotorObservation[] o, ConverterCommand[] _)
        {
            o[0].Reference.Speed = 100;
            o[0].MechanicalSpeed = k >= 200 ? -10 : (k < 50 ? 50 : 95);   // a 50-tick transient is tolerated
        }
        Assert.Equal((-1, FaultCode.None), Run(Create(extra, speedReferenced: false), 500, Step));
        (long tick, FaultCode code) = Run(Create(extra, speedReferenced: true), 500, Step);
        Assert.Equal(FaultCode.SpeedFollowingError, code);
        Assert.Equal(299, tick);
    }

    /// <summary>A DC machine at 40 rad/s and 100 A, steady: duty = (R·i + ψ·ω) / u_dc; from tick 300 the fault.</summary>
    private static (long, FaultCode) RunDc(LimitsConfig extra, double speedSign, double dutyOffset)
    {
        double u = Motor.ArmatureResistance * 100 + Motor.ExcitationFlux * 40;
        return Run(Create(extra), 2000, (k, o, c) =>
        {
            o[0].CurrentA = 100;
            o[0].MechanicalSpeed = k >= 300 ? speedSign * 40 : 40;
            c[0].BridgeEnable = true;
            c[0].Mode = CommandMode.DutyCycle;
            c[0].Duty[0] = u / 60 + (k >= 300 ? dutyOffset : 0);
        });
    }

    [Fact]
    public void Voltage_model_is_quiet_when_the_armature_equation_holds_and_names_a_reversed_encoder()
    {
        var extra = new LimitsConfig { VoltageModelResidual = 0.5, VoltageModelTime = 0.005 };
        Assert.True(Create(extra).VoltageModelArmed);
        Assert.Equal((-1, FaultCode.None), RunDc(extra, 1, 0));
        // The command asks 3 V more than the machine got (a frozen PWM): 0.5 V of the filtered residual after ~0.9 ms.
        (long t1, FaultCode c1) = RunDc(extra, 1, 0.05);
        Assert.Equal(FaultCode.VoltageModelMismatch, c1);
        Assert.InRange(t1, 300, 320);
        // The encoder says −40 rad/s where the voltage says +40: its direction is wrong.
        (long t2, FaultCode c2) = RunDc(extra, -1, 0);
        Assert.Equal(FaultCode.EncoderDirectionReversed, c2);
        Assert.InRange(t2, 300, 310);
    }

    [Fact]
    public void New_fault_codes_read_with_quantity_value_limit_and_unit()
    {
        Assert.Contains("51 V below the brown-out level 54 V", FaultText.Describe(new FaultRecord(FaultCode.DcLinkBrownOut, 3050, 0.305, 51, 54)));
        Assert.Contains("ripple 9.6 V peak-to-peak above the limit 6 V", FaultText.Describe(new FaultRecord(FaultCode.DcLinkRipple, 3149, 0.3149, 9.6, 6)));
        Assert.Contains("residual -0.7 V beyond ±0.5 V", FaultText.Describe(new FaultRecord(FaultCode.VoltageModelMismatch, 485, 0.0485, -0.7, 0.5)));
        Assert.Contains("encoder speed -3 rad/s against the back-EMF speed 3 rad/s", FaultText.Describe(new FaultRecord(FaultCode.EncoderDirectionReversed, 153, 0.0153, -3, 3)));
        Assert.Contains("i_a + i_b + i_c 14 A above the limit 5 A", FaultText.Describe(new FaultRecord(FaultCode.CurrentSumMismatch, 600, 0.06, 14, 5)));
        Assert.Contains("following error 110 rad/s beyond ±20 rad/s", FaultText.Describe(new FaultRecord(FaultCode.SpeedFollowingError, 299, 0.0299, 110, 20)));
    }
}
