using System.Text.Json.Serialization;
using System.Text.Json;
using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>Controller family <c>pwa</c>: an explicit-MPC piecewise-affine law (<see cref="PwaController"/>), its fallback built through the registry.</summary>
public sealed class PwaFamily() : ControllerFamily<PwaControllerSection>(ControllerSections.Info<PwaControllerSection>())
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Types { get; } = ["pwa"];

    /// <inheritdoc />
    public override string Summary => "Piecewise-affine law from a motorrt-pwa-law/1 file (explicit MPC), with an optional fallback controller.";

    /// <inheritdoc />
    protected override IController Create(ControllerRequest request, PwaControllerSection section) =>
        PwaController.FromConfig(section, request.Scope, request.Motor, request.Period, request.CreateNested);
}

/// <summary>The <c>controller</c> section of <c>"type": "pwa"</c> (the law itself is a motorrt-pwa-law/1 file, <see cref="PwaLawFile"/>).</summary>
public sealed record PwaControllerSection : ControllerSection
{
    /// <summary>Free text for people (ignored).</summary>
    [ConfigField("Free text for people (ignored).")]
    [JsonInclude]
    public string? Notes { get; internal set; }

    /// <summary>Path of the law file, relative to the config file.</summary>
    [ConfigField("Path of the motorrt-pwa-law/1 file, relative to this config file.")]
    public required string Law { get; init; }

    /// <summary>Region search: the law's binary tree or a sequential scan.</summary>
    [ConfigField("Region search: the law's binary search tree, or a sequential scan of the regions.", Choices = "tree,sequential")]
    [JsonInclude]
    public string Search { get; internal set; } = "tree";

    /// <summary>Angle advance of the dq → abc transform, in periods.</summary>
    [ConfigField("Angle advance of the dq → abc transform (three-phase laws), in periods of ω_el.", Min = 0, Max = 3, Unit = "periods")]
    [JsonInclude]
    public double AngleAdvancePeriods { get; internal set; }

    /// <summary>What a state outside the law's domain does: fault, or run the fallback.</summary>
    [ConfigField("A state outside the law's domain: \"fault\" (status OutOfDomain, the supervisor trips) or \"fallback\" (run the fallback controller).", Choices = "fault,fallback")]
    [JsonInclude]
    public string OnOutOfDomain { get; internal set; } = "fault";

    /// <summary>The fallback controller section (with <c>on_out_of_domain</c> "fallback").</summary>
    [ConfigField("The fallback controller, a controller section chosen by \"type\" (with \"on_out_of_domain\": \"fallback\").")]
    [NestedController]
    [JsonInclude]
    public JsonElement? Fallback { get; internal set; }
}
