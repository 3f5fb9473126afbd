using MotorRT.Contracts.Composition;

namespace MotorRT.Hardware.Hil;

/// <summary>Rig kind <c>"remote"</c>: a plant server (<c>motorrt plant-server</c>) over the UDP HIL link (<see cref="RemoteRig"/>).</summary>
public sealed class RemoteRigKind : IRigKind
{
    /// <inheritdoc />
    public string Type => "remote";

    /// <inheritdoc />
    public string Summary => "A plant server on 127.0.0.1 over the UDP HIL protocol (lock-step or free-running).";

    /// <inheritdoc />
    public System.Text.Json.Serialization.Metadata.JsonTypeInfo Section => RemoteRigOptions.SectionInfo;

    /// <inheritdoc />
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RigBuild(new RemoteRig(RemoteRigOptions.Read(request.Section)));
    }
}
