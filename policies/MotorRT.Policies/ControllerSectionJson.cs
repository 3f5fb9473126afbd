using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.OpenLoop;
using MotorRT.Policies.Pwa;
using MotorRT.Policies.Setpoint;

namespace MotorRT.Policies;

/// <summary>Source-generated System.Text.Json metadata of the controller section records of this assembly.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OpenLoopVoltageSection))]
[JsonSerializable(typeof(DcCascadeSection))]
[JsonSerializable(typeof(FocSection))]
[JsonSerializable(typeof(PwaControllerSection))]
[JsonSerializable(typeof(SpeedTorqueSection))]
public sealed partial class ControllerSectionJson : JsonSerializerContext;

/// <summary>The strict config options over <see cref="ControllerSectionJson"/> and the section metadata under them.</summary>
public static class ControllerSections
{
    /// <summary>Strict config options (<see cref="ConfigFile.Options"/>).</summary>
    public static JsonSerializerOptions Strict { get; } = ConfigFile.Options(ControllerSectionJson.Default);

    /// <summary>Metadata of <typeparamref name="T"/> under <see cref="Strict"/>.</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Strict.GetTypeInfo(typeof(T));
}

/// <summary>Range checks of section values whose bounds come from the machine (the static ones are <see cref="ConfigFieldAttribute"/>s).</summary>
internal static class SectionRange
{
    /// <summary>Throws the config range error for <paramref name="key"/> when <paramref name="value"/> is outside [min, max].</summary>
    public static double Check(ConfigScope scope, string key, double value, double min, double max, string unit = "")
    {
        if (value < min || value > max)
        {
            string u = unit.Length == 0 ? "" : " " + unit;
            throw scope.Error(key, $"value {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}{u} is out of range",
                $"use a value in [{Fmt(min)}, {Fmt(max)}]{u}");
        }
        return value;
    }

    private static string Fmt(double d) => double.IsNegativeInfinity(d) ? "-inf" : double.IsPositiveInfinity(d) ? "+inf" : d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
