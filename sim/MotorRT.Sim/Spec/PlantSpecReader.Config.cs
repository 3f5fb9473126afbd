using MotorRT.Contracts.Configuration;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Sim.Rig;

namespace MotorRT.Sim.Spec;

public static partial class PlantSpecReader
{
    /// <summary>
    /// Reads MotorRT's <c>plant</c> config section (<see cref="PlantSection"/>): <c>"preset"</c> (a GEM environment
    /// name such as <c>"Cont-CC-PermExDc-v0"</c>) plus optional overrides, all strictly validated:
    /// <c>"motor_parameter"</c> {GEM names, SI}, <c>"limits"</c> {current, voltage, speed, torque, excitation_current},
    /// <c>"supply"</c> {u_nominal V, source_resistance Ω}, <c>"interlocking_time"</c> s, <c>"tau"</c> s,
    /// <c>"load"</c> {type: polynomial (a, b, c, j_load) | constant_speed (omega, j_load) | external_speed (times, speeds, lag, j_load)},
    /// <c>"solver"</c> {name: euler | rk4 | dopri5, substeps, rtol, atol}, <c>"noise"</c> {level, seed}.
    /// </summary>
    public static PlantSpec FromConfig(RawSection section)
    {
        return section.Read(PlantSectionInfo).ToSpec(section.Scope);
    }

    /// <summary>Metadata of the <c>plant</c> section (reader and config schema).</summary>
    public static JsonTypeInfo<PlantSection> PlantSectionInfo =>
        (JsonTypeInfo<PlantSection>)SimRigJson.ConfigOptions.GetTypeInfo(typeof(PlantSection));
}
