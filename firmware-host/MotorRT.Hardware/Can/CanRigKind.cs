using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Hardware.Hil;

namespace MotorRT.Hardware.Can;

/// <summary>
/// The rig-kind mechanics the CAN smart-drive kinds (<c>"odrive"</c>, <c>"moteus"</c>) share: reading and validating
/// the section, requiring <c>sensors.encoder</c> (the board's position is reported as encoder counts), and for
/// <c>"emulate": true</c> building the plant of the <c>sim</c> sub-section (<see cref="CanRigEmulation"/>) before the
/// kind builds its emulated board and rig. Each kind keeps its own section fields, messages and protocol.
/// </summary>
/// <typeparam name="TSection">The kind's section record.</typeparam>
public abstract class CanRigKind<TSection> : IRigKind
    where TSection : CanRigSection
{
    /// <inheritdoc />
    public abstract string Type { get; }

    /// <inheritdoc />
    public abstract string Summary { get; }

    /// <summary>Metadata of the section record.</summary>
    public static JsonTypeInfo<TSection> SectionInfo =>
        (JsonTypeInfo<TSection>)HardwareConfigJson.ConfigOptions.GetTypeInfo(typeof(TSection));

    /// <inheritdoc />
    public JsonTypeInfo Section => SectionInfo;

    /// <summary>The board's name in messages ("ODrive", "moteus").</summary>
    protected abstract string BoardName { get; }

    /// <summary>The message when <c>sensors.encoder</c> is missing (what the rig reports as encoder counts).</summary>
    protected abstract string MissingEncoderMessage { get; }

    /// <summary>True when <paramref name="section"/> asks for the emulated board.</summary>
    protected abstract bool IsEmulated(TSection section);

    /// <summary>Builds the rig on a real bus (the interface opened in <see cref="Contracts.IRigIo.Open"/>).</summary>
    protected abstract RigBuild CreateReal(TSection section, RigRequest request);

    /// <summary>Builds the emulated board and the rig over <paramref name="plant"/> (see <see cref="CanRigEmulation.CreateBoard"/>).</summary>
    protected abstract RigBuild CreateEmulated(TSection section, RigRequest request, RigBuild plant);

    /// <inheritdoc />
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RawSection rig = request.Section;
        TSection s = rig.Read(SectionInfo);
        if (request.Sensors.Encoder is null)
        {
            throw rig.Error("type", MissingEncoderMessage,
                "add sensors.encoder (lines_per_revolution: the counts per turn / 4 the trace should use)");
        }
        if (!IsEmulated(s)) return CreateReal(s, request);
        return CreateEmulated(s, request, CanRigEmulation.CreatePlant(request, rig, BoardName));
    }
}
