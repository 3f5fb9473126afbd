using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;

namespace MotorRT.Runtime.Tests;

internal static class TestConfigs
{
    public const string Motor = """
        "motor": { "type": "permex-dc", "r_a": 0.5, "l_a": 1e-3, "psi_e": 0.1, "j_rotor": 0.01,
                   "limits": { "current": 40, "voltage": 48, "speed": 300, "torque": 4 } }
        """;

    public static string Json(string controller = """{ "type": "open-loop-voltage", "voltage": 10 }""", string reference = """{ "current": { "type": "constant", "value": 10 } }""",
        string timing = """{ "frequency": 10000, "duration": 0.2, "warmup_ticks": 200 }""", string limits = "{}", string extra = "") => $$"""
        {
          "rig": { "type": "fake" },
          "sensors": {
            "current": { "bits": 12, "amperes_per_count": 0.05, "zero_counts": 2048, "phases_sensed": 1 },
            "dc_link": { "bits": 12, "volts_per_count": 0.05 },
            "encoder": { "lines_per_revolution": 1024 }
          },
          {{Motor}},
          "controller": {{controller}},
          "reference": {{reference}},
          "limits": {{limits}},
          "timing": {{timing}},
          "estimator": { "pll_bandwidth": 1000, "calibration_samples": 100, "max_offset_deviation": 100 },
          "telemetry": { "buffer_samples": 4096 }{{extra}}
        }
        """;

    public static RuntimeConfig Config(string json, string file = "test.json") => RuntimeConfig.Parse(file, json);
}
