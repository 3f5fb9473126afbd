using System.Text.Json;
using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Hardware.Hil;

/// <summary>The <c>rig</c> section of type <c>"remote"</c> as written in the file (→ <see cref="RemoteRigOptions"/>).</summary>
public sealed record RemoteRigSection(
    int Port = HilProtocol.DefaultPort, double TimeoutMs = 50, double RetransmitMs = 5, double FreeRunningWaitMs = 0.5, int LinkLossTicks = 10)
    : IConfigValidation
{
    /// <summary>The rig kind, <c>"remote"</c>.</summary>
    [ConfigField("The rig kind.", Choices = "remote")]
    public required string Type { get; init; }

    /// <summary>Plant-server address: the loopback address only.</summary>
    [ConfigField("Plant-server address; the HIL link runs on 127.0.0.1 only.")]
    public string? Host { get; init; }

    /// <summary>Plant-server UDP port.</summary>
    [ConfigField("Plant-server UDP port on 127.0.0.1.", Min = 1024, Max = 65535)]
    public int Port { get; init; } = Port;

    /// <summary>Session mode.</summary>
    [ConfigField("Session mode: lock-step (the plant advances on commands; deterministic) or free-running (on the server's clock).", Choices = "lock-step,free-running")]
    public required string Mode { get; init; }

    /// <summary>Lock-step read timeout, in ms.</summary>
    [ConfigField("How long a lock-step read waits for its frame before reporting a timeout.", Min = 0.1, Max = 10_000, Unit = "ms")]
    public double TimeoutMs { get; init; } = TimeoutMs;

    /// <summary>Lock-step retransmission delay, in ms.</summary>
    [ConfigField("Lock-step: resend the last command when its frame has not arrived after this long.", Min = 0.1, Max = 10_000, Unit = "ms")]
    public double RetransmitMs { get; init; } = RetransmitMs;

    /// <summary>Free-running read wait, in ms.</summary>
    [ConfigField("Free-running: how long a read waits for a new frame before reporting a timeout.", Min = 0, Max = 1000, Unit = "ms")]
    public double FreeRunningWaitMs { get; init; } = FreeRunningWaitMs;

    /// <summary>Reads without a new frame after which the link is lost.</summary>
    [ConfigField("Consecutive reads without a new frame after which the link is declared lost (latched until Open).", Min = 1, Max = 1_000_000)]
    public int LinkLossTicks { get; init; } = LinkLossTicks;

    /// <summary>Pre-shared key file (relative to the config file), or null for none.</summary>
    [ConfigField("Pre-shared key file (16..1024 random bytes, relative to this config file): datagrams carry an HMAC-SHA256 over it; give the plant server the same file. Absent = no key.")]
    public string? PskFile { get; init; }

    /// <summary>The plant the server runs (read by <c>motorrt plant-server</c>, not by this rig).</summary>
    [ConfigField("The simulated rig the plant server runs (motorrt plant-server); ignored by the remote rig itself.")]
    public JsonElement? Sim { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (Host is not null and not "127.0.0.1")
        {
            throw scope.Error("host", $"\"{Host}\" is not the loopback address", "the HIL link runs on 127.0.0.1 only; run the plant server on this machine");
        }
    }

    /// <summary>The link settings.</summary>
    public RemoteRigOptions ToOptions() => new()
    {
        Port = Port,
        Mode = Mode == "lock-step" ? HilMode.LockStep : HilMode.FreeRunning,
        TimeoutMs = TimeoutMs,
        RetransmitMs = RetransmitMs,
        FreeRunningWaitMs = FreeRunningWaitMs,
        LinkLossTicks = LinkLossTicks,
    };
}

/// <summary>Source-generated System.Text.Json metadata of the Hardware rig sections.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RemoteRigSection))]
[JsonSerializable(typeof(RaspberryPi.RaspberryPiRigSection))]
[JsonSerializable(typeof(ODrive.ODriveRigSection))]
[JsonSerializable(typeof(Moteus.MoteusRigSection))]
public sealed partial class HardwareConfigJson : JsonSerializerContext
{
    /// <summary>The loader's options over this context.</summary>
    public static JsonSerializerOptions ConfigOptions => s_configOptions ??= ConfigFile.Options(Default);

    private static JsonSerializerOptions? s_configOptions;
}
