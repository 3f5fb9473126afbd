using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Output;
using MotorRT.Cli.Rigs;
using MotorRT.Cli.Simulate;
using MotorRT.Hardware.Hil;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.IO;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Runtime.Calibration;
using MotorRT.Runtime.Composition;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;

namespace MotorRT.Cli.Calibration;

/// <summary>
/// <c>motorrt calibrate &lt;config&gt; [-o motor.json]</c>: identifies a permanently excited DC machine, a PMSM or a SynRM on
/// the rig the config names (built by the composition root, <see cref="DriveBuilder.BuildRig"/>) with the supervisor
/// active. DC (<see cref="DcCalibrationRun"/>): current-sensor offset, R_a and L_a by voltage steps, ψ_e by spin-up, J
/// and friction by a speed step. PMSM (<see cref="PmsmCalibrationRun"/>): current-sensor offsets, pole pairs, encoder
/// direction and electrical angle offset by rotor alignment and a slow field rotation, R_s and L_d by d steps, L_q by
/// q triplets, ψ_p by a speed hold, J and friction by the speed steps. SynRM: the PMSM procedure with ψ_p = 0
/// (<see cref="PmsmCalibrationOptions.Reluctance"/>: reluctance alignment, a d current in the spin). Writes the <c>motor</c> section
/// (<see cref="MotorSection"/>) that <c>simulate</c>, <c>tune</c> and <c>mpc build</c> accept.
/// </summary>
internal static class CalibrateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "Runtime config file: rig (any kind), sensors, limits (the supervisor's), timing.frequency; motor.limits or the simulated plant give the rated current, voltage and speed." };
        var output = new Option<FileInfo?>("-o", "--out") { Description = "Write the identified motor section here (JSON, the config's \"motor\" record); default: print it." };
        var sensorsOut = new Option<FileInfo?>("--sensors-out") { Description = "Also write the config's sensors section with what was measured (JSON, the config's \"sensors\" record): pmsm/synrm the current channels' relative gains (sensors.current.gains, matched to channel a) and the electrical angle offset; permex-dc the section unchanged (one armature channel: nothing to match)." };
        var current = new Option<double?>("--current-limit") { Description = "Largest armature (DC) or stator-vector (PMSM, SynRM) current of any step, in A; a larger measured current aborts the run (exit 3) (default: half the rated current). The voltage steps stop at half of it, the spin-up and braking use 0.3 of it; a PMSM's rotor alignment uses 0.1 of it, a SynRM's 0.5 (and its spin a d current of 0.3 of it)." };
        var voltage = new Option<double?>("--voltage-limit") { Description = "Largest armature (DC) or stator-vector (PMSM, SynRM) voltage of any step, in V (default: the rated voltage)." };
        var speed = new Option<double?>("--spin-speed") { Description = "Mechanical speed of the spin-up, in rad/s (default: a quarter of the rated speed); the shaft must be free to turn." };
        var rigOption = new Option<string>("--rig")
        {
            Description = "Rig to calibrate on: 'config' (default: the config's rig.type — sim, raspberry-pi (hardware, or \"emulate\": true over the twin of rig.sim), remote) or 'hil' (the config's simulated rig served by an in-process plant server, driven over UDP by the remote HIL rig).",
            DefaultValueFactory = _ => "config",
        };
        rigOption.AcceptOnlyFromAmong("config", "hil");
        var command = new Command("calibrate", "Identify a permanently excited DC machine, a PMSM or a SynRM on the config's rig with the supervisor active. permex-dc: current-sensor offset (bridge off), R_a and L_a by voltage steps near standstill, psi_e by a spin-up and fixed-voltage hold, J (rotor and load) and friction by the speed step; the encoder direction is the sign of the fitted back-EMF; writes type, r_a, l_a, psi_e, j_rotor. pmsm: current-sensor offsets (bridge off), rotor alignment on a fixed voltage vector and a slow field rotation (one electrical turn and back) -> pole pairs p (counted, not taken from the config), encoder direction and the electrical angle offset (printed, with a note when sensors.encoder.electrical_angle_offset differs), R_s and L_d by d-axis steps in the measured rotor frame, L_q by short symmetric q triplets (+U -U -U +U, mirrored every other cycle; the rotor stays within a few degrees), psi_p by a constant-speed hold, J and friction by the speed steps and a second hold at half the speed; writes type, r_s, l_d, l_q, psi_p, p, j_rotor. synrm: the pmsm procedure with psi_p = 0 (not measured, written as 0): the reluctance torque aligns the d-axis (L_d > L_q; at 0.5 of the current limit; the angle offset is defined modulo pi), the spin runs at a d current of 0.3 of the current limit with the q current making the torque 1.5 p (L_d - L_q) i_d i_q (J and friction); writes type synrm, r_s, l_d, l_q, p, j_rotor. All check the encoder counts per revolution between index pulses (a mismatch or a reversed encoder exits 3 naming the sensors.encoder fix), keep the rated limits, and write a section that simulate, tune and mpc build accept, with the identified friction (friction_coulomb, friction_viscous; the twin's plant.load polynomial a, b). pmsm/synrm also match the current channels' gains (channel b, and c when sensed, against a: the settled alignment's DC vector along phase a at standstill makes the true currents i, -i/2, -i/2) for --sensors-out; an absolute gain error common to all channels is not identifiable without a reference current (it scales R and L by 1/(1+e), J and friction by 1+e; psi is unaffected). Other machines exit 2.")
            { config, output, sensorsOut, current, voltage, speed, rigOption };
        command.SetAction(parse => Run(parse.GetValue(config)!.FullName, parse.GetValue(output)?.FullName, parse.GetValue(current) ?? 0, parse.GetValue(voltage) ?? 0, parse.GetValue(speed) ?? 0,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(Program.Verbose), parse.GetValue(rigOption) == "hil", null, parse.GetValue(sensorsOut)?.FullName));
        return command;
    }

    /// <summary>Runs a calibration; returns the exit code (<see cref="ExitCodes"/>): 3 when the supervisor tripped or a step hit its limit.</summary>
    public static int Run(string configPath, string? outPath, double currentLimit, double voltageLimit, double spinSpeed, TextWriter stdout, TextWriter stderr, bool verbose = false, bool hil = false) =>
        Run(configPath, outPath, currentLimit, voltageLimit, spinSpeed, stdout, stderr, verbose, hil, null);

    /// <summary>
    /// As above; <paramref name="afterOpen"/> is called with the rig once it is open (tests inject rig faults there), and
    /// <paramref name="sensorsOutPath"/> (<c>--sensors-out</c>), when not null, receives the measured sensors section.
    /// </summary>
    internal static int Run(string configPath, string? outPath, double currentLimit, double voltageLimit, double spinSpeed, TextWriter stdout, TextWriter stderr, bool verbose, bool hil, Action<RigBuild>? afterOpen,
        string? sensorsOutPath = null)
    {
        try
        {
            return RunChecked(configPath, outPath, currentLimit, voltageLimit, spinSpeed, stdout, stderr, hil, afterOpen, sensorsOutPath);
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "calibrate", verbose, stderr);
        }
    }

    private static int RunChecked(string configPath, string? outPath, double currentLimit, double voltageLimit, double spinSpeed, TextWriter stdout, TextWriter stderr, bool hil, Action<RigBuild>? afterOpen,
        string? sensorsOutPath)
    {
        RuntimeConfig config = RuntimeConfig.Load(configPath);
        if (outPath is not null) outPath = OutputPaths.CheckFile(outPath, "--out");
        if (sensorsOutPath is not null) sensorsOutPath = OutputPaths.CheckFile(sensorsOutPath, "--sensors-out");
        if (currentLimit < 0 || voltageLimit < 0 || spinSpeed < 0 || !double.IsFinite(currentLimit + voltageLimit + spinSpeed))
        {
            throw new CliException(ExitCodes.InputError, "--current-limit, --voltage-limit and --spin-speed must be finite and positive", "give positive values (or omit them for the defaults)");
        }
        PlantServer? server = null;
        RigBuild rig;
        if (hil)
        {
            (rig, server, _) = Simulation.CreateHilRig(config);
        }
        else
        {
            rig = DriveBuilder.BuildRig(config, CliDrive.Registry);
        }
        try
        {
            MotorParameters nominal = config.Motor ?? rig.PlantMotor
                ?? throw new ConfigException(config.File, "motor", "no motor section, and no simulated plant to take the rated limits from",
                    "add \"motor\": { \"type\": \"permex-dc\", \"j_rotor\": ..., \"limits\": { \"current\": ..., \"voltage\": ..., \"speed\": ..., \"torque\": ... } } (the rated values bound the steps)");
            if (nominal.Type is MotorType.Pmsm or MotorType.SynRm)
            {
                return RunPmsm(config, configPath, outPath, sensorsOutPath, nominal, rig, currentLimit, voltageLimit, spinSpeed, stdout, stderr, afterOpen);
            }
            if (nominal.Type != MotorType.PermanentlyExcitedDc)
            {
                throw new ConfigException(config.File, "motor.type", $"calibrate identifies permanently excited DC machines, PMSMs and SynRMs, not {nominal.Machine.Id}", "use a permex-dc, pmsm or synrm machine (other machines are not calibrated yet)");
            }
            var options = new DcCalibrationOptions
            {
                CurrentLimit = currentLimit > 0 ? currentLimit : 0.5 * nominal.Limits.Current,
                VoltageLimit = voltageLimit > 0 ? voltageLimit : nominal.Limits.Voltage,
                SpinSpeed = spinSpeed > 0 ? spinSpeed : 0.25 * nominal.Limits.Speed,
            };
            var procedure = new DcCalibrationProcedure(options);
            ControlLoop loop = CalibrationLoop.Create(config, rig.Rig, nominal, procedure);
            DcCalibrationOutcome outcome;
            using (loop)
            {
                outcome = DcCalibrationRun.Execute(loop, procedure, config.Timing.Period, afterOpen is null ? null : () => afterOpen(rig));
            }
            var inv = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Create(inv, $"calibrate {Path.GetFileName(configPath)} on rig \"{rig.Rig.Description.Name}\": step limits {options.CurrentLimit:G4} A, {options.VoltageLimit:G4} V; spin speed {options.SpinSpeed:G4} rad/s"));
            stdout.WriteLine(string.Create(inv, $"  current-sensor offset {outcome.CurrentOffsetCounts:F2} counts; gain: one armature channel, nothing to match (an absolute gain error needs a reference current: it scales R_a, L_a by 1/(1+e) and J, friction by 1+e)"));
            EncoderSpec? encoder = config.Sensors.Encoder;
            if (encoder is not null && outcome.EncoderDirection != 0)
            {
                stdout.WriteLine(string.Create(inv, $"  encoder direction {encoder.Direction * outcome.EncoderDirection:+0;-0} (sensors.encoder.direction {encoder.Direction:+0;-0})"));
            }
            if (encoder is not null && outcome.EncoderCountsPerRevolution > 0)
            {
                stdout.WriteLine(string.Create(inv, $"  encoder {outcome.EncoderCountsPerRevolution} counts per revolution between index pulses (sensors.encoder: {encoder.CountsPerRevolution})"));
            }
            if (FailureExit(encoder, outcome.EncoderDirection, outcome.EncoderCountsPerRevolution, outcome.AbortReason, outcome.Faulted,
                    outcome.Result?.Faults, procedure.Phase.ToString(), Path.GetFileName(configPath), stderr) is int dcFailed)
            {
                return dcFailed;
            }
            DcIdentificationResult id = outcome.Identified!;
            stdout.WriteLine(string.Create(inv, $"  R_a {id.ArmatureResistance:G5} Ω, L_a {id.ArmatureInductance:G5} H (voltage lag {id.VoltageLagTicks} ticks)"));
            stdout.WriteLine(string.Create(inv, $"  psi_e {id.ExcitationFlux:G5} V·s, J {id.Inertia:G5} kg·m², friction {id.CoulombFriction:G4} N·m + {id.ViscousFriction:G4} N·m·s/rad"));
            var section = new MotorSection
            {
                Type = "permex-dc",
                RA = id.ArmatureResistance,
                LA = id.ArmatureInductance,
                PsiE = id.ExcitationFlux,
                JRotor = id.Inertia,
                FrictionCoulomb = Math.Max(0, id.CoulombFriction),
                FrictionViscous = Math.Max(0, id.ViscousFriction),
                Limits = new MotorLimitsSection
                {
                    Current = nominal.Limits.Current, Voltage = nominal.Limits.Voltage, Speed = nominal.Limits.Speed, Torque = nominal.Limits.Torque,
                    ExcitationCurrent = nominal.Limits.ExcitationCurrent,
                },
            };
            WriteSensors(config.Sensors, sensorsOutPath, stdout);
            return WriteSection(section, outPath, stdout);
        }
        finally
        {
            rig.Rig.Dispose();
            server?.Dispose();
        }
    }

    /// <summary>Writes the sensors section (<c>--sensors-out</c>) when asked for.</summary>
    private static void WriteSensors(SensorSpec sensors, string? path, TextWriter stdout)
    {
        if (path is null) return;
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(sensors, RuntimeConfigJson.Default.SensorSpec) + Environment.NewLine);
        stdout.WriteLine($"  wrote {path}");
    }

    /// <summary>
    /// The current channels' relative gains after a run that measured channel b (and c) against channel a through the
    /// chain's present gains: g_k · ratio_k, channel a kept (the reference); c only when it has a sensor.
    /// </summary>
    internal static double[] MatchedGains(CurrentSensorSpec current, double ratioB, double ratioC)
    {
        var g = new double[current.PhasesSensed];
        for (int k = 0; k < g.Length; k++) g[k] = current.Gain(k);
        if (g.Length >= 2) g[1] *= ratioB;
        if (g.Length >= 3) g[2] *= ratioC;
        return g;
    }

    private static int WriteSection(MotorSection section, string? outPath, TextWriter stdout)
    {
        string json = JsonSerializer.Serialize(section, RuntimeConfigJson.Default.MotorSection);
        if (outPath is null)
        {
            stdout.WriteLine(json);
        }
        else
        {
            AtomicFile.WriteAllText(outPath, json + Environment.NewLine);
            stdout.WriteLine($"  wrote {outPath}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The PMSM or SynRM calibration (<see cref="PmsmCalibrationRun"/>) on the built rig; returns the exit code.</summary>
    private static int RunPmsm(RuntimeConfig config, string configPath, string? outPath, string? sensorsOutPath, MotorParameters nominal, RigBuild rig, double currentLimit, double voltageLimit, double spinSpeed,
        TextWriter stdout, TextWriter stderr, Action<RigBuild>? afterOpen)
    {
        EncoderSpec encoder = config.Sensors.Encoder
            ?? throw new ConfigException(config.File, "sensors.encoder", "a PMSM or SynRM calibration measures the rotor angle with the encoder, and the config has none",
                "add \"encoder\": { \"lines_per_revolution\": ..., \"has_index\": true } to sensors");
        bool synrm = nominal.Type == MotorType.SynRm;
        var options = new PmsmCalibrationOptions
        {
            CurrentLimit = currentLimit > 0 ? currentLimit : 0.5 * nominal.Limits.Current,
            VoltageLimit = voltageLimit > 0 ? voltageLimit : nominal.Limits.Voltage,
            SpinSpeed = spinSpeed > 0 ? spinSpeed : 0.25 * nominal.Limits.Speed,
            // A SynRM has no magnet: the reluctance torque aligns the rotor (no turning away as for a PMSM, so the
            // alignment may use the step current) and the spin needs a d current besides the torque-making q current.
            Reluctance = synrm,
            AlignCurrentFraction = synrm ? 0.5 : 0.1,
            SpinDCurrentFraction = synrm ? 0.3 : 0,
        };
        var procedure = new PmsmCalibrationProcedure(options);
        ControlLoop loop = CalibrationLoop.Create(config, rig.Rig, nominal, procedure);
        PmsmCalibrationOutcome outcome;
        using (loop)
        {
            outcome = PmsmCalibrationRun.Execute(loop, procedure, config.Timing.Period, afterOpen is null ? null : () => afterOpen(rig));
        }
        var inv = CultureInfo.InvariantCulture;
        string file = Path.GetFileName(configPath);
        stdout.WriteLine(string.Create(inv, $"calibrate {file} on rig \"{rig.Rig.Description.Name}\" ({(synrm ? "synrm" : "pmsm")}): step limits {options.CurrentLimit:G4} A, {options.VoltageLimit:G4} V; spin speed {options.SpinSpeed:G4} rad/s"));
        stdout.WriteLine(string.Create(inv, $"  current-sensor offsets {outcome.CurrentOffsetCountsA:F2}, {outcome.CurrentOffsetCountsB:F2} counts"));
        bool threeSensed = config.Sensors.Current.PhasesSensed >= 3;
        if (double.IsFinite(outcome.GainRatioB))
        {
            stdout.WriteLine(string.Create(inv, $"  current-sensor gains relative to channel a (as read through sensors.current.gains): b {outcome.GainRatioB:F5}{(threeSensed ? string.Create(inv, $", c {outcome.GainRatioC:F5}") : "")} (a gain common to all channels needs a reference current)"));
        }
        if (double.IsFinite(outcome.ProbeResistance))
        {
            stdout.WriteLine(string.Create(inv, $"  probe: R_s about {outcome.ProbeResistance:G4} Ω; settled alignment at {options.AlignCurrentFraction * options.CurrentLimit:G4} A: U/|i| = {procedure.AlignResistance:G5} Ω"));
        }
        if (outcome.EncoderDirection != 0)
        {
            stdout.WriteLine(string.Create(inv, $"  encoder direction {encoder.Direction * outcome.EncoderDirection:+0;-0} (sensors.encoder.direction {encoder.Direction:+0;-0})"));
        }
        if (outcome.PolePairs > 0)
        {
            stdout.WriteLine(string.Create(inv, $"  pole pairs {outcome.PolePairs} (motor: {nominal.PolePairs:G})"));
        }
        if (double.IsFinite(outcome.ElectricalAngleOffset))
        {
            stdout.WriteLine(string.Create(inv, $"  electrical angle offset {outcome.ElectricalAngleOffset:F4} rad (sensors.encoder.electrical_angle_offset {encoder.ElectricalAngleOffset:F4})"));
        }
        if (outcome.EncoderCountsPerRevolution > 0)
        {
            stdout.WriteLine(string.Create(inv, $"  encoder {outcome.EncoderCountsPerRevolution} counts per revolution between index pulses (sensors.encoder: {encoder.CountsPerRevolution})"));
        }
        if (FailureExit(encoder, outcome.EncoderDirection, outcome.EncoderCountsPerRevolution, outcome.AbortReason, outcome.Faulted,
                outcome.Result?.Faults, procedure.Phase.ToString(), file, stderr) is int pmsmFailed)
        {
            return pmsmFailed;
        }
        PmsmIdentificationResult id = outcome.Identified!;
        stdout.WriteLine(string.Create(inv, $"  R_s {id.StatorResistance:G5} Ω, L_d {id.InductanceD:G5} H, L_q {id.InductanceQ:G5} H (voltage lag {id.VoltageLagTicks} ticks; the rotor moved at most {procedure.StepExcursion:G3} rad electrical during the steps)"));
        stdout.WriteLine(string.Create(inv, $"  {(synrm ? "psi_p 0 V·s (no magnet: not measured)" : $"psi_p {id.PermanentMagnetFlux:G5} V·s")}, J {id.Inertia:G5} kg·m², friction {id.CoulombFriction:G4} N·m + {id.ViscousFriction:G4} N·m·s/rad"));
        double offsetError = Contracts.SpaceVector.WrapToPi(id.ElectricalAngleOffset - encoder.ElectricalAngleOffset);
        // A SynRM's rotor is the same after half an electrical turn (no magnet): its offset is defined modulo π.
        if (synrm) offsetError = 0.5 * Contracts.SpaceVector.WrapToPi(2 * offsetError);
        if (Math.Abs(offsetError) > 0.05)
        {
            // The identification used its own angle, so the section is right; the config's FOC would run on a wrong frame.
            stdout.WriteLine(string.Create(inv, $"  note: set sensors.encoder.electrical_angle_offset to {id.ElectricalAngleOffset:F4} in {file} (configured {encoder.ElectricalAngleOffset:F4}: {offsetError:F3} rad off)"));
        }
        var section = new MotorSection(id.PolePairs)
        {
            Type = synrm ? "synrm" : "pmsm",
            RS = id.StatorResistance,
            LD = id.InductanceD,
            LQ = id.InductanceQ,
            PsiP = id.PermanentMagnetFlux, // 0 for a SynRM
            JRotor = id.Inertia,
            FrictionCoulomb = Math.Max(0, id.CoulombFriction),
            FrictionViscous = Math.Max(0, id.ViscousFriction),
            Limits = new MotorLimitsSection
            {
                Current = nominal.Limits.Current, Voltage = nominal.Limits.Voltage, Speed = nominal.Limits.Speed, Torque = nominal.Limits.Torque,
            },
        };
        double[] gains = MatchedGains(config.Sensors.Current, outcome.GainRatioB, outcome.GainRatioC);
        stdout.WriteLine(string.Create(inv, $"  sensors.current.gains [{string.Join(", ", gains.Select(g => g.ToString("F5", inv)))}]"));
        WriteSensors(config.Sensors with
        {
            Current = config.Sensors.Current with { Gains = gains },
            Encoder = encoder with { ElectricalAngleOffset = id.ElectricalAngleOffset },
        }, sensorsOutPath, stdout);
        return WriteSection(section, outPath, stdout);
    }

    /// <summary>
    /// The failures a DC and a synchronous-machine run end on, in this order: a reversed encoder, a line count that
    /// differs from the one counted between index pulses, a faulted run (supervisor trip or the procedure's abort).
    /// Prints what happened and the fix; returns <see cref="ExitCodes.RunFaulted"/>, or null when the run is good.
    /// </summary>
    private static int? FailureExit(EncoderSpec? encoder, int encoderDirection, long countsPerRevolution, string abortReason, bool faulted,
        FaultRecord[]? faults, string phase, string file, TextWriter stderr)
    {
        var inv = CultureInfo.InvariantCulture;
        if (encoder is not null && encoderDirection < 0)
        {
            stderr.WriteLine($"motorrt calibrate: {abortReason}");
            stderr.WriteLine(string.Create(inv, $"  fix: set sensors.encoder.direction to {-encoder.Direction} in {file} (or swap the encoder's A and B wires)"));
            return ExitCodes.RunFaulted;
        }
        if (encoder is not null && countsPerRevolution > 0 && countsPerRevolution != encoder.CountsPerRevolution)
        {
            stderr.WriteLine(string.Create(inv, $"motorrt calibrate: the encoder gives {countsPerRevolution} counts per revolution, sensors.encoder.lines_per_revolution {encoder.LinesPerRevolution} means {encoder.CountsPerRevolution}: speed and flux were measured wrong"));
            stderr.WriteLine(countsPerRevolution % 4 == 0
                ? string.Create(inv, $"  fix: set sensors.encoder.lines_per_revolution to {countsPerRevolution / 4} in {file}")
                : "  fix: check the encoder wiring (missed or extra edges)");
            return ExitCodes.RunFaulted;
        }
        if (faulted)
        {
            foreach (FaultRecord f in faults ?? []) stderr.WriteLine($"motorrt calibrate: FAULT {FaultText.Describe(f)}");
            string reason = abortReason.Length > 0 ? abortReason : "the supervisor tripped";
            stderr.WriteLine($"motorrt calibrate: the calibration run faulted in phase {phase}: {reason}");
            stderr.WriteLine("  fix: check the rig, or lower --current-limit / --voltage-limit below the config's limits section");
            return ExitCodes.RunFaulted;
        }
        return null;
    }
}
