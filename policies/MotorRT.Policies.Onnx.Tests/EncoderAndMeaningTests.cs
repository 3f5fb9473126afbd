namespace MotorRT.Policies.Onnx.Tests;

public class EncoderAndMeaningTests
{
    private static readonly MotorParameters Pmsm = PmsmParameters.Gem.ToMotorParameters() with
    {
        Limits = new MotorLimits { Current = 400, Voltage = 150, Speed = 419, Torque = 100 },
    };

    [Fact]
    public void EncoderReadsEveryQuantityInSiAndDividesByItsLimit()
    {
        var obs = new MotorObservation
        {
            CurrentA = 1, CurrentB = 2, CurrentC = 3, CurrentAlpha = 4, CurrentBeta = 5, CurrentD = 6, CurrentQ = 7, CurrentExcitation = 8,
            MechanicalAngle = 0.5, ElectricalAngle = 1.5, MechanicalSpeed = 10, ElectricalSpeed = 30, DcLinkVoltage = 300,
            LastVoltageD = 11, LastVoltageQ = 12, MechanicalPosition = 19.5,
            Reference = new References { Speed = 13, Torque = 14, CurrentD = 15, CurrentQ = 16, CurrentExcitation = 17, Position = 20.25 },
        };
        (ObservationQuantity q, double expected)[] cases =
        [
            (ObservationQuantity.CurrentA, 1), (ObservationQuantity.CurrentB, 2), (ObservationQuantity.CurrentC, 3),
            (ObservationQuantity.CurrentAlpha, 4), (ObservationQuantity.CurrentBeta, 5), (ObservationQuantity.CurrentD, 6),
            (ObservationQuantity.CurrentQ, 7), (ObservationQuantity.CurrentExcitation, 8), (ObservationQuantity.MechanicalAngle, 0.5),
            (ObservationQuantity.ElectricalAngle, 1.5), (ObservationQuantity.SinElectricalAngle, Math.Sin(1.5)),
            (ObservationQuantity.CosElectricalAngle, Math.Cos(1.5)), (ObservationQuantity.MechanicalSpeed, 10),
            (ObservationQuantity.ElectricalSpeed, 30), (ObservationQuantity.DcLinkVoltage, 300), (ObservationQuantity.LastVoltageD, 11),
            (ObservationQuantity.LastVoltageQ, 12), (ObservationQuantity.ReferenceSpeed, 13), (ObservationQuantity.ReferenceTorque, 14),
            (ObservationQuantity.ReferenceCurrentD, 15), (ObservationQuantity.ReferenceCurrentQ, 16),
            (ObservationQuantity.ReferenceCurrentExcitation, 17), (ObservationQuantity.ErrorCurrentD, 15 - 6),
            (ObservationQuantity.ErrorCurrentQ, 16 - 7),
            (ObservationQuantity.Torque, 1.5 * 3 * (0.066 + (3.7e-4 - 1.2e-3) * 6) * 7),
            (ObservationQuantity.CouplingVoltageD, -30 * 1.2e-3 * 7),
            (ObservationQuantity.CouplingVoltageQ, 30 * (3.7e-4 * 6 + 0.066)),
            (ObservationQuantity.MechanicalPosition, 19.5), (ObservationQuantity.ReferencePosition, 20.25),
            (ObservationQuantity.ErrorPosition, 20.25 - 19.5),
        ];
        Assert.Equal(Enum.GetValues<ObservationQuantity>().Length, cases.Length);
        var enc = new ObservationEncoder(cases.Select(c => new ObservationEntry(c.q, 2.0)).ToArray(), null, Pmsm);
        var x = new double[cases.Length];
        enc.Encode(obs, x);
        for (int i = 0; i < cases.Length; i++) Assert.Equal(cases[i].expected / 2.0, x[i], 12);
    }

    [Fact]
    public void TorqueOfAnInductionMachineIsRefusedAtLoad()
    {
        MotorParameters scim = Pmsm with { Type = MotorType.Scim };
        Assert.Throws<MotorRT.Contracts.Configuration.ConfigException>(() => new ObservationEncoder([new ObservationEntry(ObservationQuantity.Torque, 1)], null, scim));
    }

    [Fact]
    public void DutyAbcWritesThreePhaseDutiesAndReportsSaturation()
    {
        using var files = new TestFiles();
        files.Write("p.onnx", MlpOnnxWriter.Build(TestFiles.Linear(new float[,] { { 1f, 0f }, { 0f, 1f }, { -1f, -1f } }, [0f, 0f, 0f])).ToByteArray());
        string path = files.WriteJson("p.json", new Dictionary<string, object?>
        {
            ["format"] = OnnxPolicySpec.FormatTag,
            ["model"] = "p.onnx",
            ["input"] = new { name = "input" },
            ["output"] = new { name = "actions" },
            ["observation"] = new object[] { new { quantity = "SinElectricalAngle", limit = 1.0 }, new { quantity = "CosElectricalAngle", limit = 1.0 } },
            ["action"] = new { meaning = "duty_abc", postprocess = "none", validRange = new[] { -5.0, 5.0 } },
        });
        using var p = new OnnxPolicy(OnnxPolicySpec.Load(path), Pmsm, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1 });
        var cmd = new ConverterCommand();
        p.Compute(new MotorObservation { ElectricalAngle = -1.2 }, ref cmd);
        Assert.Equal(ControllerStatus.Ok, p.Status);
        Assert.Equal(Math.Sin(-1.2), cmd.Duty[0], 6);
        Assert.Equal(Math.Cos(-1.2), cmd.Duty[1], 6);
        Assert.Equal(-Math.Sin(-1.2) - Math.Cos(-1.2), cmd.Duty[2], 6);
        Assert.Equal(0.0, cmd.Duty[3]);

        p.Compute(new MotorObservation { ElectricalAngle = Math.PI / 4 }, ref cmd); // c = −√2 → clipped
        Assert.Equal(ControllerStatus.Saturated, p.Status);
        Assert.Equal(-1.0, cmd.Duty[2]);
    }
}
