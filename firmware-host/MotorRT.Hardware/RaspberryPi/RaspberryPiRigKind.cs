using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Hardware.Emulation;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// Rig kind <c>"raspberry-pi"</c>: real devices on the board, or with <c>"emulate": true</c> the emulated board with
/// the rig of its <c>sim</c> sub-section (built through the registry, so only where the twin is registered) behind the pins.
/// </summary>
public sealed class RaspberryPiRigKind : IRigKind
{
    /// <inheritdoc />
    public string Type => "raspberry-pi";

    /// <inheritdoc />
    public string Summary => "A Raspberry Pi driving the bridge and reading ADCs and encoder (System.Device.Gpio), or its emulation over the twin.";

    /// <inheritdoc />
    public System.Text.Json.Serialization.Metadata.JsonTypeInfo Section => RaspberryPiRigSpec.SectionInfo;

    /// <inheritdoc />
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RawSection rig = request.Section;
        RaspberryPiRigSpec spec = RaspberryPiRigSpec.Read(rig, request.Sensors);
        int lines = request.Sensors.Encoder?.LinesPerRevolution ?? 0;
        if (!spec.Emulate)
        {
            if (!RaspberryPiDevices.IsRaspberryPi())
            {
                throw rig.Error("type", "this machine is not a Raspberry Pi",
                    "run on the Pi; elsewhere set \"emulate\": true with a \"sim\" section (motorrt simulate) or use rig type \"remote\" against a plant server");
            }
            return new RigBuild(new RaspberryPiRig(spec, RaspberryPiDevices.OpenReal(spec), null, lines));
        }
        if (request.Kinds.Find("sim") is null)
        {
            throw rig.Error("emulate", "the emulated board needs the simulation twin, which this program does not include (the host drives real devices only)",
                "use 'motorrt simulate' for \"emulate\": true, or set it to false on the Pi");
        }
        RawSection sim = rig.Optional("sim")
            ?? throw rig.Error("sim", "required field is missing", "add \"sim\": { \"type\": \"sim\", ... } (the twin behind the emulated pins)");
        RigBuild plant = request.Kinds.Create(request with { Section = sim });
        var board = new EmulatedBoard(spec, plant.Rig, lines);
        return new RigBuild(new RaspberryPiRig(spec, board.CreateDevices(), board, lines), plant.PlantMotor);
    }
}
