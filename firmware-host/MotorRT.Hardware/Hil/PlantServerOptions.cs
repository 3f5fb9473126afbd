namespace MotorRT.Hardware.Hil;

/// <summary>Session rules of a <see cref="PlantServer"/>.</summary>
public sealed record PlantServerOptions
{
    /// <summary>Defaults: no takeover, 2 s session timeout, no key.</summary>
    public static PlantServerOptions Default { get; } = new();

    /// <summary>
    /// Let a Hello from another endpoint replace a live session at once. Off by default: a new client may start a
    /// session only after the old one has been silent for <see cref="SessionTimeout"/> (or said Bye).
    /// </summary>
    public bool AllowTakeover { get; init; }

    /// <summary>Silence after which a session counts as gone and another client may take over, in s.</summary>
    public double SessionTimeout { get; init; } = 2.0;

    /// <summary>
    /// Pre-shared key (at least <see cref="HilProtocol.MinKeySize"/> bytes): every packet carries an HMAC-SHA256 of
    /// it, and packets without a valid one are dropped. Null: no authentication (the link is loopback-only).
    /// </summary>
    public byte[]? Key { get; init; }
}
