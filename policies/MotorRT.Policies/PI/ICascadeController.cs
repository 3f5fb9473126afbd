using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.PI;

/// <summary>A cascaded PI controller (DC cascades, FOC): its design, options and torque limit, for outer loops and <c>motorrt tune</c>.</summary>
public interface ICascadeController
{
    /// <summary>The automatic design (gains, bandwidths, phase margins).</summary>
    CascadeDesign Design { get; }

    /// <summary>The cascade options in use (gain overrides take precedence over <see cref="Design"/>).</summary>
    CascadeOptions Options { get; }

    /// <summary>Torque limit of the speed loop's output (and torque references), in N·m.</summary>
    double TorqueLimit { get; }
}
