using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MotorRT.Contracts.Configuration;

/// <summary>
/// Checks a deserialized configuration record against the <see cref="ConfigFieldAttribute"/> of each property (ranges,
/// choices; numbers must be finite), depth first, then runs each record's <see cref="IConfigValidation"/> cross-field checks. Load-time only.
/// </summary>
public static class ConfigValidator
{
    /// <summary>Validates <paramref name="value"/> (and everything below it) found at <paramref name="scope"/>.</summary>
    public static void Validate(object? value, JsonSerializerOptions options, ConfigScope scope)
    {
        ArgumentNullException.ThrowIfNull(options);
        Walk(value, options, scope);
    }

    private static void Walk(object? value, JsonSerializerOptions options, ConfigScope scope)
    {
        if (value is null or string or JsonElement || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        // Number arrays (large matrices in PWA laws) have nothing below them: their range is checked by Check.
        if (value is double[] or int[] or long[] or string[]) return;
        if (value is IEnumerable list)
        {
            int i = 0;
            foreach (object? item in list) Walk(item, options, scope.Child($"[{i++}]"));
            return;
        }
        if (!options.TryGetTypeInfo(value.GetType(), out JsonTypeInfo? info) || info.Kind != JsonTypeInfoKind.Object) return;
        foreach (JsonPropertyInfo p in info.Properties)
        {
            if (p.Get is null) continue;
            object? v = p.Get(value);
            if (FieldOf(p) is { } f)
            {
                Check(v, f, scope, p.Name);
            }
            Walk(v, options, scope.Child(p.Name));
        }
        if (value is IConfigValidation validated) validated.Validate(scope);
    }

    private static readonly ConditionalWeakTable<JsonPropertyInfo, ConfigFieldAttribute?> Fields = new();

    /// <summary>The property's <see cref="ConfigFieldAttribute"/>, looked up once per property (reflection is slow).</summary>
    private static ConfigFieldAttribute? FieldOf(JsonPropertyInfo p) =>
        Fields.GetValue(p, q => q.AttributeProvider?.GetCustomAttributes(typeof(ConfigFieldAttribute), false) is [ConfigFieldAttribute f, ..] ? f : null);

    private static void Check(object? v, ConfigFieldAttribute f, ConfigScope scope, string key)
    {
        switch (v)
        {
            case double d:
                CheckNumber(d, f, scope, key);
                break;
            case int i when i < f.Min || i > f.Max:
                throw scope.Error(key, $"value {i} is out of range", $"use an integer in [{ConfigErrors.Fmt(f.Min)}, {ConfigErrors.Fmt(f.Max)}]");
            case long l when l < f.Min || l > f.Max:
                throw scope.Error(key, $"value {l} is out of range", $"use an integer in [{ConfigErrors.Fmt(f.Min)}, {ConfigErrors.Fmt(f.Max)}]");
            case double[] a:
                for (int k = 0; k < a.Length; k++) CheckNumber(a[k], f, scope, $"{key}[{k}]");
                break;
            case int[] ia:
                for (int k = 0; k < ia.Length; k++)
                {
                    if (ia[k] < f.Min || ia[k] > f.Max)
                        throw scope.Error($"{key}[{k}]", $"value {ia[k]} is out of range", $"use an integer in [{ConfigErrors.Fmt(f.Min)}, {ConfigErrors.Fmt(f.Max)}]");
                }
                break;
            case double[][] m:
                for (int i = 0; i < m.Length; i++)
                {
                    if (m[i] is not { } row) continue;
                    for (int k = 0; k < row.Length; k++) CheckNumber(row[k], f, scope, $"{key}[{i}][{k}]");
                }
                break;
            case string s when f.Choices.Length > 0 && Array.IndexOf(f.ChoiceList, s) < 0:
                throw scope.Error(key, $"unknown value \"{s}\"", $"use one of: {string.Join(", ", f.ChoiceList)}");
        }
    }

    private static void CheckNumber(double d, ConfigFieldAttribute f, ConfigScope scope, string key)
    {
        // NaN is the "absent: derive it" default of some fields; JSON itself cannot write NaN.
        if (double.IsNaN(d)) return;
        string unit = f.Unit.Length == 0 ? "" : " " + f.Unit;
        // System.Text.Json reads a number beyond the range of a double (1e400) as ±infinity; no setting is infinite.
        if (double.IsInfinity(d))
        {
            throw scope.Error(key, $"expected a finite number{unit}, found {(d > 0 ? "+" : "-")}infinity (a number beyond ±1.8e308)", "write a plain number such as 0.5");
        }
        if (d < f.Min || d > f.Max)
        {
            throw scope.Error(key, $"value {d.ToString("R", CultureInfo.InvariantCulture)}{unit} is out of range",
                $"use a value in [{ConfigErrors.Fmt(f.Min)}, {ConfigErrors.Fmt(f.Max)}]{unit}");
        }
    }
}
