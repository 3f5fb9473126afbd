using System.Text.Json;
using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Hardware.Can;

/// <summary>
/// The fields and checks the <c>rig</c> sections of the CAN smart-drive kinds (<c>"odrive"</c>, <c>"moteus"</c>)
/// share: the emulation's <c>inner_steps</c> and <c>sim</c> (listed last in the schema, after each kind's own fields),
/// and the check of the SocketCAN interface name. Each kind keeps its own fields and their documentation.
/// </summary>
/// <param name="InnerSteps">Plant steps per loop period in emulation.</param>
public abstract record CanRigSection(int InnerSteps = 10)
{
    /// <summary>Plant steps per loop period in emulation.</summary>
    [JsonPropertyOrder(1)]
    [ConfigField("Emulation: plant periods (the board's inner current-loop periods) per loop period; timing.frequency = 1 / (plant tau × rig.sim.sub_steps × inner_steps).", Min = 1, Max = 1000)]
    public int InnerSteps { get; init; } = InnerSteps;

    /// <summary>The rig behind the emulated board.</summary>
    [JsonPropertyOrder(1)]
    [ConfigField("The rig behind the emulated board when emulate is true, e.g. { \"type\": \"sim\" } (a permanently excited DC twin).")]
    public JsonElement? Sim { get; init; }

    /// <summary>Refuses an empty SocketCAN interface name or one longer than 15 characters (IFNAMSIZ − 1), naming <c>interface</c>.</summary>
    protected static void ValidateInterface(ConfigScope scope, string interfaceName)
    {
        if (string.IsNullOrEmpty(interfaceName) || interfaceName.Length > 15)
        {
            throw scope.Error("interface", $"'{interfaceName}' is not an interface name", "use the name ip link shows, at most 15 characters (e.g. can0)");
        }
    }
}
