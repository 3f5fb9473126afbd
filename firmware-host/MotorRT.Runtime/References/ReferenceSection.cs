using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.References;

/// <summary>The <c>reference</c> section as written in the file: one optional profile per quantity.</summary>
public sealed record ReferenceSection : IConfigValidation
{
    /// <summary>Speed reference, in rad/s.</summary>
    [ConfigField("Speed reference profile, rad/s.")]
    public ProfileSection? Speed { get; init; }

    /// <summary>Mechanical position reference, in rad (unwrapped, multi-turn).</summary>
    [ConfigField("Mechanical position reference profile, rad (unwrapped: 20 rad is a bit over three turns); followed by the *-position controllers.")]
    public ProfileSection? Position { get; init; }

    /// <summary>Torque reference, in N·m.</summary>
    [ConfigField("Torque reference profile, N·m.")]
    public ProfileSection? Torque { get; init; }

    /// <summary>DC armature / AC d-axis current reference, in A.</summary>
    [ConfigField("DC armature / AC d-axis current reference profile, A (same as current_d).")]
    public ProfileSection? Current { get; init; }

    /// <summary>Alias of <see cref="Current"/>.</summary>
    [ConfigField("AC d-axis current reference profile, A (same as current).")]
    public ProfileSection? CurrentD { get; init; }

    /// <summary>q-axis current reference, in A.</summary>
    [ConfigField("q-axis current reference profile, A.")]
    public ProfileSection? CurrentQ { get; init; }

    /// <summary>Excitation current reference, in A.</summary>
    [ConfigField("Excitation current reference profile, A.")]
    public ProfileSection? CurrentExcitation { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (Current is not null && CurrentD is not null)
        {
            throw scope.Error("current_d", "both \"current\" and \"current_d\" are given (they are the same reference)", "keep one of them");
        }
    }
}

/// <summary>One reference profile r(t), chosen by <c>"type"</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ConstantProfileSection), "constant")]
[JsonDerivedType(typeof(StepProfileSection), "step")]
[JsonDerivedType(typeof(StepsProfileSection), "steps")]
[JsonDerivedType(typeof(RampProfileSection), "ramp")]
[JsonDerivedType(typeof(SineProfileSection), "sine")]
[JsonDerivedType(typeof(CsvProfileSection), "csv")]
[JsonDerivedType(typeof(SumProfileSection), "sum")]
public abstract record ProfileSection
{
    /// <summary>Builds the profile; <paramref name="scope"/> locates this section for errors (CSV files).</summary>
    public abstract ReferenceProfile Build(ConfigScope scope);
}

/// <summary><c>{"type": "constant", "value"}</c>.</summary>
public sealed record ConstantProfileSection : ProfileSection
{
    /// <summary>The value, in the unit of the quantity.</summary>
    [ConfigField("The value, in the unit of the quantity.")]
    public required double Value { get; init; }

    /// <inheritdoc />
    public override ReferenceProfile Build(ConfigScope scope) => new StepsProfile([0.0], [Value]);
}

/// <summary><c>{"type": "step", "initial", "final", "time"}</c>.</summary>
public sealed record StepProfileSection : ProfileSection
{
    /// <summary>Value before the step.</summary>
    [ConfigField("Value before the step.")]
    public double Initial { get; init; }

    /// <summary>Value from the step on.</summary>
    [ConfigField("Value from the step on.")]
    public required double Final { get; init; }

    /// <summary>Time of the step, in s.</summary>
    [ConfigField("Time of the step.", Min = 0, Max = 1e6, Unit = "s")]
    public double Time { get; init; }

    /// <inheritdoc />
    public override ReferenceProfile Build(ConfigScope scope) => new StepsProfile([0.0, Time], [Initial, Final]);
}

/// <summary><c>{"type": "steps", "times": [..], "values": [..]}</c>: a staircase.</summary>
public sealed record StepsProfileSection : ProfileSection, IConfigValidation
{
    /// <summary>Step times, in s, strictly increasing.</summary>
    [ConfigField("Step times, strictly increasing.", Min = 0, Max = 1e6, Unit = "s")]
    public required double[] Times { get; init; }

