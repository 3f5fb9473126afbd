using MotorRT.Contracts.Configuration;

namespace MotorRT.Hardware.Hil;

/// <summary>Link faults the <see cref="RemoteRig"/> injects on frames it receives (scenario suites). Seeded, deterministic.</summary>
public sealed record LinkImpairment
{
    /// <summary>No impairment.</summary>
    public static LinkImpairment None { get; } = new();

    /// <summary>Probability that a received frame is dropped (dimensionless, 0..1).</summary>
    public double DropProbability { get; init; }

    /// <summary>Probability that a received frame is held back and delivered after the next one (0..1).</summary>
    public double ReorderProbability { get; init; }

    /// <summary>Every frame is delivered only after this many further packets have arrived (a delay line, in packets).</summary>
    public int DelayPackets { get; init; }

    /// <summary>Seed of the impairment's random draws.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>The remote HIL rig's link settings, from the config's <c>rig</c> section (type "remote").</summary>
public sealed record RemoteRigOptions
{
    /// <summary>Plant-server port on 127.0.0.1.</summary>
    public int Port { get; init; } = HilProtocol.DefaultPort;

    /// <summary>Session mode.</summary>
    public HilMode Mode { get; init; } = HilMode.LockStep;

    /// <summary>How long a lock-step read waits for its frame before reporting Timeout, in ms.</summary>
    public double TimeoutMs { get; init; } = 50;

    /// <summary>Lock-step: resend the last command when its frame has not arrived after this long, in ms.</summary>
    public double RetransmitMs { get; init; } = 5;

    /// <summary>Free-running: how long a read waits for a new frame before reporting Timeout, in ms.</summary>
    public double FreeRunningWaitMs { get; init; } = 0.5;

    /// <summary>Consecutive reads without a new frame after which the link is declared lost (latched until Open).</summary>
    public int LinkLossTicks { get; init; } = 10;

    /// <summary>
    /// Pre-shared key for HMAC-SHA256 authentication of every packet (at least <see cref="HilProtocol.MinKeySize"/>
    /// bytes; the plant server needs the same), or null: from the file <c>rig.psk_file</c> names.
    /// </summary>
    public byte[]? Key { get; init; }

    /// <summary>Injected link faults.</summary>
    public LinkImpairment Impairment { get; init; } = LinkImpairment.None;

    /// <summary>
    /// Reads a <c>rig</c> section of type "remote" (strict, <see cref="RemoteRigSection"/>). Its <c>sim</c> sub-section
    /// (the plant the server runs) is the plant server's business.
    /// </summary>
    public static RemoteRigOptions Read(RawSection rig)
    {
        RemoteRigSection section = rig.Read(SectionInfo);
        return section.ToOptions() with { Key = ReadKey(section, rig.Scope) };
    }

    /// <summary>Metadata of the <c>rig</c> section of type "remote".</summary>
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<RemoteRigSection> SectionInfo =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<RemoteRigSection>)HardwareConfigJson.ConfigOptions.GetTypeInfo(typeof(RemoteRigSection));

    private static byte[]? ReadKey(RemoteRigSection section, ConfigScope rig)
    {
        if (section.PskFile is not { } name)
        {
            return null;
        }
        string path = Path.Combine(rig.BaseDirectory, name);
        if (!File.Exists(path))
        {
            throw rig.Error("psk_file", $"the key file {path} does not exist", "create one, e.g. `head -c 32 /dev/urandom > hil.key`, and give the same file to the plant server");
        }
        var info = new FileInfo(path);
        if (info.Length is < HilProtocol.MinKeySize or > 1024)
        {
            throw rig.Error("psk_file", $"the key file {path} has {info.Length} bytes", $"use {HilProtocol.MinKeySize}..1024 random bytes, e.g. `head -c 32 /dev/urandom > hil.key`");
        }
        return File.ReadAllBytes(path);
    }
}
