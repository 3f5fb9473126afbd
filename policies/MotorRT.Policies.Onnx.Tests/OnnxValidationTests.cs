using MotorRT.Policies.Onnx.Format;

namespace MotorRT.Policies.Onnx.Tests;

public class OnnxValidationTests
{
    private static Dictionary<string, object?> Sidecar(int observations = 2, object? output = null, object? action = null, string input = "input") => new()
    {
        ["format"] = OnnxPolicySpec.FormatTag,
        ["model"] = "p.onnx",
        ["input"] = new { name = input },
        ["output"] = output ?? new { name = "actions" },
        ["observation"] = Enumerable.Range(0, observations).Select(_ => (object)new { quantity = "CurrentA", limit = 10.0 }).ToArray(),
        ["action"] = action ?? new { meaning = "duty_dc", postprocess = "clip" },
    };

    private static ConfigException Fails(byte[] model, object sidecar)
    {
        using var files = new TestFiles();
        string modelPath = files.Write("p.onnx", model);
        string path = files.WriteJson("p.json", sidecar);
        return Assert.Throws<ConfigException>(() =>
        {
            using var p = new OnnxPolicy(OnnxPolicySpec.Load(path), TestFiles.PermExDc, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1 });
        });
    }

    private static byte[] Model(int inputs = 2, int outputs = 1, MlpExportOptions? options = null) =>
        MlpOnnxWriter.Build(Mlp.CreateRandom([inputs, 4, outputs], MlpActivation.Relu, MlpActivation.Identity, 1), options).ToByteArray();

    [Fact]
    public void WrongInputNameIsNamed()
    {
        ConfigException e = Fails(Model(), Sidecar(input: "obs"));
        Assert.Equal("input.name", e.Field);
        Assert.Contains("\"obs\"", e.Problem);
        Assert.Contains("input", e.Problem); // lists what the model has
        Assert.EndsWith("p.json", e.File);
    }

    [Fact]
    public void ObservationLengthMismatchIsNamed()
    {
        ConfigException e = Fails(Model(inputs: 3), Sidecar(observations: 2));
        Assert.Equal("observation", e.Field);
        Assert.Contains("3", e.Problem);
        Assert.Contains("2", e.Problem);
    }

    [Fact]
    public void ActionLengthMismatchIsNamed()
    {
        ConfigException e = Fails(Model(outputs: 3), Sidecar());
        Assert.Equal("action", e.Field);
    }

    [Fact]
    public void MissingOutputAndBadIndexAreNamed()
    {
        Assert.Equal("output.name", Fails(Model(), Sidecar(output: new { name = "continuous_actions" })).Field);
        Assert.Equal("output.index", Fails(Model(), Sidecar(output: new { index = 3 })).Field);
    }

    [Fact]
    public void UnsupportedIrVersionIsRefusedNamingFileAndField()
    {
        ConfigException e = Fails(Model(options: new MlpExportOptions { IrVersion = OnnxVersions.MaxIrVersion + 1 }), Sidecar());
        Assert.Equal("ir_version", e.Field);
        Assert.EndsWith("p.onnx", e.File);
        Assert.Contains("re-export", e.Fix);
    }

    [Fact]
    public void UnsupportedOpsetIsRefused()
    {
        Assert.Equal("opset_import[ai.onnx]", Fails(Model(options: new MlpExportOptions { Opset = OnnxVersions.MaxOpset + 1 }), Sidecar()).Field);
        Assert.Equal("opset_import[ai.onnx]", Fails(Model(options: new MlpExportOptions { IrVersion = 3, Opset = 6 }), Sidecar()).Field);
    }

    [Fact]
    public void BatchOtherThanOneIsRefused()
    {
        OnnxModel m = MlpOnnxWriter.Build(Mlp.CreateRandom([2, 1], MlpActivation.Relu, MlpActivation.Identity, 1));
        var batch2 = new OnnxModel
        {
            OpsetImports = m.OpsetImports,
            Graph = new OnnxGraph
            {
                Name = "g",
                Nodes = m.Graph.Nodes,
                Initializers = m.Graph.Initializers,
                Inputs = [new OnnxValueInfo { Name = "input", Shape = [OnnxDim.Fixed(2), OnnxDim.Fixed(2)] }],
                Outputs = [new OnnxValueInfo { Name = "actions", Shape = [OnnxDim.Fixed(2), OnnxDim.Fixed(1)] }],
            },
        };
        ConfigException e = Fails(batch2.ToByteArray(), Sidecar());
        Assert.Equal("input", e.Field);
        Assert.Contains("batch", e.Problem);
    }

    [Fact]
    public void DoubleInputIsRefusedAsWrongElementType()
    {
        // input (double) → Cast(float) → Gemm: a valid model whose input is not float32.
        OnnxModel m = MlpOnnxWriter.Build(Mlp.CreateRandom([2, 1], MlpActivation.Relu, MlpActivation.Identity, 1), new MlpExportOptions { InputName = "as_float" });
        var nodes = new List<OnnxNode>
        {
            new() { OpType = "Cast", Inputs = ["input"], Outputs = ["as_float"], Attributes = [OnnxAttribute.Int("to", (long)OnnxDataType.Float)] },
        };
        nodes.AddRange(m.Graph.Nodes);
        var model = new OnnxModel
        {
            OpsetImports = m.OpsetImports,
            Graph = new OnnxGraph
            {
                Name = "g",
                Nodes = nodes,
                Initializers = m.Graph.Initializers,
                Inputs = [new OnnxValueInfo { Name = "input", ElementType = OnnxDataType.Double, Shape = [OnnxDim.Fixed(1), OnnxDim.Fixed(2)] }],
                Outputs = m.Graph.Outputs,
            },
        };
        Assert.Equal("input.elementType", Fails(model.ToByteArray(), Sidecar()).Field);
    }

    [Fact]
    public void GarbageModelFileIsRefused()
    {
        ConfigException e = Fails([0xFF, 0xFF, 0xFF, 0x01, 0x02], Sidecar());
        Assert.EndsWith("p.onnx", e.File);
    }

    /// <summary>Loading <paramref name="sidecar"/> (an object, or JSON text) beside a valid model fails naming the sidecar file; the error.</summary>
    private static ConfigException LoadFails(object sidecar)
    {
        using var files = new TestFiles();
        files.Write("p.onnx", Model());
        string path = sidecar is string json ? files.WriteText("p.json", json) : files.WriteJson("p.json", sidecar);
        ConfigException e = Assert.Throws<ConfigException>(() => OnnxPolicySpec.Load(path));
        Assert.Equal(path, e.File);
        return e;
    }

    private static Dictionary<string, object?> SidecarWith(string key, object? value)
    {
        Dictionary<string, object?> s = Sidecar();
        s[key] = value;
        return s;
    }

    [Fact]
    public void SidecarIsReadStrictly()
    {
        Assert.Equal("obsrvation", LoadFails(SidecarWith("obsrvation", 1)).Field);

        ConfigException e = LoadFails(SidecarWith("observation", new object[] { new { quantity = "Curent", limit = 1.0 }, new { quantity = "CurrentA", limit = 1.0 } }));
        Assert.Equal("observation[0].quantity", e.Field);
        Assert.Contains("ReferenceCurrentD", e.Fix);

        Assert.Equal("action.low", LoadFails(Sidecar(action: new { meaning = "duty_abc", postprocess = "clip", low = new[] { -1.0 }, high = new[] { 1.0 } })).Field);
        Assert.Equal("model", LoadFails(SidecarWith("model", "missing.onnx")).Field);
    }

    [Fact]
    public void AnUnknownKeyInsideTheSidecarNamesItsJsonPath()
    {
        ConfigException e = LoadFails(Sidecar(action: new { meaning = "duty_dc", postprocess = "clip", lw = new[] { -1.0 } }));
        Assert.Equal("action.lw", e.Field);
        Assert.Equal("unknown key", e.Problem);
        Assert.Contains("low", e.Fix);

        object[] observation = [new { quantity = "CurrentA", limit = 1.0 }, new { quantity = "CurrentA", limit = 1.0, offset = 2.0 }];
        Assert.Equal("observation[1].offset", LoadFails(SidecarWith("observation", observation)).Field);
    }

    [Fact]
    public void ADuplicateKeyAnotherFormatAndAnUnusedLimitAreNamed()
    {
        string json = System.Text.Json.JsonSerializer.Serialize(Sidecar());
        ConfigException e = LoadFails(json.Replace("\"postprocess\"", "\"meaning\": \"duty_dc\", \"postprocess\"", StringComparison.Ordinal));
        Assert.Equal("action.meaning", e.Field);
        Assert.Contains("duplicate key", e.Problem);

        e = LoadFails(SidecarWith("format", "motorrt-onnx-policy/2"));
        Assert.Equal("format", e.Field);
        Assert.Contains("unsupported sidecar format", e.Problem);

        Assert.Equal("action.voltageLimit", LoadFails(Sidecar(action: new { meaning = "duty_dc", postprocess = "clip", voltageLimit = 60.0 })).Field);

        e = LoadFails(Sidecar(action: new { meaning = "voltage_dc", postprocess = "clip" }));
        Assert.Equal("action.voltageLimit", e.Field);
        Assert.Equal("required field is missing", e.Problem);

        Assert.Equal("output.name", LoadFails(Sidecar(output: new { name = "actions", index = 0 })).Field);
    }

    [Fact]
    public void CreateFromControllerSectionResolvesPathsAndRejectsUnknownKeys()
    {
        using var files = new TestFiles();
        files.Write("p.onnx", Model());
        files.WriteJson("p.json", Sidecar());
        string config = files.WriteText("config.json", """{ "controller": { "type": "onnx", "sidecar": "p.json", "inferenceBudget": 2e-5, "fallback": "hold_last" } }""");
        RawSection controller = RawSection.Load(config).Section("controller");
        using OnnxPolicy p = OnnxPolicy.Create(controller, TestFiles.PermExDc, 1e-4);
        Assert.Equal("onnx:p.onnx", p.Name);

        string bad = files.WriteText("bad.json", """{ "controller": { "type": "onnx", "sidecar": "p.json", "budget": 2e-5 } }""");
        ConfigException e = Assert.Throws<ConfigException>(() => OnnxPolicy.Create(RawSection.Load(bad).Section("controller"), TestFiles.PermExDc, 1e-4));
        Assert.Equal("controller.budget", e.Field);

        string over = files.WriteText("over.json", """{ "controller": { "type": "onnx", "sidecar": "p.json", "inferenceBudget": 1 } }""");
        Assert.Equal("controller.inferenceBudget", Assert.Throws<ConfigException>(() => OnnxPolicy.Create(RawSection.Load(over).Section("controller"), TestFiles.PermExDc, 1e-4)).Field);
    }
}

