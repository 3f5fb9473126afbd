using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;

namespace MotorRT.Contracts.Composition;

/// <summary>
/// One kind of rig a config's <c>rig.type</c> can name (the simulated rig, the Raspberry Pi, the remote HIL rig, a
/// replayed trace). Each kind lives in its own folder next to its rig and is registered once in a <see cref="RigKinds"/>.
/// </summary>
public interface IRigKind
{
    /// <summary>The <c>rig.type</c> string of this kind (e.g. <c>"sim"</c>).</summary>
    string Type { get; }

    /// <summary>One sentence for the schema and the docs.</summary>
    string Summary { get; }

    /// <summary>
    /// Metadata of the kind's typed <c>rig</c> section record: the kind reads its section through it
    /// (<see cref="ConfigFile.ReadSection{T}"/>) and its JSON Schema goes into the config schema under this <c>type</c>.
    /// </summary>
    JsonTypeInfo Section { get; }

    /// <summary>
    /// Metadata of the top-level <c>plant</c> section this kind reads (the simulation twin), or null when the kind
    /// has no plant; the config schema describes <c>plant</c> with it.
    /// </summary>
    JsonTypeInfo? Plant => null;

    /// <summary>Builds the rig from its section (strict: unknown keys are errors naming the field).</summary>
    RigBuild Create(RigRequest request);
}

/// <summary>What a rig kind gets to build its rig.</summary>
/// <param name="Section">The <c>rig</c> section (or a nested one, e.g. <c>rig.sim</c>) with its file and JSON path.</param>
/// <param name="Sensors">The config's nominal sensor scaling.</param>
/// <param name="Seed">Seed of the run's random generators.</param>
/// <param name="Plant">The config's top-level <c>plant</c> section (simulation; read by the kind that simulates), or null.</param>
/// <param name="Kinds">The registry, for kinds that build another rig inside (an emulated board over a twin).</param>
public sealed record RigRequest(RawSection Section, SensorSpec Sensors, int Seed, RawSection? Plant, RigKinds Kinds);

/// <summary>A built rig.</summary>
/// <param name="Rig">The rig the loop drives.</param>
/// <param name="PlantMotor">The simulated machine when a twin runs behind the rig in this process (configs without a <c>motor</c> section); else null.</param>
public sealed record RigBuild(IRigIo Rig, MotorParameters? PlantMotor = null);
