using Google.Protobuf;

using MotorRT.Policies.Onnx.Format;

namespace MotorRT.Policies.Training.Export;

// A hand-written subset of the public ONNX schema (onnx/onnx.proto, proto2 wire format). Only what an MLP policy
// needs is modelled; field numbers are the spec's. Each message serialises itself with Google.Protobuf's
// CodedOutputStream: nested messages are written length-delimited, repeated numeric fields packed where the spec
// declares them packed.

/// <summary>ONNX AttributeProto.AttributeType values used by MotorRT.</summary>
public enum OnnxAttributeType
{
    /// <summary>One float (field f).</summary>
    Float = 1,

    /// <summary>One int64 (field i).</summary>
    Int = 2,

    /// <summary>One UTF-8 string (field s).</summary>
    String = 3,

    /// <summary>A list of floats (field floats).</summary>
    Floats = 6,

    /// <summary>A list of int64 (field ints).</summary>
    Ints = 7,
}

/// <summary>Base of the schema messages: serialisation to the protobuf wire format.</summary>
public abstract class OnnxMessage
{
    /// <summary>Writes the message's fields (without a length prefix) to <paramref name="output"/>.</summary>
    public abstract void WriteTo(CodedOutputStream output);

    /// <summary>The message serialised to bytes.</summary>
    public byte[] ToByteArray()
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            WriteTo(output);
            output.Flush();
        }
        return stream.ToArray();
    }

    /// <summary>Writes a nested message as a length-delimited field.</summary>
    protected static void WriteMessage(CodedOutputStream output, int field, OnnxMessage message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message.ToByteArray()));
    }

    /// <summary>Writes a string field (skipped when null).</summary>
    protected static void WriteString(CodedOutputStream output, int field, string? value)
    {
        if (value is null) return;
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    /// <summary>Writes an int64 varint field.</summary>
    protected static void WriteInt64(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    /// <summary>Writes a packed repeated int64 field (skipped when empty).</summary>
    protected static void WritePackedInt64(CodedOutputStream output, int field, IReadOnlyList<long> values)
    {
        if (values.Count == 0) return;
        int size = 0;
        foreach (long v in values) size += CodedOutputStream.ComputeInt64Size(v);
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(size);
        foreach (long v in values) output.WriteInt64(v);
    }
}

/// <summary>OperatorSetIdProto: which version of an operator set the model imports.</summary>
public sealed class OnnxOpsetId : OnnxMessage
{
    /// <summary>Operator-set domain; "" is the default ONNX domain (ai.onnx).</summary>
    public string Domain { get; init; } = "";

    /// <summary>Operator-set version.</summary>
    public long Version { get; init; }

    /// <inheritdoc/>
    public override void WriteTo(CodedOutputStream output)
    {
        WriteString(output, 1, Domain);
        WriteInt64(output, 2, Version);
    }
}

/// <summary>TensorProto: a named constant tensor (initializer), row-major, stored as raw little-endian bytes.</summary>
public sealed class OnnxTensor : OnnxMessage
{
    /// <summary>Tensor name (referenced by node inputs).</summary>
    public required string Name { get; init; }

    /// <summary>Shape.</summary>
    public required long[] Dims { get; init; }

    /// <summary>Element type.</summary>
    public OnnxDataType DataType { get; init; } = OnnxDataType.Float;

    /// <summary>Elements, row-major, already in the element type's little-endian byte layout.</summary>
    public required byte[] RawData { get; init; }

    /// <summary>A float32 tensor from values (row-major).</summary>
    public static OnnxTensor FromFloats(string name, long[] dims, ReadOnlySpan<float> values)
    {
        long count = 1;
        foreach (long d in dims) count *= d;
        if (count != values.Length)
        {
            throw new ArgumentException($"tensor {name}: shape holds {count} elements but {values.Length} were given", nameof(values));
        }
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        return new OnnxTensor { Name = name, Dims = dims, DataType = OnnxDataType.Float, RawData = bytes };
    }

    /// <summary>An int64 tensor from values (row-major).</summary>
    public static OnnxTensor FromInt64s(string name, long[] dims, ReadOnlySpan<long> values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }
        return new OnnxTensor { Name = name, Dims = dims, DataType = OnnxDataType.Int64, RawData = bytes };
    }

    /// <inheritdoc/>
    public override void WriteTo(CodedOutputStream output)
    {
        WritePackedInt64(output, 1, Dims);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt32((int)DataType);
        WriteString(output, 8, Name);
        output.WriteTag(9, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(RawData));
    }
}