public class OnnxConfigInnerTests
{
    private sealed class Fixed(double duty) : IController
    {
        public string Name => "fixed";
        public ControllerStatus Status => ControllerStatus.Ok;
        public void Reset() { }
        public void Compute(in MotorObservation observation, ref ConverterCommand command)
        {
            command.BridgeEnable = true;
            command.Duty[0] = duty * observation.Reference.CurrentD;
        }
    }

    [Fact]
    public void InnerControllerIsBuiltByTheGivenFactoryOnlyForCurrentReferencePolicies()
    {
        using var files = new TestFiles();
        files.Write("p.onnx", MlpOnnxWriter.Build(TestFiles.Linear(new float[,] { { 0f, 0f } }, [0.5f])).ToByteArray());
        var sidecar = new Dictionary<string, object?>
        {
            ["format"] = OnnxPolicySpec.FormatTag,
            ["model"] = "p.onnx",
            ["input"] = new { name = "input" },
            ["output"] = new { name = "actions" },
            ["observation"] = new object[] { new { quantity = "CurrentA", limit = 10.0 }, new { quantity = "ReferenceSpeed", limit = 100.0 } },
            ["action"] = new { meaning = "current_reference", postprocess = "clip", currentLimit = 20.0 },
        };
        files.WriteJson("p.json", sidecar);
        string config = files.WriteText("c.json", """{ "controller": { "type": "onnx", "sidecar": "p.json", "inner": { "type": "fixed", "gain": 0.01 } } }""");
        RawSection? seen = null;
        using OnnxPolicy p = OnnxPolicy.Create(RawSection.Load(config).Section("controller"), TestFiles.PermExDc, 1e-4, s =>
        {
            seen = s;
            return new Fixed(s.Element.GetProperty("gain").GetDouble());
        });
        Assert.Equal("controller.inner", seen!.Value.Path);
        var cmd = new ConverterCommand();
        p.Compute(new MotorObservation(), ref cmd);
        Assert.Equal(0.01 * 0.5 * 20, cmd.Duty[0], 12);

        // Without a factory the inner section cannot be built; with a duty policy it would never run.
        Assert.Equal("controller.inner", Assert.Throws<ConfigException>(() => OnnxPolicy.Create(RawSection.Load(config).Section("controller"), TestFiles.PermExDc, 1e-4)).Field);
        sidecar["action"] = new { meaning = "duty_dc", postprocess = "clip" };
        files.WriteJson("p.json", sidecar);
        Assert.Equal("controller.inner", Assert.Throws<ConfigException>(() =>
            OnnxPolicy.Create(RawSection.Load(config).Section("controller"), TestFiles.PermExDc, 1e-4, s => new Fixed(0))).Field);
    }

    [Fact]
    public void CustomOperatorDomainIsRefused()
    {
        OnnxModel m = MlpOnnxWriter.Build(Mlp.CreateRandom([2, 1], MlpActivation.Relu, MlpActivation.Identity, 1));
        var custom = new OnnxModel { OpsetImports = [.. m.OpsetImports, new OnnxOpsetId { Domain = "com.example.motor", Version = 1 }], Graph = m.Graph };
        using var files = new TestFiles();
        files.Write("p.onnx", custom.ToByteArray());
        string path = files.WriteJson("p.json", new Dictionary<string, object?>
        {
            ["format"] = OnnxPolicySpec.FormatTag,
            ["model"] = "p.onnx",
            ["input"] = new { name = "input" },
            ["output"] = new { index = 0 },
            ["observation"] = new object[] { new { quantity = "CurrentA", limit = 1.0 }, new { quantity = "CurrentA", limit = 1.0 } },
            ["action"] = new { meaning = "duty_dc", postprocess = "clip" },
        });
        ConfigException e = Assert.Throws<ConfigException>(() => new OnnxPolicy(OnnxPolicySpec.Load(path), null, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1 }));
        Assert.Equal("opset_import[com.example.motor]", e.Field);
    }
}
