using System.Globalization;
using System.Text;
using MotorRT.Contracts;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Sim.Gym;

namespace MotorRT.Cli.Train;

/// <summary>
/// The observation/action contract of a policy trained on a GEM environment, as a sidecar spec the runtime reads:
/// GEM's flattened observation (every normalised state in GEM's order, then the normalised references, each divided
/// by its GEM limit) mapped onto the runtime's observation quantities, and GEM's continuous action (duty cycles in
/// [−1, 1]). Also writes a runtime config that mirrors the environment (the preset's plant and load, no PWM delay,
/// near-ideal sensors) so a policy tracks in <c>motorrt simulate</c> as it did in the environment.
/// </summary>
internal static class GemPolicyContract
{
    /// <summary>The runtime quantity that reads GEM state or reference <paramref name="name"/>, or null when there is none.</summary>
    public static ObservationQuantity? QuantityOf(string name) => name switch
    {
        "omega" => ObservationQuantity.MechanicalSpeed,
        "torque" => ObservationQuantity.Torque,
        "i" or "i_a" => ObservationQuantity.CurrentA,
        "i_e" => ObservationQuantity.CurrentExcitation,
        "i_sd" => ObservationQuantity.CurrentD,
        "i_sq" => ObservationQuantity.CurrentQ,
        "u" or "u_a" => ObservationQuantity.LastVoltageD,
        "u_sup" => ObservationQuantity.DcLinkVoltage,
        "epsilon" => ObservationQuantity.ElectricalAngle,
        "ref_omega" => ObservationQuantity.ReferenceSpeed,
        "ref_torque" => ObservationQuantity.ReferenceTorque,
        "ref_i" or "ref_i_a" or "ref_i_sd" => ObservationQuantity.ReferenceCurrentD,
        "ref_i_sq" => ObservationQuantity.ReferenceCurrentQ,
        "ref_i_e" => ObservationQuantity.ReferenceCurrentExcitation,
        _ => null,
    };