/// <summary>One dimension of a TensorShapeProto: a fixed size or a symbolic (dynamic) name.</summary>
public readonly record struct OnnxDim(long Value, string? Param)
{
    /// <summary>A fixed dimension.</summary>
    public static OnnxDim Fixed(long value) => new(value, null);

    /// <summary>A symbolic (dynamic) dimension such as "batch_size".</summary>
    public static OnnxDim Symbolic(string name) => new(0, name);
}

/// <summary>ValueInfoProto with a tensor TypeProto: name, element type and shape of a graph input or output.</summary>
public sealed class OnnxValueInfo : OnnxMessage
{
    /// <summary>Value name.</summary>
    public required string Name { get; init; }

    /// <summary>Element type.</summary>
    public OnnxDataType ElementType { get; init; } = OnnxDataType.Float;

    /// <summary>Shape; each dimension fixed or symbolic.</summary>
    public required OnnxDim[] Shape { get; init; }

    /// <inheritdoc/>
    public override void WriteTo(CodedOutputStream output)
    {
        WriteString(output, 1, Name);
        WriteMessage(output, 2, new TypeMessage(this));
    }

    // TypeProto { tensor_type = 1: TypeProto.Tensor { elem_type = 1, shape = 2: TensorShapeProto { dim = 1 } } }
    private sealed class TypeMessage(OnnxValueInfo info) : OnnxMessage
    {
        public override void WriteTo(CodedOutputStream output) => WriteMessage(output, 1, new TensorTypeMessage(info));
    }

    private sealed class TensorTypeMessage(OnnxValueInfo info) : OnnxMessage
    {
        public override void WriteTo(CodedOutputStream output)
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt32((int)info.ElementType);
            WriteMessage(output, 2, new ShapeMessage(info.Shape));
        }
    }

    private sealed class ShapeMessage(OnnxDim[] dims) : OnnxMessage
    {
        public override void WriteTo(CodedOutputStream output)
        {
            foreach (OnnxDim d in dims) WriteMessage(output, 1, new DimMessage(d));
        }
    }

    private sealed class DimMessage(OnnxDim dim) : OnnxMessage
    {
        public override void WriteTo(CodedOutputStream output)
        {
            if (dim.Param is null) WriteInt64(output, 1, dim.Value);
            else WriteString(output, 2, dim.Param);
        }
    }
}

/// <summary>AttributeProto: a named node attribute (float, int, string, floats or ints).</summary>
public sealed class OnnxAttribute : OnnxMessage
{
    /// <summary>Attribute name.</summary>
    public required string Name { get; init; }

    /// <summary>Which value field is used.</summary>
    public required OnnxAttributeType Type { get; init; }

    /// <summary>Value for <see cref="OnnxAttributeType.Float"/>.</summary>
    public float F { get; init; }

    /// <summary>Value for <see cref="OnnxAttributeType.Int"/>.</summary>
    public long I { get; init; }

    /// <summary>Value for <see cref="OnnxAttributeType.String"/>.</summary>
    public string? S { get; init; }

    /// <summary>Values for <see cref="OnnxAttributeType.Floats"/>.</summary>
    public float[] Floats { get; init; } = [];

    /// <summary>Values for <see cref="OnnxAttributeType.Ints"/>.</summary>
    public long[] Ints { get; init; } = [];

    /// <summary>An int attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new() { Name = name, Type = OnnxAttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new() { Name = name, Type = OnnxAttributeType.Float, F = value };

    /// <inheritdoc/>
    public override void WriteTo(CodedOutputStream output)
    {
        WriteString(output, 1, Name);
        output.WriteTag(20, WireFormat.WireType.Varint);
        output.WriteEnum((int)Type);
        switch (Type)
        {
            case OnnxAttributeType.Float:
                output.WriteTag(2, WireFormat.WireType.Fixed32);
                output.WriteFloat(F);
                break;
            case OnnxAttributeType.Int:
                WriteInt64(output, 3, I);
                break;
            case OnnxAttributeType.String:
                output.WriteTag(4, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFromUtf8(S ?? ""));
                break;
            case OnnxAttributeType.Floats:
                // repeated float floats = 7 (not declared packed in proto2: one tag per element).
                foreach (float f in Floats)
                {
                    output.WriteTag(7, WireFormat.WireType.Fixed32);
                    output.WriteFloat(f);
                }
                break;
            case OnnxAttributeType.Ints:
                foreach (long v in Ints) WriteInt64(output, 8, v);
                break;
        }
    }
}

