using System.Text.Json;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Foc;

namespace MotorRT.Policies.Pwa;

/// <summary>What <see cref="PwaController"/> does when θ lies in no region (or outside the declared box).</summary>
public enum PwaOutOfDomainAction
{
    /// <summary>Leave the command in its safe state and report <see cref="ControllerStatus.OutOfDomain"/> (the supervisor trips).</summary>
    Fault,

    /// <summary>
    /// Run the configured fallback controller for this tick and report its status; counted in
    /// <see cref="PwaController.OutOfDomainTicks"/>. Each episode starts the fallback bumplessly (see <see cref="PwaController"/>).
    /// </summary>
    Fallback,
}

/// <summary>
/// An explicit-MPC / piecewise-affine controller: each tick it builds θ from the observation in the order the law
/// file defines (SI units, no scaling), finds the region (search tree or sequential search), evaluates
/// u = clip(F·θ + g) and turns u into duty cycles according to the law's output meaning:
/// <c>duty_dc</c>/<c>duty_abc</c> are written as they are (clamped to [−1, 1]); <c>voltage_dc</c> gives d = u/u_dc;
/// <c>voltage_dq</c> is rotated to αβ by the inverse Park transform at ε + advance·ω_el·T and modulated by
/// space-vector modulation on the measured DC-link voltage (B6 convention u_x = d_x·u_dc/2; linear up to u_dc/√3,
/// beyond it scaled back onto the hexagon); <c>torque_setpoint</c> is sent as a torque set-point in N·m
/// (<see cref="CommandMode.TorqueSetpoint"/>, for rigs whose drive board closes the torque loop; its fallback must
/// write torque set-points too). Allocation-free; never throws on the hot path.
/// <para>
/// With a fallback, every out-of-domain episode (a run of ticks with θ in no region) starts by resetting the fallback,
/// so its first tick initialises its integrators from the current state — the voltage applied last tick
/// (<see cref="MotorObservation.LastVoltageD"/>/<see cref="MotorObservation.LastVoltageQ"/>) and the measured
/// currents — instead of from whatever it held at the end of the previous episode (bumpless transfer; the cascaded
/// PI and FOC controllers do this when their <c>bumpless_enable</c> is on, the default). The fallback's
/// <see cref="IController.Reset"/> therefore runs on the hot path and must not allocate (true of every controller
/// here). Out-of-domain ticks and fallback episodes are reported through <see cref="IControllerCounters"/>.
/// </para>
/// </summary>
public sealed class PwaController : IController, IControllerCounters
{
    private readonly PwaLaw _law;
    private readonly MachineParameters _motor;
    private readonly double _period;
    private readonly ObservationQuantity[] _quantities;
    private readonly double[] _theta;
    private readonly double[] _u;
    private readonly bool _sequential;
    private readonly double _advancePeriods;
    private readonly IController? _fallback;
    private bool _inFallback;

