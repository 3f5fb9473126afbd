using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;

namespace MotorRT.Runtime.Rigs;

/// <summary>Rig kind <c>"replay"</c>: a recorded raw-frame trace (<see cref="ReplayRig"/>); <c>file</c> is relative to the config.</summary>
public sealed class ReplayRigKind : IRigKind
{
    /// <inheritdoc />
    public string Type => "replay";

    /// <inheritdoc />
    public string Summary => "Replays a raw-frame trace recorded by a RecordingRig (commands are ignored).";

    /// <inheritdoc />
    public JsonTypeInfo Section => RuntimeConfig.JsonOptions.GetTypeInfo(typeof(ReplayRigSection));

    /// <inheritdoc />
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RawSection rig = request.Section;
        string file = rig.Read((JsonTypeInfo<ReplayRigSection>)Section).File;
        string path = Path.IsPathRooted(file) ? file : Path.Combine(rig.Scope.BaseDirectory, file);
        if (!File.Exists(path)) throw rig.Error("file", $"raw-frame trace \"{path}\" not found", "record one with a RecordingRig or give the right path (relative to the config)");
        return new RigBuild(new ReplayRig(path));
    }
}

/// <summary>The <c>rig</c> section of type <c>"replay"</c> as written in the file.</summary>
public sealed record ReplayRigSection
{
    /// <summary>The rig kind, <c>"replay"</c>.</summary>
    [ConfigField("The rig kind.", Choices = "replay")]
    public required string Type { get; init; }

    /// <summary>The raw-frame trace, relative to the config file.</summary>
    [ConfigField("The raw-frame trace recorded by a RecordingRig, relative to the config file.")]
    public required string File { get; init; }
}

/// <summary>A rig type this program deliberately does not build, with the reason and where to go instead.</summary>
/// <param name="Type">The <c>rig.type</c>.</param>
/// <param name="Problem">Why it is refused here.</param>
/// <param name="Fix">What to do instead.</param>
public sealed record UnavailableRigKind(string Type, string Problem, string Fix) : IRigKind
{
    /// <inheritdoc />
    public string Summary => Problem;

    /// <inheritdoc />
    public JsonTypeInfo Section => RuntimeConfig.JsonOptions.GetTypeInfo(typeof(RigTypeSection));

    /// <inheritdoc />
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        throw request.Section.Error("type", Problem, Fix);
    }
}

/// <summary>The <c>rig</c> section of a kind this program does not build: only its <c>type</c> is described.</summary>
public sealed record RigTypeSection
{
    /// <summary>The rig kind.</summary>
    [ConfigField("The rig kind.")]
    public required string Type { get; init; }
}