/// <summary>NodeProto: one operator application.</summary>
public sealed class OnnxNode : OnnxMessage
{
    /// <summary>Operator type, e.g. "Gemm", "Relu", "Tanh".</summary>
    public required string OpType { get; init; }

    /// <summary>Node name (optional, for diagnostics).</summary>
    public string? Name { get; init; }

    /// <summary>Input value names ("" for an omitted optional input).</summary>
    public required string[] Inputs { get; init; }

    /// <summary>Output value names.</summary>
    public required string[] Outputs { get; init; }

    /// <summary>Attributes.</summary>
    public OnnxAttribute[] Attributes { get; init; } = [];

    /// <summary>Operator-set domain ("" = ai.onnx).</summary>
    public string Domain { get; init; } = "";

    /// <inheritdoc/>
    public override void WriteTo(CodedOutputStream output)
    {
        foreach (string i in Inputs) WriteString(output, 1, i);
        foreach (string o in Outputs) WriteString(output, 2, o);
        WriteString(output, 3, Name);
        WriteString(output, 4, OpType);
        foreach (OnnxAttribute a in Attributes) WriteMessage(output, 5, a);
        if (Domain.Length > 0) WriteString(output, 7, Domain);
    }
}

/// <summary>GraphProto: nodes in topological order, initializers, inputs and outputs.</summary>
public sealed class OnnxGraph : OnnxMessage
{
    /// <summary>Graph name.</summary>
    public required string Name { get; init; }

    /// <summary>Nodes, topologically sorted.</summary>
    public required IReadOnlyList<OnnxNode> Nodes { get; init; }

    /// <summary>Constant tensors.</summary>
    public required IReadOnlyList<OnnxTensor> Initializers { get; init; }

    /// <summary>Graph inputs (not including initializers).</summary>
    public required IReadOnlyList<OnnxValueInfo> Inputs { get; init; }

    /// <summary>Graph outputs.</summary>
    public required IReadOnlyList<OnnxValueInfo> Outputs { get; init; }

    /// <summary>Documentation string (optional).</summary>
    public string? DocString { get; init; }

    /// <inheritdoc/>
    public override void WriteTo(CodedOutputStream output)
    {
        foreach (OnnxNode n in Nodes) WriteMessage(output, 1, n);
        WriteString(output, 2, Name);
        foreach (OnnxTensor t in Initializers) WriteMessage(output, 5, t);
        WriteString(output, 10, DocString);
        foreach (OnnxValueInfo i in Inputs) WriteMessage(output, 11, i);
        foreach (OnnxValueInfo o in Outputs) WriteMessage(output, 12, o);
    }
}

/// <summary>ModelProto: IR version, operator-set imports, producer and the graph.</summary>
public sealed class OnnxModel : OnnxMessage
{
    /// <summary>IR version (ONNX 1.13+ with opset 17 writes 8).</summary>
    public long IrVersion { get; init; } = OnnxVersions.WriterIrVersion;

    /// <summary>Operator sets the graph uses.</summary>
    public required IReadOnlyList<OnnxOpsetId> OpsetImports { get; init; }

    /// <summary>Producer name.</summary>
    public string ProducerName { get; init; } = "MotorRT";

    /// <summary>Producer version.</summary>
    public string ProducerVersion { get; init; } = "1";

    /// <summary>Documentation string (optional).</summary>
    public string? DocString { get; init; }

    /// <summary>The graph.</summary>
    public required OnnxGraph Graph { get; init; }

    /// <summary>Free-form metadata (metadata_props), e.g. how the model was made.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <inheritdoc/>
    public override void WriteTo(CodedOutputStream output)
    {
        WriteInt64(output, 1, IrVersion);
        WriteString(output, 2, ProducerName);
        WriteString(output, 3, ProducerVersion);
        WriteString(output, 6, DocString);
        WriteMessage(output, 7, Graph);
        foreach (OnnxOpsetId o in OpsetImports) WriteMessage(output, 8, o);
        foreach (KeyValuePair<string, string> kv in Metadata) WriteMessage(output, 14, new Entry(kv.Key, kv.Value));
    }

    /// <summary>Writes the model to a file (atomically: a temporary file in the same folder, renamed).</summary>
    public void Save(string path) => MotorRT.Contracts.IO.AtomicFile.WriteAllBytes(path, ToByteArray());

    private sealed class Entry(string key, string value) : OnnxMessage
    {
        public override void WriteTo(CodedOutputStream output)
        {
            WriteString(output, 1, key);
            WriteString(output, 2, value);
        }
    }
}
