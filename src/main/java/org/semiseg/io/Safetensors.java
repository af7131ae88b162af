package org.semiseg.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files (8-byte little-endian header length, a JSON header, the tensors' bytes) with every number of
 * the header checked against the file before anything is allocated: a damaged or hostile file gives a one-line
 * {@link Malformed} instead of a gigabyte allocation, a native read past a buffer, or a hang. Every allocation is
 * bounded by the file's size. Files are written with DJL's encoder ({@code NDList.encode(out, SAFETENSORS)}), which
 * this reader reads back exactly.
 */
public final class Safetensors {
    /** The format's own limit on the header (100 MB). */
    static final long MAX_HEADER = 100L << 20;
    private static final int MAX_RANK = 32;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private Safetensors() {
    }

    /** What is wrong with a safetensors file, in one phrase (the caller names the file). */
    public static final class Malformed extends IOException {
        public Malformed(String problem) {
            super(problem);
        }
    }

    /**
     * The tensors of the file open in {@code channel} (read from position 0 with positional reads), by name in the
     * order of their data; they belong to {@code manager}. {@code __metadata__} is skipped.
     *
     * @throws Malformed if the header or a tensor does not fit the file or the format
     * @throws IOException if the file cannot be read
     */
    public static Map<String, NDArray> read(FileChannel channel, NDManager manager) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new Malformed("not a safetensors file: " + size + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > size - 8 || headerLength > MAX_HEADER) {
            throw new Malformed("header length " + Long.toUnsignedString(headerLength) + " does not fit a file of "
                    + size + " bytes");
        }
        ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes.array());
        } catch (IOException e) {
            throw new Malformed("header is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (header == null || !header.isObject()) {
            throw new Malformed("header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("__metadata__")) {
                tensors.put(e.getKey(), Tensor.of(e.getKey(), e.getValue(), dataSize));
            }
        }
        // in the order of their bytes, which is the order they were written in (DJL writes the header from a hash map)
        List<Map.Entry<String, Tensor>> ordered = new ArrayList<>(tensors.entrySet());
        ordered.sort(Comparator.comparingLong(e -> e.getValue().begin()));
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : ordered) {
            Tensor t = e.getValue();
            ByteBuffer bytes = readFully(channel, dataStart + t.begin(), (int) (t.end() - t.begin()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            NDArray array = manager.create(bytes, new Shape(t.shape()), t.type());
            array.setName(e.getKey());
            out.put(e.getKey(), array);
        }
        return out;
    }

    /** One header entry, checked: a known dtype, a shape whose byte size is its data_offsets range, inside the data. */
    private record Tensor(DataType type, long[] shape, long begin, long end) {
        static Tensor of(String name, JsonNode entry, long dataSize) throws Malformed {
            String where = "tensor '" + abbreviate(name) + "'";
            if (!entry.isObject()) {
                throw new Malformed(where + " is not described by a JSON object");
            }
            DataType type = dataType(entry.path("dtype").asText(""), where);
            JsonNode shapeNode = entry.get("shape");
            if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() > MAX_RANK) {
                throw new Malformed(where + " has no shape (a list of at most " + MAX_RANK + " sizes)");
            }
            long[] shape = new long[shapeNode.size()];
            long bytes = type.getNumOfBytes();
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                    throw new Malformed(where + " has shape entry " + abbreviate(d.toString()) + ", not a size");
                }
                shape[i] = d.asLong();
                // saturates instead of overflowing: any product above the data's size is refused below
                bytes = shape[i] != 0 && bytes > dataSize / shape[i] ? Long.MAX_VALUE : bytes * shape[i];
            }
            JsonNode offsets = entry.get("data_offsets");
            if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber()
                    || !offsets.get(1).isIntegralNumber() || !offsets.get(0).canConvertToLong()
                    || !offsets.get(1).canConvertToLong()) {
                throw new Malformed(where + " has no data_offsets [begin, end]");
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin < 0 || end < begin || end > dataSize) {
                throw new Malformed(where + " has data_offsets [" + begin + ", " + end + "] outside the file's "
                        + dataSize + " bytes of data");
            }
            if (end - begin != bytes || bytes > Integer.MAX_VALUE - 16) {
                throw new Malformed(where + " of shape " + java.util.Arrays.toString(shape) + " and dtype "
                        + entry.path("dtype").asText() + " does not match its " + (end - begin) + " bytes");
            }
            return new Tensor(type, shape, begin, end);
        }
    }

    private static DataType dataType(String name, String where) throws Malformed {
        return switch (name) {
            case "F64" -> DataType.FLOAT64;
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            case "BF16" -> DataType.BFLOAT16;
            case "I64" -> DataType.INT64;
            case "I32" -> DataType.INT32;
            case "I8" -> DataType.INT8;
            case "U8" -> DataType.UINT8;
            case "BOOL" -> DataType.BOOLEAN;
            default -> throw new Malformed(where + " has dtype '" + abbreviate(name) + "', not one of F64, F32, F16,"
                    + " BF16, I64, I32, I8, U8, BOOL");
        };
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new EOFException("file ends at byte " + (position + buffer.position()));
            }
        }
        buffer.flip();
        return buffer;
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown problem";
        }
        int nl = text.indexOf('\n');
        return abbreviate(nl < 0 ? text : text.substring(0, nl));
    }
}
