package org.semiseg.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors reader: DJL's files read back exactly; every header number that does not fit the file is refused. */
class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void readsBackWhatDjlWritesInEveryDtypeUsed() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = new NDList();
            list.add(named(m.arange(12f).reshape(3, 4), "weights"));
            list.add(named(m.create(new long[] {1, -2, 1L << 40}), "counts"));
            list.add(named(m.create(new int[] {7, 8}), "ints"));
            list.add(named(m.create(new boolean[] {true, false, true}), "mask"));
            list.add(named(m.create(new double[] {Math.PI}).reshape(new Shape()), "scalar"));
            list.add(named(m.create(new float[0], new Shape(0, 5)), "empty"));
            Path file = dir.resolve("a.safetensors");
            try (OutputStream out = Files.newOutputStream(file)) {
                list.encode(out, NDList.Encoding.SAFETENSORS);
            }
            Map<String, NDArray> back = read(file, m);
            assertEquals(List.of("weights", "counts", "ints", "mask", "scalar", "empty"), List.copyOf(back.keySet()));
            for (NDArray expected : list) {
                NDArray actual = back.get(expected.getName());
                assertEquals(expected.getShape(), actual.getShape(), expected.getName());
                assertEquals(expected.getDataType(), actual.getDataType(), expected.getName());
                assertArrayEquals(expected.toByteArray(), actual.toByteArray(), expected.getName());
            }
        }
    }

    @Test
    void refusesHeadersThatDoNotFitTheFile() throws IOException {
        String ok = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertMalformed(file(ok, 8), null);  // the good one loads
        assertMalformed(bytes(new byte[] {1, 2, 3}), "shorter than");
        assertMalformed(withLength(Long.MAX_VALUE, ok, 8), "header length");
        assertMalformed(withLength(-1, ok, 8), "header length 18446744073709551615");
        assertMalformed(withLength(1L << 33, ok, 8), "does not fit a file");
        assertMalformed(file("[1, 2]", 0), "not a JSON object");
        assertMalformed(file("{\"t\": ", 0), "not valid JSON");
        assertMalformed(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "not valid JSON");
        assertMalformed(file(ok.replace("F32", "Q4"), 8), "dtype 'Q4'");
        assertMalformed(file(ok.replace("[2]", "[-2]"), 8), "shape entry -2");
        assertMalformed(file(ok.replace("[2]", "[2.5]"), 8), "shape entry 2.5");
        assertMalformed(file(ok.replace("[2]", "[4294967296, 4294967296]"), 8), "does not match");
        assertMalformed(file(ok.replace("[2]", "[4611686018427387904, 4]"), 8), "does not match");
        assertMalformed(file(ok.replace("[0,8]", "[0,80000000000]"), 8), "outside the file");
        assertMalformed(file(ok.replace("[0,8]", "[-8,0]"), 8), "outside the file");
        assertMalformed(file(ok.replace("[0,8]", "[8,4]"), 8), "outside the file");
        assertMalformed(file(ok.replace("[0,8]", "[0,4]"), 8), "does not match");
        assertMalformed(file(ok.replace("\"data_offsets\":[0,8]", "\"data_offsets\":\"0-8\""), 8), "data_offsets");
        assertMalformed(file("{\"t\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0), "not valid JSON");
        assertMalformed(file("{\"t\":{\"dtype\":\"F32\",\"shape\":" + "[1]".replace("1", "1,".repeat(40) + "1")
                + ",\"data_offsets\":[0,4]}}", 4), "shape");
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    private Map<String, NDArray> read(Path file, NDManager m) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            return Safetensors.read(c, m);
        }
    }

    /** Reads the file; null {@code phrase}: it must load; otherwise the error must contain it and be one line. */
    private void assertMalformed(Path file, String phrase) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            if (phrase == null) {
                assertEquals(1, read(file, m).size());
                return;
            }
            Safetensors.Malformed e = assertThrows(Safetensors.Malformed.class, () -> read(file, m));
            assertTrue(e.getMessage().contains(phrase), "'" + phrase + "' not in: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private int count;

    private Path file(String header, int dataBytes) throws IOException {
        return withLength(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private Path withLength(long length, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put(h);
        return bytes(b.array());
    }

    private Path bytes(byte[] content) throws IOException {
        return Files.write(dir.resolve("f" + count++ + ".safetensors"), content);
    }
}