    /// <summary>The value from each time on.</summary>
    [ConfigField("The value from each time on (one per time).")]
    public required double[] Values { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (Times.Length == 0) throw scope.Error("times", "no steps given", "give at least one time and value");
        if (Values.Length != Times.Length) throw scope.Error("values", $"expected {Times.Length} numbers, found {Values.Length}", $"give exactly {Times.Length} values");
        for (int i = 1; i < Times.Length; i++)
        {
            if (Times[i] <= Times[i - 1]) throw scope.Error($"times[{i}]", "times must increase strictly", "sort the steps by time");
        }
    }

    /// <inheritdoc />
    public override ReferenceProfile Build(ConfigScope scope) => new StepsProfile(Times, Values);
}

/// <summary><c>{"type": "ramp", "from", "to", "start", "end"}</c>.</summary>
public sealed record RampProfileSection : ProfileSection, IConfigValidation
{
    /// <summary>Value up to <see cref="Start"/>.</summary>
    [ConfigField("Value up to start.")]
    public double From { get; init; }

    /// <summary>Value from <see cref="End"/> on.</summary>
    [ConfigField("Value from end on.")]
    public required double To { get; init; }

    /// <summary>Ramp start, in s.</summary>
    [ConfigField("Ramp start.", Min = 0, Max = 1e6, Unit = "s")]
    public double Start { get; init; }

    /// <summary>Ramp end, in s (after start).</summary>
    [ConfigField("Ramp end (after start).", Min = 0, Max = 1e6, Unit = "s")]
    public required double End { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (End <= Start) throw scope.Error("end", "the ramp must end after it starts", "make end > start");
    }

    /// <inheritdoc />
    public override ReferenceProfile Build(ConfigScope scope) => new RampProfile(From, To, Start, End);
}

/// <summary><c>{"type": "sine", "offset", "amplitude", "frequency", "phase", "start"}</c>.</summary>
public sealed record SineProfileSection : ProfileSection
{
    /// <summary>Offset (and the value before start).</summary>
    [ConfigField("Offset, and the value before start.")]
    public double Offset { get; init; }

    /// <summary>Amplitude.</summary>
    [ConfigField("Amplitude.")]
    public required double Amplitude { get; init; }

    /// <summary>Frequency, in Hz.</summary>
    [ConfigField("Frequency.", Min = 0, Max = 1e5, Unit = "Hz")]
    public double Frequency { get; init; }

    /// <summary>Phase at start, in rad.</summary>
    [ConfigField("Phase at start.", Min = -2 * Math.PI, Max = 2 * Math.PI, Unit = "rad")]
    public double Phase { get; init; }

    /// <summary>Start time, in s.</summary>
    [ConfigField("Start time.", Min = 0, Max = 1e6, Unit = "s")]
    public double Start { get; init; }

    /// <inheritdoc />
    public override ReferenceProfile Build(ConfigScope scope) => new SineProfile(Offset, Amplitude, Frequency, Phase, Start);
}

/// <summary><c>{"type": "csv", "file", "column"}</c>: samples from a CSV file, linearly interpolated.</summary>
public sealed record CsvProfileSection : ProfileSection
{
    /// <summary>CSV file, relative to the config file.</summary>
    [ConfigField("CSV file with a header row and a \"time\" column (s), relative to the config file.")]
    public required string File { get; init; }

    /// <summary>Name of the value column.</summary>
    [ConfigField("Name of the value column.")]
    public required string Column { get; init; }

    /// <inheritdoc />
    public override ReferenceProfile Build(ConfigScope scope) => CsvProfile.Load(File, Column, scope);
}

/// <summary><c>{"type": "sum", "terms": [..]}</c>: the sum of several profiles.</summary>
public sealed record SumProfileSection : ProfileSection, IConfigValidation
{
    /// <summary>The profiles added up (at least one).</summary>
    [ConfigField("The profiles added up (at least one).")]
    public required ProfileSection[] Terms { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (Terms.Length == 0) throw scope.Error("terms", "a sum needs at least one term", "give one or more profiles in \"terms\", or use that profile directly");
    }

    /// <inheritdoc />
    public override ReferenceProfile Build(ConfigScope scope)
    {
        var terms = new ReferenceProfile[Terms.Length];
        for (int i = 0; i < terms.Length; i++) terms[i] = Terms[i].Build(scope.Child("terms").Child($"[{i}]"));
        return new SumProfile(terms);
    }
}