    /// <summary>Creates the controller.</summary>
    /// <param name="law">The validated law.</param>
    /// <param name="motor">The machine (coupling-voltage parameters, machine kind).</param>
    /// <param name="period">Control period T, in s.</param>
    /// <param name="sequential">Use the sequential search even when the law has a tree.</param>
    /// <param name="angleAdvancePeriods">voltage_dq: inverse-Park angle advance in periods of ω_el·T (dimensionless).</param>
    /// <param name="fallback">Controller run when θ is out of domain; null: fault.</param>
    public PwaController(PwaLaw law, MotorParameters motor, double period, bool sequential = false, double angleAdvancePeriods = 0.0, IController? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(motor);
        MachineParameters machine = motor.ToTyped();
        bool threePhase = !motor.IsDc;
        bool wantsThreePhase = law.Meaning is PwaOutputMeaning.DutyAbc or PwaOutputMeaning.VoltageDq;
        if (law.Meaning != PwaOutputMeaning.TorqueSetpoint && threePhase != wantsThreePhase)
        {
            throw new ConfigException(law.Source, "output.meaning",
                $"output meaning {PwaLawFile.MeaningNames[(int)law.Meaning]} does not fit a {machine.Machine.Id} machine",
                threePhase ? "use duty_abc or voltage_dq for a three-phase machine" : "use duty_dc or voltage_dc for a DC machine");
        }
        for (int j = 0; j < law.ParameterCount; j++)
        {
            if (!ObservationQuantities.CanRead(law.Parameters[j].Quantity, machine))
            {
                throw new ConfigException(law.Source, $"parameters[{j}].quantity",
                    $"{law.Parameters[j].Quantity} cannot be read for a {machine.Machine.Id} machine", "use currents, speeds or voltages instead");
            }
        }
        _law = law;
        _motor = machine;
        _period = period;
        _quantities = law.Parameters.Select(p => p.Quantity).ToArray();
        _theta = new double[law.ParameterCount];
        _u = new double[Math.Max(4, law.OutputCount)];
        _sequential = sequential || law.Tree is null;
        _advancePeriods = angleAdvancePeriods;
        _fallback = fallback;
        CommandMode = law.Meaning == PwaOutputMeaning.TorqueSetpoint ? CommandMode.TorqueSetpoint : CommandMode.DutyCycle;
        if (fallback is not null && fallback.CommandMode != CommandMode)
        {
            // The rig takes one command mode for the run: a fallback must speak the law's.
            throw new ConfigException(law.Source, "output.meaning",
                $"the law writes {(CommandMode == CommandMode.TorqueSetpoint ? "torque set-points" : "duty cycles")} but its fallback {fallback.Name} writes {fallback.CommandMode}",
                CommandMode == CommandMode.TorqueSetpoint ? "use a fallback that writes torque set-points (e.g. \"type\": \"pi-speed-torque\")" : "use a fallback that writes duty cycles");
        }
        Name = $"pwa({law.RegionCount} regions, {(_sequential ? "sequential" : "tree")})";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ControllerStatus Status { get; private set; }

    /// <summary><see cref="CommandMode.TorqueSetpoint"/> for a <c>torque_setpoint</c> law, otherwise <see cref="CommandMode.DutyCycle"/>.</summary>
    public CommandMode CommandMode { get; }

    /// <summary>The law being evaluated.</summary>
    public PwaLaw Law => _law;

    /// <summary>Region used in the last tick (−1 when out of domain).</summary>
    public int LastRegion { get; private set; } = -1;

    /// <summary>Number of ticks since <see cref="Reset"/> in which θ was out of domain.</summary>
    public long OutOfDomainTicks { get; private set; }

    /// <summary>Number of out-of-domain episodes since <see cref="Reset"/> that the fallback controller took over.</summary>
    public long FallbackEpisodes { get; private set; }

    /// <summary>The fallback controller, if configured.</summary>
    public IController? Fallback => _fallback;

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, long>> Counters() =>
    [
        new("out_of_domain_ticks", OutOfDomainTicks),
        new("fallback_episodes", FallbackEpisodes),
    ];

    /// <summary>The parameter vector θ of the last tick (SI units, law order).</summary>
    public ReadOnlySpan<double> Theta => _theta;

    /// <summary>
    /// Creates the controller from its validated section record found at <paramref name="scope"/>: <c>law</c> (path,
    /// relative to the config file), <c>search</c>, <c>angle_advance_periods</c>, <c>on_out_of_domain</c> and
    /// <c>fallback</c> (a nested controller section, built by <paramref name="fallbackFactory"/>). The law is loaded and
    /// validated here (errors name the law file and the region).
    /// </summary>
    /// <param name="section">The controller section record.</param>
    /// <param name="scope">File and JSON path of the section.</param>
    /// <param name="motor">The machine.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="fallbackFactory">Builds the fallback from its section (the runtime's ControllerFactory); required for "fallback".</param>
    public static PwaController FromConfig(PwaControllerSection section, ConfigScope scope, MotorParameters motor, double period, Func<RawSection, IController>? fallbackFactory = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        string full = Path.IsPathRooted(section.Law) ? section.Law : Path.Combine(scope.BaseDirectory, section.Law);
        if (!File.Exists(full))
        {
            throw scope.Error("law", $"law file \"{full}\" not found", "give the path of a motorrt-pwa-law/1 file, relative to this config file");
        }
        IController? fallback = null;
        if (section.OnOutOfDomain == "fallback")
        {
            JsonElement fb = section.Fallback
                ?? throw scope.Error("fallback", "on_out_of_domain is \"fallback\" but no fallback controller is given", "add \"fallback\": { \"type\": ..., ... } or use \"on_out_of_domain\": \"fault\"");
            if (fallbackFactory is null)
            {
                throw scope.Error("fallback", "no controller factory is available to build the fallback", "use \"on_out_of_domain\": \"fault\"");
            }
            fallback = fallbackFactory(new RawSection(scope.Child("fallback"), fb));
        }
        else if (section.Fallback is not null)
        {
            throw scope.Error("fallback", "a fallback is given but on_out_of_domain is \"fault\"", "set \"on_out_of_domain\": \"fallback\" or remove \"fallback\"");
        }
        PwaLaw law = PwaLawFile.Load(full);
        return new PwaController(law, motor, period, section.Search == "sequential", section.AngleAdvancePeriods, fallback);
    }

    /// <inheritdoc />
    public void Reset()
    {
        Status = ControllerStatus.Ok;
        LastRegion = -1;
        OutOfDomainTicks = 0;
        FallbackEpisodes = 0;
        _inFallback = false;
        _fallback?.Reset();
    }

    /// <inheritdoc />
    public void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        Span<double> theta = _theta;
        for (int j = 0; j < theta.Length; j++) theta[j] = ObservationQuantities.Read(_quantities[j], in observation, _motor);
        Span<double> u = _u;
        int r = _law.Evaluate(theta, u, _sequential, out bool clipped);
        LastRegion = r;
        if (r < 0)
        {
            OutOfDomainTicks++;
            if (_fallback is not null)
            {
                if (!_inFallback)
                {
                    // Episode start: the fallback begins from the present state (bumpless), not from its last episode.
                    _inFallback = true;
                    FallbackEpisodes++;
                    _fallback.Reset();
                }
                _fallback.Compute(in observation, ref command);
                Status = _fallback.Status;
            }
            else
            {
                Status = ControllerStatus.OutOfDomain;
            }
            return;
        }
        _inFallback = false;
        bool saturated = clipped;
        double udc = observation.DcLinkVoltage;
        if (_law.Meaning == PwaOutputMeaning.TorqueSetpoint)
        {
            if (!double.IsFinite(u[0])) { command.SetSafe(); Status = ControllerStatus.OutputInvalid; return; }
            command.Mode = CommandMode.TorqueSetpoint;
            command.TorqueSetpoint = u[0]; // already clipped to the law's [min, max]
            command.Duty = default;
            command.VoltageD = command.VoltageQ = 0.0; // the drive board applies the voltage
            command.BridgeEnable = true;
            Status = saturated ? ControllerStatus.Saturated : ControllerStatus.Ok;
            return;
        }
        switch (_law.Meaning)
        {
            case PwaOutputMeaning.DutyDc:
                for (int i = 0; i < _law.OutputCount; i++) saturated |= SetDuty(ref command, i, u[i]);
                break;
            case PwaOutputMeaning.DutyAbc:
                for (int i = 0; i < 3; i++) saturated |= SetDuty(ref command, i, u[i]);
                break;
            case PwaOutputMeaning.VoltageDc:
                if (!(udc > 0)) { Status = ControllerStatus.OutputInvalid; return; }
                saturated |= SetDuty(ref command, 0, u[0] / udc);
                break;
            case PwaOutputMeaning.VoltageDq:
            {
                if (!(udc > 0)) { Status = ControllerStatus.OutputInvalid; return; }
                double epsilon = observation.ElectricalAngle + _advancePeriods * observation.ElectricalSpeed * _period;
                SpaceVector.InversePark(u[0], u[1], epsilon, out double alpha, out double beta);
                double k = SpaceVectorModulator.Modulate(alpha, beta, udc, ref command.Duty);
                saturated |= k < 1.0;
                break;
            }
        }
        for (int i = 0; i < Channels4.Length; i++)
        {
            if (!double.IsFinite(command.Duty[i])) { command.SetSafe(); Status = ControllerStatus.OutputInvalid; return; }
        }
        command.Mode = CommandMode.DutyCycle;
        command.BridgeEnable = true;
        command.ReportVoltageFromDuty(udc, observation.ElectricalAngle, _law.Meaning is PwaOutputMeaning.DutyAbc or PwaOutputMeaning.VoltageDq);
        Status = saturated ? ControllerStatus.Saturated : ControllerStatus.Ok;
    }

    private static bool SetDuty(ref ConverterCommand command, int channel, double duty)
    {
        double d = Math.Clamp(duty, -1.0, 1.0);
        command.Duty[channel] = d;
        return d != duty;
    }
}