    /// <summary>
    /// The sidecar spec of a policy for <paramref name="env"/>; throws <see cref="ArgumentException"/> naming the GEM
    /// state the runtime cannot observe, or a finite (discrete-action) environment.
    /// </summary>
    /// <param name="env">The environment the policy was trained on.</param>
    /// <param name="inputName">Graph input name.</param>
    /// <param name="outputName">Graph output name, or null to read <paramref name="outputIndex"/>.</param>
    /// <param name="outputIndex">Graph output position when unnamed (SB3's exports: 0).</param>
    /// <param name="postprocess">Unscale for tanh-squashed actors (TD3, DDPG, SAC), Clip for PPO/A2C.</param>
    /// <param name="dqActions">The policy acts in GEM's dq action space (<see cref="GemRlEnvironment"/>): u_dq in units of
    /// u_sup/2, inverse Park at ε + 0.5·τ·ω (GEM's advance, mechanical ω: 0.5/p periods of the electrical angle).</param>
    public static OnnxPolicySpec Spec(GemEnv env, string inputName, string? outputName, int outputIndex, ActionPostprocess postprocess, bool dqActions = false)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.IsFinite) throw new ArgumentException($"{env.Spec.Id} has discrete (switching-state) actions; the ONNX runtime runs continuous-action policies only, use the Cont-… environment");
        IReadOnlyList<string> names = env.ObservationNames;
        var observation = new ObservationEntry[names.Count];
        int states = env.Layout.Count;
        for (int k = 0; k < names.Count; k++)
        {
            string name = names[k];
            ObservationQuantity q = QuantityOf(name)
                ?? throw new ArgumentException($"{env.Spec.Id}: the runtime has no observation quantity for GEM state \"{name}\"; supported states: omega, torque, i/i_a, i_e, i_sd, i_sq, u/u_a, u_sup, epsilon and references of omega, torque and currents");
            string state = k < states ? name : name["ref_".Length..];
            observation[k] = new ObservationEntry(q, env.Layout.Limits[env.Layout.IndexOf(state)]);
        }
        int n = dqActions ? 2 : env.ActionCount;
        bool ac = !env.Plant.Motor.IsDc;
        if (ac && n != 3 && !dqActions) throw new ArgumentException($"{env.Spec.Id}: {n} actions; the runtime's AC action is three phase duty cycles");
        var low = new double[n];
        var high = new double[n];
        Array.Fill(low, -1.0);
        Array.Fill(high, 1.0);
        return new OnnxPolicySpec
        {
            SidecarFile = "(generated)",
            ModelPath = "",
            InputName = inputName,
            OutputName = outputName,
            OutputIndex = outputIndex,
            Observation = observation,
            Action = new ActionSpec
            {
                Meaning = dqActions ? ActionMeaning.VoltageDq : ac ? ActionMeaning.DutyAbc : ActionMeaning.DutyDc,
                VoltageLimit = dqActions ? env.Plant.Spec.Supply.NominalVoltage / 2 : 0,
                AngleAdvance = dqActions ? 0.5 / env.Plant.Motor.PolePairs : 0,
                Postprocess = postprocess,
                Low = low,
                High = high,
                ValidMin = postprocess == ActionPostprocess.Clip ? -100.0 : -1.0 - 1e-6,
                ValidMax = postprocess == ActionPostprocess.Clip ? 100.0 : 1.0 + 1e-6,
            },
        };
    }

    /// <summary>One-line description of the observation for sidecar notes, e.g. "omega/400, torque/38, …".</summary>
    public static string Describe(GemEnv env, OnnxPolicySpec spec)
    {
        var sb = new StringBuilder();
        for (int k = 0; k < spec.Observation.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            sb.Append(CultureInfo.InvariantCulture, $"{env.ObservationNames[k]}/{spec.Observation[k].Limit:G6}");
        }
        return sb.ToString();
    }

    /// <summary>
    /// The step profile of the controlled quantity that <see cref="MirrorConfig"/> writes and <c>motorrt train</c>
    /// evaluates: for Cont-SC-SeriesDc-v0 the GEM paper's 0 → 50 → 120 → 80 → 150 rad/s, otherwise the same shape as
    /// fractions of the limit (negative levels only where the machine allows them); equal holds over
    /// <paramref name="duration"/>.
    /// </summary>
    public static StepProfile Profile(GemEnv env, double duration)
    {
        ArgumentNullException.ThrowIfNull(env);
        StateLayout layout = env.Layout;
        string task = env.Spec.Id.Split('-')[1];
        bool ac = !env.Plant.Motor.IsDc;
        string state = task switch
        {
            "SC" => "omega",
            "TC" => "torque",
            _ => ac ? "i_sq" : layout.Names.Contains("i_a") ? "i_a" : "i",
        };
        string quantity = task switch { "SC" => "speed", "TC" => "torque", _ => "current" };
        double limit = layout.Limits[layout.IndexOf(state)];
        bool positiveOnly = env.Plant.Motor.Type == MotorRT.Contracts.Machines.MotorType.SeriesDc;
        double[] fractions = task == "SC" && positiveOnly && Math.Abs(limit - 400) < 1e-9
            ? [0, 50 / 400.0, 120 / 400.0, 80 / 400.0, 150 / 400.0]
            : positiveOnly ? [0, 0.125, 0.3, 0.2, 0.375] : [0, 0.125, 0.3, -0.2, 0.375];
        double hold = duration / fractions.Length;
        return new StepProfile(quantity, state, [.. fractions.Select((_, k) => k * hold)], [.. fractions.Select(f => f * limit)]);
    }

    /// <summary>
    /// A runtime config (JSON text) that runs the policy of <paramref name="env"/> on a simulated rig mirroring the
    /// environment: the env's preset plant (same load), no PWM delay, 24-bit current/voltage ADCs and a fine encoder,
    /// lock-step at 1/τ, a step profile of the controlled quantity.
    /// </summary>
    /// <param name="env">The environment.</param>
    /// <param name="sidecarPath">The sidecar path as the config should name it (relative to the config's folder).</param>
    /// <param name="duration">Run length, s.</param>
    /// <param name="motorParameter">Overrides of the preset motor's parameters the environment was built with (GEM names, SI), or null.</param>
    /// <param name="loadSpeed">The speed the environment's constant-speed load holds instead of the preset's, rad/s, or null.</param>
    public static string MirrorConfig(GemEnv env, string sidecarPath, double duration, IReadOnlyDictionary<string, double>? motorParameter = null, double? loadSpeed = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var inv = CultureInfo.InvariantCulture;
        string id = env.Spec.Id;
        StateLayout layout = env.Layout;
        double Limit(string s) => layout.Limits[layout.IndexOf(s)];
        bool ac = !env.Plant.Motor.IsDc;
        string currentState = ac ? "i_sq" : layout.Names.Contains("i_a") ? "i_a" : "i";
        double iLimit = Limit(currentState), uSup = Limit("u_sup"), wLimit = Limit("omega");
        StepProfile profile = Profile(env, duration);
        string quantity = profile.Quantity;
        string times = string.Join(", ", profile.Times.Select(t => t.ToString("R", inv)));
        string values = string.Join(", ", profile.Values.Select(v => v.ToString("R", inv)));
        double ampsPerCount = 4 * iLimit / (1 << 24);
        double voltsPerCount = 2 * uSup / (1 << 24);
        double tau = env.Plant.Tau;
        string overrides = motorParameter is { Count: > 0 }
            ? $", \"motor_parameter\": {{ {string.Join(", ", motorParameter.Select(kv => $"\"{kv.Key}\": {kv.Value.ToString("R", inv)}"))} }}"
            : "";
        if (loadSpeed is { } w) overrides += $", \"load\": {{ \"type\": \"constant_speed\", \"omega\": {w.ToString("R", inv)} }}";
        string text = $$"""
            {
              // Generated by motorrt for a policy trained on GEM's {{id}}: mirrors the environment — the preset's plant
              // and load, no PWM delay, 24-bit ADCs and a fine encoder (near-ideal sensors), lock-step at 1/tau.
              "notes": "motorrt simulate <this file> --out runs/policy",
              "rig": { "type": "sim", "sub_steps": 1, "pwm_delay_periods": 0, "bridge_off": "diode_freewheel" },
              "plant": { "preset": "{{id}}"{{overrides}} },
              "sensors": {
                "current": { "bits": 24, "amperes_per_count": {{ampsPerCount.ToString("R", inv)}}, "zero_counts": {{1 << 23}}, "phases_sensed": {{(ac ? 2 : 1)}} },
                "dc_link": { "bits": 24, "volts_per_count": {{voltsPerCount.ToString("R", inv)}} },
                "encoder": { "lines_per_revolution": 1048576, "has_index": true }
              },
              // the 24-bit current ADC resolves 5e-5 A: the default offset check of 200 counts would trip on the
              // fraction of an ampere that a constant-speed load's back-EMF drives at arm time; allow 1 A.
              "estimator": { "max_offset_deviation": {{Math.Ceiling(1.0 / ampsPerCount).ToString("R", inv)}} },
              "controller": { "type": "onnx", "sidecar": "{{sidecarPath.Replace('\\', '/')}}", "fallback": "safe" },
              "reference": {
                "{{quantity}}": { "type": "steps", "times": [{{times}}], "values": [{{values}}] }
              },
              "limits": {
                "phase_current": {{(1.2 * iLimit).ToString("R", inv)}}, "dc_link_over_voltage": {{(1.4 * uSup).ToString("R", inv)}}, "dc_link_under_voltage": {{(0.6 * uSup).ToString("R", inv)}}, "speed": {{(1.1 * wLimit).ToString("R", inv)}}
              },
              "timing": { "frequency": {{(1.0 / tau).ToString("R", inv)}}, "duration": {{duration.ToString("R", inv)}}, "mode": "lock-step" },
              "seed": 1
            }

            """;
        return text;
    }
}

/// <summary>A step profile of one controlled quantity.</summary>
/// <param name="Quantity">The runtime config's reference key: speed, torque or current.</param>
/// <param name="State">The GEM state it references (omega, torque, i, i_a, i_sq).</param>
/// <param name="Times">Step times, s.</param>
/// <param name="Values">Levels from each time on, SI (rad/s, N·m, A).</param>
internal sealed record StepProfile(string Quantity, string State, double[] Times, double[] Values)
{
    /// <summary>The level at time <paramref name="t"/> (s).</summary>
    public double At(double t)
    {
        int k = 0;
        while (k + 1 < Times.Length && t >= Times[k + 1]) k++;
        return Values[k];
    }
}
